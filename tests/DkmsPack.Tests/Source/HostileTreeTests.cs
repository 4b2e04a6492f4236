using System.Net.Sockets;
using DkmsPack.Tests.Support;
using Xunit;
using static DkmsPack.Tests.Source.TreeTestSupport;

namespace DkmsPack.Tests.Source;

/// <summary>
/// Module trees holding what no package can carry (issue #8): each is refused before anything is written, with one
/// line naming the path, exit 2 and an empty output directory; what dpkg does carry still packages.
/// </summary>
public sealed class HostileTreeTests : ModuleTreeTest
{
    [Fact]
    public void Fifo_IsRefused_WithoutOpeningIt()
    {
        // Opening a FIFO with no writer blocks for ever: the scan must tell its kind without opening it.
        string fifo = Path.Combine(Tree, "sub", "pipe");
        Directory.CreateDirectory(Path.GetDirectoryName(fifo)!);
        RealTool.RunChecked("mkfifo", fifo);

        var result = Package("mkdeb", Tree, Output);

        AssertTreeError(result, fifo, "a FIFO", "--exclude");
        AssertNothingWritten(Output);
    }

    [Theory]
    [InlineData("c", "character device")]
    [InlineData("b", "block device")]
    public void Device_IsRefused_NotPackagedAsAnEmptyFile(string type, string kind)
    {
        if (Environment.UserName != "root")
        {
            SystemPackages.SkipOrFail("mknod needs root");
        }

        string device = Path.Combine(Tree, "dev0");
        RealTool.RunChecked("mknod", device, type, "1", "3");

        var result = Package("mkdeb", Tree, Output);

        AssertTreeError(result, device, kind, "remove it");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void Socket_IsRefused()
    {
        string path = Path.Combine(Tree, "control.sock");
        // Kept open: .NET unlinks the socket's file when it is closed.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var result = Package("mkrpm", Tree, Output);

        AssertTreeError(result, path, "a socket");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void NewlineInAName_IsRefused_AndShownEscapedOnOneLine()
    {
        File.WriteAllText(Path.Combine(Tree, "bad\nname.c"), "int x;\n");

        var result = Package("mkdeb", Tree, Output);

        AssertTreeError(result, Tree + @"/bad\nname.c", "newline");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void OtherControlCharactersInNames_AreCarried_AsDpkgCarriesThem()
    {
        // dpkg refuses only newlines in names; a tab or CR installs as it is.
        File.WriteAllText(Path.Combine(Tree, "tab\there.txt"), "x\n");

        string deb = AssertOnePackage(Package("mkdeb", Tree, Output), Output);

        Assert.Contains(DebListing(deb), l => l.EndsWith(@"/tab\there.txt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("touch \"$(printf 'bad\\377')\"", "mkdeb")]
    [InlineData("mkdir \"$(printf 'dir\\377')\"", "mkdeb")]
    [InlineData("touch \"$(printf 'bad\\377')\"", "mkrpm")]
    public void NameThatIsNotUtf8_IsRefused_NotReportedAsADevice(string create, string command)
    {
        Shell(Tree, create);

        var result = Package(command, Tree, Output);

        string shown = Path.GetFileName(Directory.GetFileSystemEntries(Tree, "*\uFFFD").Single());
        AssertTreeError(result, Path.Combine(Tree, shown), "not valid UTF-8", "rename it");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void TwoNamesThatDecodeAlike_AreRefused_NotPackagedTwice()
    {
        // "\xff" decodes to U+FFFD, which is also a real name here: only one of them could be packaged faithfully.
        Shell(Tree, "touch \"$(printf 'x\\357\\277\\275')\" \"$(printf 'x\\377')\"");

        var result = Package("mkdeb", Tree, Output);

        AssertTreeError(result, Path.Combine(Tree, "x\uFFFD"), "not valid UTF-8");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void SymlinkTargetThatIsNotUtf8_IsRefused_NotRewritten()
    {
        Shell(Tree, "ln -s \"$(printf 'target\\377')\" link");

        var result = Package("mkdeb", Tree, Output);

        AssertTreeError(result, Path.Combine(Tree, "link"), "target is not valid UTF-8");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void PathLongerThanPathMax_IsRefused_NamingTheDirectory()
    {
        // 17 levels of 250-byte names: past PATH_MAX (4096). Each is created short and renamed from the bottom up,
        // so no call ever passes a path that long.
        const int Levels = 17;
        string top = Path.Combine(Tree, "deep");
        Directory.CreateDirectory(Path.Combine([top, .. Enumerable.Repeat("d", Levels)]));
        string longName = new('n', 250);
        for (int level = Levels; level >= 1; level--)
        {
            string parent = Path.Combine([top, .. Enumerable.Repeat("d", level - 1)]);
            Directory.Move(Path.Combine(parent, "d"), Path.Combine(parent, longName));
        }

        try
        {
            var result = Package("mkdeb", Tree, Output);

            string[] line = result.StdErr.Split(": error: ");
            Assert.StartsWith(top + "/" + longName + "/", line[0], StringComparison.Ordinal);
            Assert.True(Directory.Exists(line[0]), "the error names an existing directory: " + line[0]);
            AssertTreeError(result, line[0], "PATH_MAX (4096)", $"\"{longName}\"");
            AssertNothingWritten(Output);
        }
        finally
        {
            // rm works below PATH_MAX; Directory.Delete would not.
            RealTool.RunChecked("rm", "-rf", top);
        }
    }
}
