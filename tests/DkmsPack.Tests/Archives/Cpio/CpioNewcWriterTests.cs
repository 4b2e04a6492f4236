using DkmsPack.IO;
using DkmsPack.Archives;
using System.Runtime.Versioning;
using System.Text;
using DkmsPack.Archives.Cpio;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Archives.Cpio;

public class CpioNewcWriterTests
{
    private const long Mtime = 1_700_000_000; // 0x6553F100

    // Permission bits as binary literals, one group per rwx triplet.
    private const int Rw_R_R = 0b110_100_100;   // 0644
    private const int Rwx_Rx_Rx = 0b111_101_101; // 0755

    [Fact]
    public void WriteFile_Header_IsFieldByFieldNewc()
    {
        string archive = Write(w => w.WriteFile("./a", Rw_R_R, Mtime, ino: 1, size: 3, new MemoryStream("abc"u8.ToArray())), withTrailer: false);

        Assert.Equal(
            "070701" +    // magic: newc, no CRC
            "00000001" +  // ino
            "000081A4" +  // mode 0100644: regular file type bits added to 0644
            "00000000" +  // uid 0
            "00000000" +  // gid 0
            "00000001" +  // nlink 1 for a file
            "6553F100" +  // mtime 1700000000
            "00000003" +  // filesize
            "00000000" +  // devmajor
            "00000000" +  // devminor
            "00000000" +  // rdevmajor
            "00000000" +  // rdevminor
            "00000004" +  // namesize, NUL included
            "00000000" +  // check: always 0 for 070701
            "./a\0" +     // name + NUL: 110 + 4 = 114 bytes
            "\0\0" +      // pad header+name to 116
            "abc" +       // data
            "\0",         // pad data to 4
            archive);
    }

    [Fact]
    public void WriteDirectory_HasDirectoryTypeNlinkTwoAndNoData()
    {
        string archive = Write(w => w.WriteDirectory("./usr/src/x", Rwx_Rx_Rx, Mtime, ino: 7), withTrailer: false);

        Assert.Equal(
            "070701" +
            "00000007" +  // ino
            "000041ED" +  // mode 040755
            "00000000" + "00000000" +
            "00000002" +  // nlink 2 for a directory, as rpmbuild writes it
            "6553F100" +
            "00000000" +  // filesize 0
            "00000000" + "00000000" + "00000000" + "00000000" +
            "0000000C" +  // namesize 12 = "./usr/src/x" + NUL
            "00000000" +
            "./usr/src/x\0" + // 110 + 12 = 122
            "\0\0",       // pad to 124
            archive);
    }

    [Fact]
    public void WriteSymlink_DataIsTheTargetAndModeIs0120777()
    {
        string archive = Write(w => w.WriteSymlink("./l", "target", Mtime, ino: 2), withTrailer: false);

        Assert.Equal(
            "070701" +
            "00000002" +
            "0000A1FF" +  // mode 0120777
            "00000000" + "00000000" +
            "00000001" +
            "6553F100" +
            "00000006" +  // filesize = strlen("target")
            "00000000" + "00000000" + "00000000" + "00000000" +
            "00000004" +
            "00000000" +
            "./l\0" + "\0\0" +
            "target" + "\0\0", // data padded to 8
            archive);
    }

    [Fact]
    public void Dispose_WritesTrailerEntry()
    {
        string archive = Write(_ => { }, withTrailer: true);

        Assert.Equal(
            "070701" +
            "00000000" +  // ino
            "00000000" +  // mode
            "00000000" + "00000000" +
            "00000001" +  // nlink 1, as GNU cpio writes it
            "00000000" +  // mtime
            "00000000" +  // filesize
            "00000000" + "00000000" + "00000000" + "00000000" +
            "0000000B" +  // namesize 11 = "TRAILER!!!" + NUL
            "00000000" +
            "TRAILER!!!\0" + // 110 + 11 = 121
            "\0\0\0",     // pad to 124
            archive);
    }

