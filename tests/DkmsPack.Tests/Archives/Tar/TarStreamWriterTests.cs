using System.Formats.Tar;
using System.Text;
using DkmsPack.Archives.Tar;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Archives.Tar;

public sealed class TarStreamWriterTests
{
    private const long Time = 1767225600;

    [Fact]
    public void Header_HasGnuMagicRootOwnerAndValidChecksum()
    {
        byte[] tar = Write(t => t.WriteFile("./a.txt", 0b110_100_100, Time, "hi\n"u8));

        Assert.Equal("./a.txt", Ascii(tar, 0, 7));
        Assert.Equal("0000644\0", Ascii(tar, 100, 8));                  // mode
        Assert.Equal("0000000\0", Ascii(tar, 108, 8));                  // uid
        Assert.Equal("0000000\0", Ascii(tar, 116, 8));                  // gid
        Assert.Equal("00000000003\0", Ascii(tar, 124, 12));             // size
        Assert.Equal("15125334400\0", Ascii(tar, 136, 12));             // mtime: 1767225600 in octal
        Assert.Equal((byte)'0', tar[156]);                              // regular file
        Assert.Equal("ustar  \0", Ascii(tar, 257, 8));                  // GNU magic + version
        Assert.Equal("root", Ascii(tar, 265, 4));                       // uname
        Assert.Equal("root", Ascii(tar, 297, 4));                       // gname

        int sum = 0;
        for (int i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : tar[i];
        }

        Assert.Equal(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", Ascii(tar, 148, 8));
    }

    [Fact]
    public void Archive_EndsWithTwoZeroBlocks_AndDataIsPaddedTo512()
    {
        byte[] tar = Write(t => t.WriteFile("./x", 0b110_100_100, Time, new byte[513]));

        Assert.Equal(512 + 1024 + 1024, tar.Length);
        Assert.All(tar[^1024..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void RoundTrip_ThroughSystemFormatsTar_KeepsNamesModesTimesAndLinks()
    {
        string longName = "./usr/src/" + new string('d', 120) + "/file.c";
        byte[] tar = Write(t =>
        {
            t.WriteDirectory("./", 0b111_101_101, Time);
            t.WriteDirectory("./usr/", 0b111_101_101, Time);
            t.WriteFile("./usr/script.sh", 0b111_101_101, Time - 5, "#!/bin/sh\n"u8);
            t.WriteFile(longName, 0b110_100_100, Time, 3, new MemoryStream("abc"u8.ToArray()));
            t.WriteSymlink("./usr/link", "script.sh", Time);
        });

        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(["./", "./usr/", "./usr/script.sh", longName, "./usr/link"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(TarEntryFormat.Gnu, e.Format));
        Assert.All(entries, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
        Assert.Equal(TarEntryType.Directory, entries[0].EntryType);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, entries[2].Mode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Time - 5), entries[2].ModificationTime);
        Assert.Equal("abc", new StreamReader(entries[3].DataStream!).ReadToEnd());
        Assert.Equal(TarEntryType.SymbolicLink, entries[4].EntryType);
        Assert.Equal("script.sh", entries[4].LinkName);
        Assert.Equal("root", ((GnuTarEntry)entries[2]).UserName);
    }

    [Fact]
    public void Archive_IsListedByGnuTar()
    {
        string tarTool = RealTool.Require("tar");
        using var temp = new TempDirectory();
        string path = temp.Combine("t.tar");
        File.WriteAllBytes(path, Write(t =>
        {
            t.WriteDirectory("./", 0b111_101_101, Time);
            t.WriteFile("./" + new string('n', 150), 0b110_100_100, Time, "x"u8);
            t.WriteSymlink("./l", "./" + new string('t', 140), Time);
        }));

        var list = RealTool.Run(tarTool, "--numeric-owner", "-tvf", path);

        Assert.True(list.ExitCode == 0, list.StdErr);
        string[] lines = list.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("drwxr-xr-x 0/0", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("./" + new string('n', 150), lines[1], StringComparison.Ordinal);
        Assert.EndsWith("./l -> ./" + new string('t', 140), lines[2], StringComparison.Ordinal);
    }

    private static string Ascii(byte[] data, int offset, int length) => Encoding.ASCII.GetString(data, offset, length);

    private static byte[] Write(Action<TarStreamWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarStreamWriter(buffer))
        {
            write(tar);
        }

        return buffer.ToArray();
    }
}
