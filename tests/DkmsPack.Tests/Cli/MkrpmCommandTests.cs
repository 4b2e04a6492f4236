using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

public sealed class MkrpmCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Spec_WritesTheRenderedSpecBesideThePackage()
    {
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["mkrpm", Repo.Example("apple-gmux-0.1"), "-o", output, "--spec", "--release", "3", "--maintainer", "T <t@example.org>"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(["apple-gmux-dkms-0.1-3.noarch.rpm", "apple-gmux-dkms.spec"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string spec = File.ReadAllText(Path.Combine(output, "apple-gmux-dkms.spec"));
        Assert.Contains("\nName:           apple-gmux-dkms\n", spec, StringComparison.Ordinal);
        Assert.Contains("\nRelease:        3\n", spec, StringComparison.Ordinal);
        Assert.Equal(2, result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Help_ListsTheOptions()
    {
        var result = DkmsPackProcess.Run(["mkrpm", "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (string option in (string[])["--output", "--compression", "--release", "--packager", "--templates", "--spec", "--version"])
        {
            Assert.Contains(option, result.StdOut, StringComparison.Ordinal);
        }
    }
}
