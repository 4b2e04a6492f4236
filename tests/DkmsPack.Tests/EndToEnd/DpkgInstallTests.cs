using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>dpkg installs, upgrades and removes a dkmspack .deb, and DKMS does what the scripts ask.</summary>
[Collection(SystemPackages.Name)]
public sealed class DpkgInstallTests : IDisposable
{
    private const string Module = "dkmspack-e2e-deb";
    private const string Package = Module + "-dkms";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void Install_Upgrade_Remove_LeaveDkmsInTheExpectedState()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        string dpkg = RealTool.Require("dpkg");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string v1 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")), "deb").Path;
        string v2 = TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine("out")) with { Version = "0.2" }, "deb").Path;
        Cleanup();

        var install = RealTool.Run(dpkg, "-i", v1);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        foreach (string kernel in kernels)
        {
            Assert.Matches($"^{Module}[/,] ?0\\.1, {kernel}, [^:]+: installed", DkmsStatus(kernel));
            Assert.True(ModuleFileExists(kernel), $"{Module}.ko is not under /lib/modules/{kernel}/updates/dkms");
        }

        var upgrade = RealTool.Run(dpkg, "-i", v2);
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        string[] registered = DkmsStatus(null).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(kernels.Count, registered.Length);
        Assert.All(registered, line => Assert.Matches($"^{Module}[/,] ?0\\.2, ", line));
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.1"));

        var remove = RealTool.Run(dpkg, "-r", Package);
        Assert.True(remove.ExitCode == 0, remove.StdOut + remove.StdErr);
        Assert.Equal(string.Empty, DkmsStatus(null));
        Assert.False(Directory.Exists($"/var/lib/dkms/{Module}"));
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.2"));
        Assert.All(kernels, kernel => Assert.False(ModuleFileExists(kernel)));
    }

    private static string DkmsStatus(string? kernel)
    {
        string[] args = kernel is null ? ["status", "-m", Module] : ["status", "-m", Module, "-k", kernel];
        return RealTool.Run("dkms", args).StdOut.Trim();
    }

    private static bool ModuleFileExists(string kernel) =>
        Directory.Exists($"/lib/modules/{kernel}/updates/dkms")
        && Directory.EnumerateFiles($"/lib/modules/{kernel}/updates/dkms", Module + ".ko*").Any();

    /// <summary>Leaves no trace of the test package, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || Environment.UserName != "root")
        {
            return;
        }

        RealTool.Run("dpkg", "--purge", Package);
        foreach (string version in (string[])["0.1", "0.2"])
        {
            RealTool.Run("dkms", "remove", "-m", Module, "-v", version, "--all");
        }
    }
}
