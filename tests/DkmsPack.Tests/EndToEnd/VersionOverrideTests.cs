using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// --version on trees whose PACKAGE_VERSION is a placeholder or computed: the packaged dkms.conf carries the
/// literal version, so DKMS on the target sees the package's name and version; the tree itself is untouched.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class VersionOverrideTests : IDisposable
{
    private const string Module = "dkmspack-e2e-version";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        if (File.Exists("/usr/sbin/dkms") && Environment.UserName == "root")
        {
            RealTool.Run("dpkg", "--purge", Module + "-dkms");
            RealTool.Run("dkms", "remove", "-m", Module, "-v", "0.3", "--all");
        }

        _temp.Dispose();
    }

    [Theory]
    [InlineData("PACKAGE_VERSION=\"#MODULE_VERSION#\"")]
    [InlineData("PACKAGE_VERSION=\"#VERSION#\"")]
    [InlineData("PACKAGE_VERSION=\"@VERSION@\"")]
    [InlineData("PACKAGE_VERSION=\"__VERSION_STRING\"")]
    [InlineData("PACKAGE_VERSION=\"$(cat VERSION)\"")]
    [InlineData("PACKAGE_VERSION=`cat VERSION`")]
    public void Placeholder_IsReplacedInThePackagedDkmsConf_Only(string assignment)
    {
        string tree = TreeWithVersionLine(assignment);
        string original = File.ReadAllText(Path.Combine(tree, "dkms.conf"));
        string deb = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")) with { Version = "0.3" }, "deb").Path;

        string extracted = _temp.Combine("x");
        RealTool.RunChecked("dpkg-deb", "-x", deb, extracted);
        string packaged = File.ReadAllText(Path.Combine(extracted, "usr/src", Module + "-0.3", "dkms.conf"));

        Assert.Contains("PACKAGE_VERSION=\"0.3\"", packaged, StringComparison.Ordinal);
        Assert.DoesNotContain(assignment, packaged, StringComparison.Ordinal);
        Assert.Equal(original.Replace(assignment, "PACKAGE_VERSION=\"0.3\"", StringComparison.Ordinal), packaged);
        Assert.Equal(original, File.ReadAllText(Path.Combine(tree, "dkms.conf")));
    }

    [Fact]
    public void Placeholder_WithoutVersion_IsAnErrorThatSaysWhatToDo()
    {
        string tree = TreeWithVersionLine("PACKAGE_VERSION=\"#MODULE_VERSION#\"");

        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", _temp.Combine("out")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dkms.conf:2: error:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--version", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("out")) && Directory.EnumerateFileSystemEntries(_temp.Combine("out")).Any());
    }

    [Fact]
    public void PlaceholderPackage_InstallsAndDkmsKnowsTheVersion()
    {
        SystemPackages.RequireDkmsMachine();
        string tree = TreeWithVersionLine("PACKAGE_VERSION=\"#MODULE_VERSION#\"");
        string deb = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")) with { Version = "0.3" }, "deb").Path;

        var install = RealTool.Run("dpkg", "-i", deb);

        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        Assert.Matches($"^{Module}[/,] ?0\\.3, .*: installed", RealTool.Run("dkms", "status", "-m", Module).StdOut.Trim());
    }

    /// <summary>The example renamed to our module, with its PACKAGE_VERSION line (line 2) replaced.</summary>
    private string TreeWithVersionLine(string assignment)
    {
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string conf = Path.Combine(tree, "dkms.conf");
        File.WriteAllText(conf, File.ReadAllText(conf).Replace("PACKAGE_VERSION=\"0.1\"", assignment, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(tree, "VERSION"), "0.3\n");
        return tree;
    }
}
