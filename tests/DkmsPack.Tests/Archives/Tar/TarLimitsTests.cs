using System.Formats.Tar;
using DkmsPack.Archives.Tar;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Archives.Tar;

/// <summary>
/// What the octal fields cannot hold (sizes of 8 GiB and more, mtimes past 2242 or before 1970) and the order of
/// GNU long-name records, judged by GNU tar and System.Formats.Tar reading what the writer wrote.
/// </summary>
public sealed class TarLimitsTests : IDisposable
{
    private const long Time = 1767225600;
    private const int Regular = 0b110_100_100;

    /// <summary>One byte more than the 11 octal digits of the size field hold (8 GiB).</summary>
    private const long PastOctalSize = (1L << 33) + 1;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FileOfEightGiBOrMore_IsWrittenInBase256_AndListedByGnuTar()
    {
        string tarTool = RealTool.Require("tar");
        string path = _temp.Combine("big.tar");

        // The data is a hole in a sparse file: the archive is complete and valid, but costs no disk and no time.
        using (var file = new SparseDataStream(path, dataStart: 512, dataLength: PastOctalSize))
        using (var tar = new TarStreamWriter(file))
        {
            tar.WriteFile("./big", Regular, Time, PastOctalSize, new UnwrittenStream(PastOctalSize));
            tar.WriteFile("./after", Regular, Time, "x"u8);
        }

        var list = RealTool.Run(tarTool, "--numeric-owner", "-tvf", path);

        Assert.True(list.ExitCode == 0, list.StdErr);
        string[] lines = list.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^-rw-r--r-- 0/0 +8589934593 2026-01-01 00:00 \./big$", lines[0]);
        Assert.EndsWith("./after", lines[1], StringComparison.Ordinal);

        using FileStream stream = File.OpenRead(path);
        using var reader = new TarReader(stream);
        Assert.Equal(PastOctalSize, reader.GetNextEntry(copyData: false)!.Length);
        Assert.Equal("./after", reader.GetNextEntry(copyData: false)!.Name);
    }

