using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.SourcePackages;

/// <summary>
/// The package Debian's tools build from our source package installs on this machine and DKMS builds the module, as
/// a PPA user would see it; removal leaves nothing. Needs DKMSPACK_E2E=1 (it installs), debhelper and dh-dkms.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class DscInstallTests : IDisposable
{
    private const string Module = "dkmspack-e2e-dsc";
    private const string Package = Module + "-dkms";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void DebianBuiltPackage_Installs_DkmsBuildsTheModule_AndRemovalLeavesNothing()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("dh");
        RealTool.Require("dh_dkms");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string dsc = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "dsc").Path;
        Directory.CreateDirectory(_temp.Combine("build"));
        string unpacked = _temp.Combine("build", "tree");
        RealTool.RunChecked("dpkg-source", "-x", dsc, unpacked);
        var build = RealTool.Run(new RealToolOptions(unpacked), "dpkg-buildpackage", "-b", "-uc", "-us");
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        string deb = Directory.GetFiles(_temp.Combine("build"), "*_all.deb").Single();
        Cleanup();

        var install = RealTool.Run("dpkg", "-i", deb);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        foreach (string kernel in kernels)
        {
            Assert.Matches($"^{Module}[/,] ?0\\.1, {kernel}, [^:]+: installed", RealTool.Run("dkms", "status", "-m", Module, "-k", kernel).StdOut.Trim());
        }

        var remove = RealTool.Run("dpkg", "--purge", Package);
        Assert.True(remove.ExitCode == 0, remove.StdOut + remove.StdErr);
        Assert.Equal(string.Empty, RealTool.Run("dkms", "status", "-m", Module).StdOut.Trim());
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.1"));
    }

    /// <summary>Leaves no trace of the test package, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || Environment.UserName != "root")
        {
            return;
        }

        RealTool.Run("dpkg", "--purge", Package);
        RealTool.Run("dkms", "remove", "-m", Module, "-v", "0.1", "--all");
    }
}