    [Theory]
    [InlineData("./a", 0)]
    [InlineData("./ab", 1)]
    [InlineData("./abc", 2)]
    [InlineData("./abcd", 3)]
    [InlineData("./abcde", 4)]
    public void WriteFile_PadsHeaderNameAndDataToFourBytes(string name, int dataLength)
    {
        byte[] data = new byte[dataLength];
        Array.Fill(data, (byte)'x');
        var output = new MemoryStream();
        using (var writer = new CpioNewcWriter(output, leaveOpen: true))
        {
            writer.WriteFile(name, Rw_R_R, Mtime, 1, dataLength, new MemoryStream(data));
            Assert.Equal(0, output.Length % 4);
            writer.WriteFile("./next", Rw_R_R, Mtime, 2, 0, Stream.Null);
        }

        string text = Encoding.Latin1.GetString(output.ToArray());
        int headerAndName = 110 + Encoding.UTF8.GetByteCount(name) + 1;
        int dataStart = headerAndName + ((4 - (headerAndName % 4)) % 4);
        Assert.Equal(new string('x', dataLength), text.Substring(dataStart, dataLength));
        int next = dataStart + dataLength + ((4 - (dataLength % 4)) % 4);
        Assert.Equal("070701", text.Substring(next, 6));
        Assert.Equal(0, output.Length % 4);
    }

