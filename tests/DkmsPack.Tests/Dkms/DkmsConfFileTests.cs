using System.Diagnostics;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Dkms;

/// <summary>Reading dkms.conf from disk: only a regular file of sane size is read, and its bytes are kept.</summary>
public sealed class DkmsConfFileTests : IDisposable
{
    private const string Display = "tree/dkms.conf";

    private readonly TempDirectory _directory = new();

    private string ConfPath => Path.Combine(_directory.Path, "dkms.conf");

    public void Dispose() => _directory.Dispose();

    private static Diagnostic ReadError(string path)
    {
        var clock = Stopwatch.StartNew();
        DkmsPackException e = Assert.ThrowsAny<DkmsPackException>(() => DkmsConfFile.Read(path, Display));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(ExitCode.InvalidInput, e.ExitCode);
        Diagnostic error = Assert.Single(e.Diagnostics);
        Assert.Equal(Display, error.File);
        return error;
    }

    [Fact]
    public void Read_RegularFile_ReturnsItsBytesAndText()
    {
        File.WriteAllText(ConfPath, "PACKAGE_NAME=\"é\"\n");

        DkmsConfFileContent content = DkmsConfFile.Read(ConfPath, Display);

        Assert.Equal("PACKAGE_NAME=\"é\"\n", content.Text);
        Assert.Equal(File.ReadAllBytes(ConfPath), content.Bytes);
        Assert.Same(content.Bytes, content.Encode(content.Text));
        Assert.Equal(Encoding.UTF8.GetBytes("PACKAGE_NAME=\"x\"\n"), content.Encode("PACKAGE_NAME=\"x\"\n"));
    }

    [Fact]
    public void Read_Missing_IsNotFound()
    {
        Diagnostic error = ReadError(ConfPath);

        Assert.Equal(("not found", "a DKMS module tree needs a dkms.conf at its top"), (error.Message, error.Remedy));
    }

    [Fact]
    public void Read_DanglingSymlink_SaysSo()
    {
        File.CreateSymbolicLink(ConfPath, Path.Combine(_directory.Path, "nowhere"));

        Assert.Equal("is a symbolic link to nothing", ReadError(ConfPath).Message);
    }

    [Fact]
    public void Read_Directory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(ConfPath);

        Assert.Equal("is a directory, not a file", ReadError(ConfPath).Message);
    }

    [Fact]
    public void Read_Fifo_IsRefusedWithoutBlocking()
    {
        RealTool.RunChecked("mkfifo", ConfPath);

        Assert.Equal("is a FIFO (named pipe), not a regular file", ReadError(ConfPath).Message);
    }

    [Fact]
    public void Read_SymlinkToDevZero_IsRefusedWithoutReading()
    {
        File.CreateSymbolicLink(ConfPath, "/dev/zero");

        Assert.Equal("is a device, not a regular file", ReadError(ConfPath).Message);
    }

    [Fact]
    public void Read_SymlinkToRegularFile_ReadsTheContent()
    {
        string target = Path.Combine(_directory.Path, "real.conf");
        File.WriteAllText(target, "PACKAGE_NAME=x\n");
        File.CreateSymbolicLink(ConfPath, target);

        Assert.Equal("PACKAGE_NAME=x\n", DkmsConfFile.Read(ConfPath, Display).Text);
    }

    [Fact]
    public void Read_FileLargerThanTheLimit_IsRefused()
    {
        File.WriteAllBytes(ConfPath, new byte[DkmsConfLimits.MaxFileBytes + 1]);

        Assert.Equal("is larger than 1024 KiB (1048577 bytes); a real dkms.conf has a few kilobytes", ReadError(ConfPath).Message);
    }

    [Fact]
    public void Read_Unreadable_SaysPermissionDenied()
    {
        if (Environment.UserName == "root")
        {
            Assert.Skip("root reads every file");
        }

        File.WriteAllText(ConfPath, "PACKAGE_NAME=x\n");
        File.SetUnixFileMode(ConfPath, UnixFileMode.None);

        Diagnostic error = ReadError(ConfPath);

        Assert.Equal(("cannot be read (permission denied)", "make it readable, e.g. chmod a+r"), (error.Message, error.Remedy));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xFE, 0xFF })]
    public void Read_Utf16WithByteOrderMark_IsAnError(byte[] byteOrderMark)
    {
        File.WriteAllBytes(ConfPath, [.. byteOrderMark, .. Encoding.Unicode.GetBytes("PACKAGE_NAME=x\n")]);

        Diagnostic error = ReadError(ConfPath);

        Assert.StartsWith("is UTF-16 text", error.Message, StringComparison.Ordinal);
        Assert.Equal("save dkms.conf as UTF-8 without a byte order mark", error.Remedy);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsKeptForTheReaderToReject()
    {
        File.WriteAllBytes(ConfPath, [0xEF, 0xBB, 0xBF, .. "PACKAGE_NAME=x\n"u8]);

        Assert.Equal("\uFEFFPACKAGE_NAME=x\n", DkmsConfFile.Read(ConfPath, Display).Text);
    }

    // bash reads bytes: a Latin-1 comment is no error. The text maps each byte to one character, so the packaged copy,
    // even after a version rewrite elsewhere in the file, keeps those bytes.
    [Fact]
    public void Read_InvalidUtf8_KeepsEveryByteThroughARewrite()
    {
        byte[] bytes = [.. "# Auteur: Andr"u8, 0xE9, .. "\nPACKAGE_VERSION=1\n"u8];
        File.WriteAllBytes(ConfPath, bytes);

        DkmsConfFileContent content = DkmsConfFile.Read(ConfPath, Display);
        byte[] rewritten = content.Encode(content.Text.Replace("=1", "=2", StringComparison.Ordinal));

        Assert.Equal("# Auteur: Andr\u00E9\nPACKAGE_VERSION=1\n", content.Text);
        Assert.Equal([.. "# Auteur: Andr"u8, 0xE9, .. "\nPACKAGE_VERSION=2\n"u8], rewritten);
    }
}
