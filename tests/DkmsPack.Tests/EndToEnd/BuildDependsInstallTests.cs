using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// Two modules, the second built after the first (BUILD_DEPENDS): dpkg refuses the second alone, and with the
/// first both install and DKMS builds both.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class BuildDependsInstallTests : IDisposable
{
    private const string Base = "dkmspack-e2e-base";
    private const string User = "dkmspack-e2e-user";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void DependentModule_IsRefusedAlone_AndBuildsBesideItsBase()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        string dpkg = RealTool.Require("dpkg");
        string baseTree = ExampleModule.CopyRenamed(_temp, Base);
        string userTree = ExampleModule.CopyRenamed(_temp, User);
        File.AppendAllText(Path.Combine(userTree, "dkms.conf"), $"BUILD_DEPENDS=\"{Base}\"\n");
        string baseDeb = TestBuilds.Build(TestBuilds.Request(baseTree, _temp.Combine("out")), "deb").Path;
        string userDeb = TestBuilds.Build(TestBuilds.Request(userTree, _temp.Combine("out")), "deb").Path;
        Cleanup();

        var alone = RealTool.Run(dpkg, "-i", userDeb);
        Assert.NotEqual(0, alone.ExitCode);
        Assert.Contains($"depends on {Base}-dkms", alone.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, RealTool.Run("dkms", "status", "-m", User).StdOut.Trim());
        RealTool.Run(dpkg, "--purge", User + "-dkms");

        var both = RealTool.Run(dpkg, "-i", baseDeb, userDeb);
        Assert.True(both.ExitCode == 0, both.StdOut + both.StdErr);
        foreach (string kernel in kernels)
        {
            foreach (string module in (string[])[Base, User])
            {
                Assert.Matches($"^{module}[/,] ?0\\.1, {kernel}, [^:]+: installed", RealTool.Run("dkms", "status", "-m", module, "-k", kernel).StdOut.Trim());
            }
        }
    }

    /// <summary>Leaves no trace of either package, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || Environment.UserName != "root")
        {
            return;
        }

        foreach (string module in (string[])[User, Base])
        {
            RealTool.Run("dpkg", "--purge", module + "-dkms");
            RealTool.Run("dkms", "remove", "-m", module, "-v", "0.1", "--all");
        }
    }
}
