using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>
/// <c>dkms mkdeb</c>'s command line: the tree named by module and version in a source root (/usr/src by default, here a
/// temporary --source-root), judged by what dpkg-deb and rpm say of the packages.
/// </summary>
public sealed class LegacyCommandLineTests : IDisposable
{
    private const string Maintainer = "T <t@example.org>";
    private readonly TempDirectory _temp = new();
    private readonly string _sourceRoot;

    public LegacyCommandLineTests()
    {
        _sourceRoot = _temp.Combine("usr-src");
        Directory.CreateDirectory(_sourceRoot);
        _temp.CopyTree(Repo.Example("apple-gmux-0.1"), Path.Combine("usr-src", "apple-gmux-0.1"));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("mkdeb", "apple-gmux/0.1")]
    [InlineData("mkdeb", "-m", "apple-gmux", "-v", "0.1", "--source-only")]
    [InlineData("mkdeb", "-m", "apple-gmux/0.1")]
    [InlineData("mkrpm", "apple-gmux/0.1")]
    [InlineData("mkrpm", "-m", "apple-gmux", "-v", "0.1", "--source-only")]
    public void OldForms_PackageTheTreeInTheSourceRoot(params string[] args)
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run([.. args, "--source-root", _sourceRoot, "-o", output, "--maintainer", Maintainer], workingDirectory: _temp.Path);

        Assert.True(result.ExitCode == 0, result.StdErr);
        string package = Directory.GetFiles(output).Single();
        string listing = args[0] == "mkdeb" ? RealTool.RunChecked("dpkg-deb", "-c", package) : RealTool.RunChecked("rpm", "-qlp", package);
        Assert.Contains("usr/src/apple-gmux-0.1/dkms.conf", listing, StringComparison.Ordinal);
        Assert.Equal(args[0] == "mkdeb" ? "apple-gmux-dkms_0.1-1_all.deb" : "apple-gmux-dkms-0.1-1.noarch.rpm", Path.GetFileName(package));
    }

    [Fact]
    public void ADirectoryOfThatName_WinsOverTheSourceRoot()
    {
        string local = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), Path.Combine("apple-gmux", "0.1"));
        File.WriteAllText(Path.Combine(local, "only-here.txt"), "local tree");
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["mkdeb", "apple-gmux/0.1", "--source-root", _sourceRoot, "-o", output, "--maintainer", Maintainer], workingDirectory: _temp.Path);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("only-here.txt", RealTool.RunChecked("dpkg-deb", "-c", Directory.GetFiles(output).Single()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExitCode.InvalidOptions, "the source tree is given twice", "mkdeb", "apple-gmux/0.1", "-m", "apple-gmux", "-v", "0.1")]
    [InlineData(ExitCode.InvalidOptions, "-v 0.1 needs -m NAME", "mkdeb", "-v", "0.1")]
    [InlineData(ExitCode.InvalidOptions, "-m apple-gmux needs a version", "mkrpm", "-m", "apple-gmux")]
    [InlineData(ExitCode.InvalidOptions, "-m apple-gmux/0.1 names version 0.1, -v says 0.2", "mkdeb", "-m", "apple-gmux/0.1", "-v", "0.2")]
    [InlineData(ExitCode.InvalidOptions, "no source tree given", "mkdeb")]
    [InlineData(ExitCode.InvalidInput, "apple-gmux-0.9: error: no such directory, so there is no tree for apple-gmux/0.9", "mkdeb", "-m", "apple-gmux", "-v", "0.9")]
    public void BadForms_ExitWithOneLine_AndWriteNothing(int exitCode, string expected, params string[] args)
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run([.. args, "--source-root", _sourceRoot, "-o", output], workingDirectory: _temp.Path);

        Assert.Equal(exitCode, result.ExitCode);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void OldCustomisation_IsPackagedButWarnedAbout()
    {
        string tree = Path.Combine(_sourceRoot, "apple-gmux-0.1");
        Directory.CreateDirectory(Path.Combine(tree, "apple-gmux-dkms-mkdeb", "debian"));
        File.WriteAllText(Path.Combine(tree, "apple-gmux-dkms-mkdeb", "debian", "control"), "Source: DEBIAN_PACKAGE-dkms\n");
        File.WriteAllText(Path.Combine(tree, "apple-gmux-dkms-mkrpm.spec"), "Name: %{module_name}\n");
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", "-m", "apple-gmux/0.1", "--source-root", _sourceRoot, "-o", output, "--maintainer", Maintainer], workingDirectory: _temp.Path);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("apple-gmux-dkms-mkdeb: warning: holds dkms mkdeb's Debian templates, which dkmspack does not read; carry the change over into a --templates directory", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("apple-gmux-dkms-mkrpm.spec: warning: is dkms mkrpm's spec template, which dkmspack does not read", result.StdErr, StringComparison.Ordinal);
    }
}