    [Fact]
    public void WriteFile_FourGiBOrMore_ThrowsLimitExceptionBeforeWritingAnything()
    {
        var output = new MemoryStream();
        using var writer = new CpioNewcWriter(output, leaveOpen: true);

        var error = Assert.Throws<ArchiveLimitException>(() => writer.WriteFile("./big", Rw_R_R, Mtime, 1, 1L << 32, Stream.Null));

        Assert.Contains("filesize", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 GiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
        writer.WriteFile("./ok", Rw_R_R, Mtime, 1, 0, Stream.Null); // the archive is still usable
    }

    [Theory]
    [InlineData(-1L, 1L)]
    [InlineData(0x1_0000_0000L, 1L)]
    [InlineData(0L, 0x1_0000_0000L)]
    public void WriteDirectory_MtimeOrInoOutsideEightHexDigits_Throws(long mtime, long ino)
    {
        using var writer = new CpioNewcWriter(new MemoryStream());

        Assert.Throws<ArchiveLimitException>(() => writer.WriteDirectory("./d", Rwx_Rx_Rx, mtime, ino));
    }

    [Fact]
    public void WriteFile_MaxFieldValues_AreWritten()
    {
        string archive = Write(w => w.WriteDirectory("./d", Rwx_Rx_Rx, 0xFFFF_FFFFL, 0xFFFF_FFFFL), withTrailer: false);

        Assert.StartsWith("070701" + "FFFFFFFF" + "000041ED", archive, StringComparison.Ordinal);
        Assert.Equal("FFFFFFFF", archive.Substring(6 + (5 * 8), 8)); // mtime
    }

    [Fact]
    public void WriteFile_ContentShorterThanSize_ThrowsAndDisposeWritesNoTrailer()
    {
        var output = new MemoryStream();
        var writer = new CpioNewcWriter(output, leaveOpen: true);

        Assert.Throws<InvalidDataException>(() => writer.WriteFile("./f", Rw_R_R, Mtime, 1, 10, new MemoryStream(new byte[4])));
        long written = output.Length;
        writer.Dispose();

        Assert.Equal(written, output.Length);
        Assert.Throws<ObjectDisposedException>(() => writer.WriteDirectory("./d", Rwx_Rx_Rx, Mtime, 2));
    }

    [Fact]
    public void WriteFile_ContentLongerThanSize_Throws()
    {
        using var writer = new CpioNewcWriter(new MemoryStream());

        var error = Assert.Throws<InvalidDataException>(() => writer.WriteFile("./f", Rw_R_R, Mtime, 1, 2, new MemoryStream(new byte[3])));
        Assert.Contains("longer", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => writer.WriteDirectory("./d", Rwx_Rx_Rx, Mtime, 2));
    }

    [Theory]
    [InlineData(0x41ED)]  // 040755: directory type bits on a file
    [InlineData(0x10000)] // beyond st_mode
    [InlineData(-1)]
    public void WriteFile_ModeWithForeignBits_Throws(int mode)
    {
        using var writer = new CpioNewcWriter(new MemoryStream());

        Assert.Throws<ArgumentException>(() => writer.WriteFile("./f", mode, Mtime, 1, 0, Stream.Null));
    }

    [Fact]
    public void WriteFile_ModeWithMatchingTypeBits_IsAccepted()
    {
        string archive = Write(w => w.WriteFile("./f", 0x81ED, Mtime, 1, 0, Stream.Null), withTrailer: false); // 0100755

        Assert.Equal("000081ED", archive.Substring(6 + 8, 8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("./a\0b")]
    public void WriteDirectory_BadName_Throws(string name)
    {
        using var writer = new CpioNewcWriter(new MemoryStream());

        Assert.ThrowsAny<ArgumentException>(() => writer.WriteDirectory(name, Rwx_Rx_Rx, Mtime, 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_LeaveOpen_ControlsTheOutputStream(bool leaveOpen)
    {
        var output = new MemoryStream();
        new CpioNewcWriter(output, leaveOpen).Dispose();

        Assert.Equal(leaveOpen, output.CanWrite);
    }

    [Fact]
    public void Archive_OnUnseekableOutput_IsIdenticalToSeekableOutput()
    {
        var seekable = new MemoryStream();
        var sink = new MemoryStream();
        using (var unseekable = new DkmsPack.IO.HashingWriteStream(sink, leaveOpen: true))
        {
            Assert.False(unseekable.CanSeek);
            WriteSample(unseekable);
        }

        WriteSample(seekable);
        Assert.Equal(seekable.ToArray(), sink.ToArray());
    }

    /// <summary>The real GNU cpio lists and extracts what the writer wrote: names, bytes, modes, link targets.</summary>
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Archive_ListedAndExtractedByGnuCpio_MatchesTheEntries()
    {
        RealTool.Require("cpio");
        using var scratch = new TempDirectory();
        string archive = scratch.Combine("payload.cpio");
        using (FileStream file = File.Create(archive))
        {
            WriteSample(file);
        }

        string listing = RealTool.RunChecked(new RealToolOptions(StdInFile: archive), "cpio", "-t", "--quiet");
        Assert.Equal(SampleNames, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        string root = Directory.CreateDirectory(scratch.Combine("out")).FullName;
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: root, StdInFile: archive), "cpio", "-idm", "--quiet");

        string dir = Path.Combine(root, "usr/src/hello-1.0");
        Assert.True(Directory.Exists(dir));
        Assert.Equal(Rwx_Rx_Rx, (int)File.GetUnixFileMode(dir));
        Assert.Equal("PACKAGE_NAME=hello\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(dir, "dkms.conf")));
        Assert.Equal(Rw_R_R, (int)File.GetUnixFileMode(Path.Combine(dir, "dkms.conf")));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Mtime).UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(dir, "dkms.conf")));
        Assert.Equal(LargeContent(), File.ReadAllBytes(Path.Combine(dir, "big.bin")));
        Assert.Equal(Rwx_Rx_Rx, (int)File.GetUnixFileMode(Path.Combine(dir, "big.bin")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(dir, "empty")));
        Assert.Equal("dkms.conf", new FileInfo(Path.Combine(dir, "link")).LinkTarget);
        Assert.Equal("ü.txt", Path.GetFileName(Directory.GetFiles(dir, "*.txt").Single()));
    }

    private static readonly string[] SampleNames =
    [
        "./usr/src/hello-1.0",
        "./usr/src/hello-1.0/big.bin",
        "./usr/src/hello-1.0/dkms.conf",
        "./usr/src/hello-1.0/empty",
        "./usr/src/hello-1.0/link",
        "./usr/src/hello-1.0/ü.txt",
    ];

    // Bigger than the writer's 64 KiB copy buffer and not a multiple of 4.
    private static byte[] LargeContent()
    {
        byte[] data = new byte[200_003];
        new Random(42).NextBytes(data);
        return data;
    }

    private static void WriteSample(Stream output)
    {
        using var writer = new CpioNewcWriter(output, leaveOpen: true);
        writer.WriteDirectory(SampleNames[0], Rwx_Rx_Rx, Mtime, 1);
        byte[] big = LargeContent();
        writer.WriteFile(SampleNames[1], Rwx_Rx_Rx, Mtime, 2, big.Length, new MemoryStream(big));
        writer.WriteFile(SampleNames[2], Rw_R_R, Mtime, 3, 19, new MemoryStream("PACKAGE_NAME=hello\n"u8.ToArray()));
        writer.WriteFile(SampleNames[3], Rw_R_R, Mtime, 4, 0, Stream.Null);
        writer.WriteSymlink(SampleNames[4], "dkms.conf", Mtime, 5);
        writer.WriteFile(SampleNames[5], Rw_R_R, Mtime, 6, 2, new MemoryStream("ü"u8.ToArray()));
    }

    private static string Write(Action<CpioNewcWriter> write, bool withTrailer)
    {
        var output = new MemoryStream();
        var writer = new CpioNewcWriter(output, leaveOpen: true);
        write(writer);
        long beforeTrailer = output.Length;
        writer.Dispose();
        byte[] bytes = output.ToArray();
        return Encoding.Latin1.GetString(bytes, 0, withTrailer ? bytes.Length : (int)beforeTrailer);
    }
}
