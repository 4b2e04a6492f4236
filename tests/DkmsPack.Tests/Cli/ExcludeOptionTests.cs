using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>--exclude GLOB, judged by what dpkg-deb and rpm list in the packages.</summary>
public sealed class ExcludeOptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Excluded_PathsAreInNeitherPackage_AndTheRestIs()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        Directory.CreateDirectory(Path.Combine(tree, "docs", "img"));
        File.WriteAllText(Path.Combine(tree, "docs", "img", "logo.png"), "png");
        File.WriteAllText(Path.Combine(tree, "docs", "guide.md"), "guide");
        File.WriteAllText(Path.Combine(tree, "notes.txt"), "notes");
        MakeFifo(Path.Combine(tree, "docs", "img", "pipe"));
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", tree, "-o", output, "--exclude", "docs/img/", "--exclude", "*.txt", "--maintainer", "T <t@example.org>"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        string deb = RealTool.RunChecked("dpkg-deb", "-c", Directory.GetFiles(output, "*.deb").Single());
        string rpm = RealTool.RunChecked("rpm", "-qlp", Directory.GetFiles(output, "*.rpm").Single());
        foreach (string listing in (string[])[deb, rpm])
        {
            Assert.Contains("usr/src/apple-gmux-0.1/docs/guide.md", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("docs/img", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("notes.txt", listing, StringComparison.Ordinal);
            Assert.Contains("usr/src/apple-gmux-0.1/dkms.conf", listing, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnInvalidGlob_ExitsOne_NamingIt_AndWritesNothing()
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", output, "--exclude", "src/[z-a]"]);

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("src/[z-a]", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static void MakeFifo(string path) => RealTool.RunChecked("mkfifo", path);
}
