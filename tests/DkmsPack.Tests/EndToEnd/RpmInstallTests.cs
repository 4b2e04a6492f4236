using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// rpm (on Debian, with --nodeps since dkms is not in the rpm database) installs, upgrades and erases a
/// dkmspack RPM, and DKMS does what the scriptlets ask, in rpm's upgrade order.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class RpmInstallTests : IDisposable
{
    private const string Module = "dkmspack-e2e-rpm";
    private const string Package = Module + "-dkms";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void Install_Upgrade_Erase_LeaveDkmsInTheExpectedState()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string v1 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "rpm").Path;
        string v2 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")) with { Version = "0.2" }, "rpm").Path;
        Cleanup();

        var install = RealTool.Run("rpm", "-i", "--nodeps", v1);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        foreach (string kernel in kernels)
        {
            Assert.Matches($"^{Module}[/,] ?0\\.1, {kernel}, [^:]+: installed", DkmsStatus());
        }

        var upgrade = RealTool.Run("rpm", "-U", "--nodeps", v2);
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        string[] registered = DkmsStatus().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(kernels.Count, registered.Length);
        Assert.All(registered, line => Assert.Matches($"^{Module}[/,] ?0\\.2, .*: installed", line));
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.1"));

        var erase = RealTool.Run("rpm", "-e", "--nodeps", Package);
        Assert.True(erase.ExitCode == 0, erase.StdOut + erase.StdErr);
        Assert.Equal(string.Empty, DkmsStatus());
        Assert.False(Directory.Exists($"/var/lib/dkms/{Module}"));
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.2"));
    }

    [Fact]
    public void ReleaseUpgrade_OfTheSameModuleVersion_KeepsTheModuleRegistered()
    {
        SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string release1 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("r1")), "rpm").Path;
        string release2 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("r2")) with { Revision = "2" }, "rpm").Path;
        Cleanup();

        Assert.Equal(0, RealTool.Run("rpm", "-i", "--nodeps", release1).ExitCode);
        var upgrade = RealTool.Run("rpm", "-U", "--nodeps", release2);

        // The old package's preun must not remove what the new package's post just registered.
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        Assert.Matches($"^{Module}[/,] ?0\\.1, .*: installed", DkmsStatus());
        Assert.Equal("2", RealTool.RunChecked("rpm", "-q", "--qf", "%{RELEASE}", Package));
    }

    private static string DkmsStatus() => RealTool.Run("dkms", "status", "-m", Module).StdOut.Trim();

    /// <summary>Leaves no trace of the test package, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || !File.Exists("/usr/bin/rpm") || Environment.UserName != "root")
        {
            return;
        }

        RealTool.Run("rpm", "-e", "--nodeps", "--allmatches", Package);
        foreach (string version in (string[])["0.1", "0.2"])
        {
            RealTool.Run("dkms", "remove", "-m", Module, "-v", version, "--all");
        }
    }
}
