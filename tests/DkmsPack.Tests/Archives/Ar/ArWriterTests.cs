using System.Text;
using DkmsPack.Archives;
using DkmsPack.Archives.Ar;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Archives.Ar;

public sealed class ArWriterTests
{
    [Fact]
    public void WriteMember_WritesGlobalHeaderThenSixtyByteHeader()
    {
        byte[] archive = Write(ar => ar.WriteMember("debian-binary", 1767225600, "2.0\n"u8));

        string expected =
            "!<arch>\n" +                  // global header
            "debian-binary   " +           // name, 16 bytes space padded
            "1767225600  " +               // mtime, 12 bytes decimal
            "0     " +                     // uid, 6
            "0     " +                     // gid, 6
            "100644  " +                   // mode, 8 octal
            "4         " +                 // size, 10 decimal
            "`\n" +                        // terminator
            "2.0\n";                       // data (even length: no padding)
        Assert.Equal(expected, Encoding.ASCII.GetString(archive));
    }

    [Fact]
    public void WriteMember_OddLengthMember_PadsWithNewline()
    {
        byte[] archive = Write(ar =>
        {
            ar.WriteMember("a", 0, "abc"u8);
            ar.WriteMember("b", 0, 2, new MemoryStream("de"u8.ToArray()));
        });

        // 8 global + 60 header + 3 data + 1 pad + 60 header + 2 data.
        Assert.Equal(134, archive.Length);
        Assert.Equal((byte)'\n', archive[8 + 60 + 3]);
        Assert.Equal("de", Encoding.ASCII.GetString(archive, archive.Length - 2, 2));
    }

    [Fact]
    public void WriteMember_NameLongerThanSixteenBytes_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Write(ar => ar.WriteMember("a-name-of-17-byte", 0, "x"u8)));
    }

    [Fact]
    public void WriteMember_StreamShorterThanDeclared_Fails()
    {
        Assert.Throws<InvalidDataException>(() => Write(ar => ar.WriteMember("short", 0, 10, new MemoryStream([1, 2, 3]))));
    }

    [Fact]
    public void EnsureMemberFits_AcceptsTenDigits_AndRefusesMore()
    {
        ArWriter.EnsureMemberFits("data.tar.xz", ArWriter.MaxMemberSize);

        var refused = Assert.Throws<ArchiveLimitException>(() => ArWriter.EnsureMemberFits("data.tar.xz", 10_000_000_000));
        Assert.Contains("data.tar.xz would be 10000000000 bytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMember_OfTenBillionBytes_IsRefusedBeforeAnyByteOfIt()
    {
        using var buffer = new MemoryStream();
        using var ar = new ArWriter(buffer);
        ar.WriteMember("debian-binary", 0, "2.0\n"u8);
        long before = buffer.Length;

        Assert.Throws<ArchiveLimitException>(() => ar.WriteMember("data.tar", 0, 10_000_000_000, new MemoryStream()));
        Assert.Equal(before, buffer.Length);
    }

    [Fact]
    public void Archive_IsReadByBinutilsAr()
    {
        string ar = RealTool.Require("ar");
        using var temp = new TempDirectory();
        string path = temp.Combine("test.a");
        File.WriteAllBytes(path, Write(writer =>
        {
            writer.WriteMember("debian-binary", 0, "2.0\n"u8);
            writer.WriteMember("odd.bin", 0, "hello"u8);
            writer.WriteMember("last", 0, "end\n"u8);
        }));

        var list = RealTool.Run(ar, "t", path);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal("debian-binary\nodd.bin\nlast\n", list.StdOut);
        Assert.Equal("hello", RealTool.Run(ar, "p", path, "odd.bin").StdOut);
        Assert.Equal("end\n", RealTool.Run(ar, "p", path, "last").StdOut);
    }

    private static byte[] Write(Action<ArWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var ar = new ArWriter(buffer))
        {
            write(ar);
        }

        return buffer.ToArray();
    }
}
