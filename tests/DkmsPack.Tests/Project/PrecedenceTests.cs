using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>Command line &gt; project file &gt; derived from dkms.conf and the sources &gt; defaults, judged by dpkg-deb and rpm.</summary>
public sealed class PrecedenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheProjectFile_OverridesTheDerivedAndTheDefaults()
    {
        RealTool.Require("dpkg-deb");
        string tree = Tree("revision = \"7\"\nlicense = \"GPL-2.0-or-later\"\ncompression = \"zstd\"\noutput = \"dist\"\n[relationships]\ndepends = [\"dkms (>= 3.0.10)\", \"kmod\"]\n");

        string[] written = Build(tree, []);

        string deb = Assert.Single(written, f => f.EndsWith(".deb", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(tree, "dist", "greeter-dkms_0.1-7_all.deb"), deb);
        RealTool.Require("ar");
        Assert.Contains("control.tar.zst", RealTool.RunChecked("ar", "t", deb), StringComparison.Ordinal);
        string control = RealTool.RunChecked("dpkg-deb", "-f", deb);
        Assert.Contains("\nDepends: dkms (>= 3.0.10), kmod\n", control, StringComparison.Ordinal);

        // Not in the project file: derived (the Copyright line of greeter.c) and default (the summary).
        string copyright = RealTool.RunChecked("sh", "-c", $"dpkg-deb --fsys-tarfile '{deb}' | tar -xO ./usr/share/doc/greeter-dkms/copyright");
        Assert.Contains("2026 dkmspack contributors", copyright, StringComparison.Ordinal);
        Assert.Contains("\nDescription: DKMS source of the greeter kernel module\n", control, StringComparison.Ordinal);

        if (RealTool.Find("rpm") is not null)
        {
            string rpm = Assert.Single(written, f => f.EndsWith(".rpm", StringComparison.Ordinal));
            Assert.Equal("GPL-2.0-or-later 7", RealTool.RunChecked("rpm", "-qp", "--qf", "%{LICENSE} %{RELEASE}", rpm));
            string[] requires = RealTool.RunChecked("rpm", "-qp", "--qf", "[%{REQUIRENAME} %{REQUIREFLAGS:deptype} %{REQUIREVERSION}\\n]", rpm).Split('\n');
            Assert.Contains("dkms manual 3.0.10", requires);
            Assert.Contains("dkms posttrans 3.0.10", requires);
            Assert.Contains("kmod manual ", requires);
        }
    }

    [Fact]
    public void TheCommandLine_OverridesTheProjectFile()
    {
        RealTool.Require("dpkg-deb");
        string tree = Tree("revision = \"7\"\nmaintainer = \"Project <project@example.org>\"\ncompression = \"zstd\"\noutput = \"dist\"\nformats = [\"deb\"]\n");
        string output = _temp.Combine("cli-out");

        string[] written = Build(tree, ["--revision", "9", "--maintainer", "Command Line <cli@example.org>", "-Z", "gzip", "-o", output]);

        string deb = Assert.Single(written, f => f.EndsWith(".deb", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(output, "greeter-dkms_0.1-9_all.deb"), deb);
        Assert.DoesNotContain(written, f => f.EndsWith(".rpm", StringComparison.Ordinal));
        RealTool.Require("ar");
        Assert.Contains("control.tar.gz", RealTool.RunChecked("ar", "t", deb), StringComparison.Ordinal);
        Assert.Contains("\nMaintainer: Command Line <cli@example.org>\n", RealTool.RunChecked("dpkg-deb", "-f", deb), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigOption_ReadsAnotherFile_AndItsPathsAreRelativeToIt()
    {
        string tree = Tree("revision = \"7\"\n");
        string config = _temp.Combine("elsewhere", "release.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "revision = \"3\"\noutput = \"pkgs\"\nformats = [\"deb\"]\n");

        string[] written = Build(tree, ["--config", config]);

        Assert.Equal([_temp.Combine("elsewhere", "pkgs", "greeter-dkms_0.1-3_all.deb")], written.Where(f => f.EndsWith(".deb", StringComparison.Ordinal)));
    }

    private string Tree(string toml)
    {
        string tree = _temp.CopyTree(Repo.Example(GreeterExample.Name), "greeter");
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), toml);
        return tree;
    }

    /// <summary>Runs dkmspack build in the tree's parent directory and returns the absolute paths it printed.</summary>
    private string[] Build(string tree, string[] options)
    {
        var result = DkmsPackProcess.Run(["build", tree, .. options], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch, ["DEBFULLNAME"] = null, ["DEBEMAIL"] = null, ["NAME"] = null, ["EMAIL"] = null }, workingDirectory: _temp.Path);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.GetFullPath(p, _temp.Path))];
    }
}
