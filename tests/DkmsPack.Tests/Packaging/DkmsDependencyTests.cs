using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Packaging;

/// <summary>
/// The dependencies dkms.conf implies (README "Minimum DKMS version", "BUILD_DEPENDS"), as dpkg-deb and rpm read them
/// from the packages, and as rpm's dependency check applies them.
/// </summary>
public sealed class DkmsDependencyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("", "dkms (>= 2.1.0.0)", "dkms")]
    [InlineData("BUILD_EXCLUSIVE_CONFIG=\"CONFIG_ACPI\"\n", "dkms (>= 3.0.3-4~)", "dkms >= 3.0.11")]
    [InlineData("BUILD_EXCLUSIVE_KERNEL_MIN=\"6.1\"\n", "dkms (>= 3.0.11)", "dkms >= 3.0.11")]
    [InlineData("BUILD_EXCLUSIVE_CONFIG=\"CONFIG_ACPI\"\nBUILD_DEPENDS_REBUILD=\"yes\"\nBUILD_DEPENDS=\"other\"\n", "dkms (>= 3.2.0), other-dkms", "dkms >= 3.2.0")]
    [InlineData("BUILD_EXCLUSIVE_ARCH[1]=\"x86_64\"\nBUILT_MODULE_NAME[1]=\"second\"\nDEST_MODULE_LOCATION[1]=\"/updates\"\nBUILT_MODULE_NAME[0]=\"apple-gmux\"\n", "dkms (>= 3.3.0)", "dkms >= 3.3.0")]
    public void MinimumDkms_IsWhatTheNewestDirectiveNeeds(string appended, string debDepends, string rpmDkms)
    {
        string tree = Tree(appended);

        string deb = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "deb").Path;
        string rpm = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "rpm").Path;

        Assert.Equal(debDepends, RealTool.RunChecked("dpkg-deb", "-f", deb, "Depends").Trim());
        Assert.Contains(rpmDkms, RpmRequires(rpm));
        Assert.DoesNotContain(RpmRequires(rpm), line => line.StartsWith("dkms", StringComparison.Ordinal) && line != rpmDkms);
    }

    [Fact]
    public void ZeroModules_RequireDkms3011()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), "PACKAGE_NAME=\"apple-gmux\"\nPACKAGE_VERSION=\"0.1\"\nAUTOINSTALL=\"yes\"\n");

        string deb = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "deb").Path;

        Assert.Equal("dkms (>= 3.0.11)", RealTool.RunChecked("dpkg-deb", "-f", deb, "Depends").Trim());
    }

    [Fact]
    public void BuildDepends_NameTheOtherModulesPackage_InEachFormatsSpelling()
    {
        string tree = Tree("BUILD_DEPENDS=(\"Base_Module\" \"helper\")\n");

        string deb = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "deb").Path;
        string rpm = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "rpm").Path;

        Assert.Equal("dkms (>= 2.3), base-module-dkms, helper-dkms", RealTool.RunChecked("dpkg-deb", "-f", deb, "Depends").Trim());
        Assert.Contains("Base_Module-dkms", RpmRequires(rpm));
        Assert.Contains("helper-dkms", RpmRequires(rpm));
        Assert.Contains("dkms >= 2.3", RpmRequires(rpm));
    }

    [Fact]
    public void DependsMap_RenamesTheDependency_AndWarnsOfAModuleNotInBuildDepends()
    {
        string tree = Tree("BUILD_DEPENDS=\"nvidia\"\n");
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["build", tree, "-o", output, "--maintainer", "T <t@example.org>", "--depends-map", "nvidia=nvidia-kernel-dkms", "--depends-map", "nvidai=x"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("dkmspack: warning: --depends-map nvidai=…: dkms.conf's BUILD_DEPENDS does not name nvidai", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("dkms (>= 2.3), nvidia-kernel-dkms", RealTool.RunChecked("dpkg-deb", "-f", Directory.GetFiles(output, "*.deb").Single(), "Depends").Trim());
        Assert.Contains("nvidia-kernel-dkms", RpmRequires(Directory.GetFiles(output, "*.rpm").Single()));
    }

    [Theory]
    [InlineData("nvidia")]
    [InlineData("=pkg")]
    [InlineData("nvidia=bad name")]
    public void DependsMap_Malformed_IsAnOptionError(string entry)
    {
        var result = DkmsPackProcess.Run(["mkdeb", Tree("BUILD_DEPENDS=\"nvidia\"\n"), "-o", _temp.Combine("out"), "--depends-map", entry]);

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        Assert.Contains("is not MODULE=PACKAGE", Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildDepends_RpmRefusesThePackageWithoutTheOtherModule()
    {
        string rpm = RealTool.Require("rpm");
        string package = TestBuilds.Build(TestBuilds.Request(Tree("BUILD_DEPENDS=\"dkmspack_absent_base\"\n"), _temp.Combine("out")), "rpm").Path;

        var test = RealTool.Run(rpm, "-i", "--test", "--dbpath", _temp.Combine("rpmdb"), package);

        Assert.NotEqual(0, test.ExitCode);
        Assert.Contains("dkmspack_absent_base-dkms is needed by", test.StdErr, StringComparison.Ordinal);
    }

    private string Tree(string appended)
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree-" + Guid.NewGuid().ToString("N")[..8]);
        File.AppendAllText(Path.Combine(tree, "dkms.conf"), appended);
        return tree;
    }

    private static string[] RpmRequires(string package) =>
        RealTool.RunChecked("rpm", "-qp", "--requires", package).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