    [Theory]
    [InlineData(1L << 33, "2242-03-16 12:56")]  // the first second 11 octal digits cannot hold
    [InlineData(-1L, "1969-12-31 23:59")]
    public void MtimeOutsideOctal_IsWrittenInBase256_AndReadBackByGnuTar(long mtime, string shown)
    {
        string tarTool = RealTool.Require("tar");
        string path = _temp.Combine("times.tar");
        File.WriteAllBytes(path, Write(t => t.WriteFile("./f", Regular, mtime, "x"u8)));

        var list = RealTool.Run(new RealToolOptions(), tarTool, "--numeric-owner", "--utc", "-tvf", path);

        Assert.True(list.ExitCode == 0, list.StdErr);
        Assert.Contains(" " + shown + " ./f", list.StdOut, StringComparison.Ordinal);
        using var reader = new TarReader(File.OpenRead(path));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(mtime), reader.GetNextEntry()!.ModificationTime);
    }

    [Theory]
    [InlineData(1L << 33)]
    [InlineData(15_000_000_000L)] // 2445: still within what ext4 can store
    public void MtimeInBase256_IsReadByDpkgsOwnTarReader(long mtime)
    {
        // dpkg unpacks data.tar with lib/dpkg/tarfn.c, not GNU tar: unpacking into a private --root (its own
        // database, nothing on the machine) is the way to ask it.
        string dpkg = RealTool.Require("dpkg");
        if (Environment.UserName != "root")
        {
            SystemPackages.SkipOrFail("dpkg unpacks as root:root, which needs root");
        }

        string root = _temp.Combine("root");
        foreach (string directory in (string[])["var/lib/dpkg/info", "var/lib/dpkg/updates"])
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Empty);
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/available"), string.Empty);
        string deb = _temp.Combine("far-future.deb");
        using (FileStream file = File.Create(deb))
        using (var ar = new DkmsPack.Archives.Ar.ArWriter(file))
        {
            ar.WriteMember("debian-binary", Time, "2.0\n"u8);
            ar.WriteMember("control.tar", Time, Write(t =>
            {
                t.WriteDirectory("./", 0b111_101_101, Time);
                t.WriteFile("./control", Regular, Time, "Package: far-future\nVersion: 1\nArchitecture: all\nMaintainer: T <t@example.org>\nDescription: base-256 mtime\n"u8);
            }));
            ar.WriteMember("data.tar", Time, Write(t =>
            {
                t.WriteDirectory("./", 0b111_101_101, Time);
                t.WriteFile("./far-future", Regular, mtime, "x\n"u8);
            }));
        }

        RealTool.RunChecked(dpkg, $"--root={root}", "--force-not-root", "--force-script-chrootless", "--unpack", deb);

        Assert.Equal(mtime, new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(root, "far-future"))).ToUnixTimeSeconds());
    }

    [Fact]
    public void LongLinkRecord_ComesBeforeLongNameRecord_AsGnuTarWritesThem()
    {
        string tarTool = RealTool.Require("tar");
        string longName = new('n', 120);
        string longTarget = new('t', 130);
        byte[] ours = Write(t => t.WriteSymlink("./" + longName, longTarget, Time));

        // GNU tar's own archive of the same link is the reference for the order of its records.
        string directory = _temp.Combine("gnu");
        Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(Path.Combine(directory, longName), longTarget);
        string gnuPath = _temp.Combine("gnu.tar");
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: directory), tarTool, "--format=gnu", "-cf", gnuPath, "./" + longName);

        Assert.Equal(TypeFlags(File.ReadAllBytes(gnuPath)), TypeFlags(ours));
        Assert.Equal("KL2", TypeFlags(ours));
        string ourPath = _temp.Combine("ours.tar");
        File.WriteAllBytes(ourPath, ours);
        Assert.EndsWith($"./{longName} -> {longTarget}\n", RealTool.RunChecked(tarTool, "-tvf", ourPath), StringComparison.Ordinal);
    }

    [Fact]
    public void EntryLength_IsWhatTheWriterWrites()
    {
        (string Name, string? Target, long Size)[] entries =
        [
            ("./short", null, 0), ("./one", null, 1), ("./block", null, 512), ("./" + new string('n', 200), null, 513),
            ("./link", new string('t', 99), 0), ("./" + new string('l', 100), new string('t', 300), 0),
        ];

        foreach ((string name, string? target, long size) in entries)
        {
            byte[] tar = Write(t =>
            {
                if (target is null)
                {
                    t.WriteFile(name, Regular, Time, new byte[size]);
                }
                else
                {
                    t.WriteSymlink(name, target, Time);
                }
            });

            Assert.Equal(tar.Length, TarStreamWriter.EntryLength(name, target, size) + TarStreamWriter.EndLength);
        }
    }

    /// <summary>The type flag of every header, skipping data blocks by each header's octal size.</summary>
    private static string TypeFlags(byte[] tar)
    {
        var flags = new System.Text.StringBuilder();
        for (int offset = 0; offset + 512 <= tar.Length && tar[offset] != 0; )
        {
            flags.Append((char)tar[offset + 156]);
            long size = Convert.ToInt64(System.Text.Encoding.ASCII.GetString(tar, offset + 124, 11), 8);
            offset += 512 + (int)((size + 511) / 512 * 512);
        }

        return flags.ToString();
    }

    private static byte[] Write(Action<TarStreamWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarStreamWriter(buffer))
        {
            write(tar);
        }

        return buffer.ToArray();
    }

    /// <summary>A file whose bytes in [dataStart, dataStart + dataLength) are skipped, not written, leaving a hole.</summary>
    private sealed class SparseDataStream(string path, long dataStart, long dataLength) : Stream
    {
        private readonly FileStream _file = new(path, FileMode.CreateNew, FileAccess.Write);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _file.Length;

        public override long Position { get => _file.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            long position = _file.Position;
            long end = dataStart + dataLength;
            if (position >= dataStart && position + buffer.Length <= end)
            {
                _file.Seek(buffer.Length, SeekOrigin.Current);
                return;
            }

            Assert.True(position + buffer.Length <= dataStart || position >= end, "a write straddles the data");
            _file.Write(buffer);
        }

        public override void Flush() => _file.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A source of <paramref name="length"/> bytes that never fills the buffer: its bytes are never kept.</summary>
    private sealed class UnwrittenStream(long length) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = (int)Math.Min(count, length - _read);
            _read += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
