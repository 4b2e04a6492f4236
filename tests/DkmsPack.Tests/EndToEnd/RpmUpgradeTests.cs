using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// Issue #9 on this machine's rpm and dkms: an upgrade to a package whose module keeps its MODULE_VERSION
/// installs the new build (defect A), and a reinstall or an upgrade of the Release only keeps the module
/// registered and installed, also where ps is missing (defect B: dkms's --rpm_safe_upgrade lock needs ps and a
/// /tmp shared by the scriptlets). Each build carries a marker, <c>MODULE_INFO(dkmspack_build, VERSION)</c>, so
/// that modinfo tells which package's build is installed.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class RpmUpgradeTests : IDisposable
{
    private const string Module = "dkmspack-e2e-rpmup";
    private const string Package = Module + "-dkms";
    private readonly TempDirectory _temp = new();
    private readonly HashSet<string> _tmpBefore = TmpEntries();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void Upgrade_ToAVersionWithTheSameModuleVersion_InstallsTheNewBuild_AndEraseLeavesNothing()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        string v1 = BuildRpm("0.1", "1");
        string v2 = BuildRpm("0.2", "1");
        Cleanup();

        AssertSucceeds(Rpm("-i", "--nodeps", v1));
        AssertInstalled(kernels, "0.1");

        AssertSucceeds(Rpm("-U", "--nodeps", v2));
        AssertInstalled(kernels, "0.2");
        Assert.False(Directory.Exists($"/usr/src/{Module}-0.1"));

        AssertSucceeds(Rpm("-e", "--nodeps", Package));
        AssertNothingLeft();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reinstall_KeepsTheModuleRegisteredAndInstalled(bool withoutPs)
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        string rpm = BuildRpm("0.1", "1");
        Cleanup();

        AssertSucceeds(Rpm("-i", "--nodeps", rpm));
        AssertSucceeds(Rpm(withoutPs, "--reinstall", "--nodeps", rpm));

        AssertInstalled(kernels, "0.1");
        AssertSucceeds(Rpm("-e", "--nodeps", Package));
        AssertNothingLeft();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReleaseOnlyUpgrade_KeepsTheModuleRegisteredAndInstalled(bool withoutPs)
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        string release1 = BuildRpm("0.1", "1");
        string release2 = BuildRpm("0.1", "2");
        Cleanup();

        AssertSucceeds(Rpm("-i", "--nodeps", release1));
        AssertSucceeds(Rpm(withoutPs, "-U", "--nodeps", release2));

        AssertInstalled(kernels, "0.1");
        Assert.Equal("2", RealTool.RunChecked("rpm", "-q", "--qf", "%{RELEASE}", Package));
        AssertSucceeds(Rpm("-e", "--nodeps", Package));
        AssertNothingLeft();
    }

    /// <summary>The example renamed, at DKMS version <paramref name="version"/>, its MODULE_VERSION left at 0.1, with a marker of its own.</summary>
    private string BuildRpm(string version, string release)
    {
        string tree = Directory.Exists(_temp.Combine(Module)) ? _temp.Combine(Module) : ExampleModule.CopyRenamed(_temp, Module);
        string source = Path.Combine(tree, Module + ".c");
        string text = File.ReadAllText(source);
        int marker = text.IndexOf("MODULE_INFO(dkmspack_build", StringComparison.Ordinal);
        text = (marker < 0 ? text : text[..marker]) + $"MODULE_INFO(dkmspack_build, \"{version}\");\n";
        File.WriteAllText(source, text);
        return TestBuilds.Build(TestBuilds.Request(tree, _temp.Combine($"out-{version}-{release}")) with { Version = version, Revision = release }, "rpm").Path;
    }

    private static (int ExitCode, string StdOut, string StdErr) Rpm(params string[] args) => Rpm(false, args);

    /// <summary>
    /// Runs rpm; <paramref name="withoutPs"/> runs it in a mount namespace of its own where ps is /bin/false, as on
    /// a system without procps (dkms does not depend on it).
    /// </summary>
    private static (int ExitCode, string StdOut, string StdErr) Rpm(bool withoutPs, params string[] args)
    {
        if (!withoutPs)
        {
            return RealTool.Run("rpm", args);
        }

        RealTool.Require("unshare");
        string ps = RealTool.Require("ps");
        return RealTool.Run("unshare", ["--mount", "sh", "-c", "mount --bind /bin/false \"$0\" && exec rpm \"$@\"", ps, .. args]);
    }

    private static void AssertSucceeds((int ExitCode, string StdOut, string StdErr) result) =>
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StdOut}{result.StdErr}");

    /// <summary>DKMS has exactly <paramref name="version"/>, installed for every kernel, and the .ko there is that package's build.</summary>
    private static void AssertInstalled(IReadOnlyList<string> kernels, string version)
    {
        string[] status = DkmsStatus().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(kernels.Count, status.Length);
        Assert.All(status, line => Assert.Matches($"^{Module}[/,] ?{version.Replace(".", "\\.", StringComparison.Ordinal)}, .*: installed", line));
        foreach (string kernel in kernels)
        {
            string[] modules = InstalledModules(kernel);
            Assert.True(modules.Length == 1, $"{kernel}: {modules.Length} installed {Module}.ko: {string.Join(", ", modules)}");
            Assert.Equal(version, RealTool.RunChecked("modinfo", "-F", "dkmspack_build", modules[0]).Trim());
        }
    }

    private void AssertNothingLeft()
    {
        Assert.Equal(string.Empty, DkmsStatus());
        Assert.False(Directory.Exists($"/var/lib/dkms/{Module}"), $"/var/lib/dkms/{Module} is left");
        Assert.Empty(Directory.EnumerateDirectories("/usr/src", Module + "-*"));
        Assert.All(ExampleModule.KernelsWithHeaders(), kernel => Assert.Empty(InstalledModules(kernel)));
        Assert.Equal(1, RealTool.Run("rpm", "-q", Package).ExitCode);
        // dkms's own temporary files and locks are dkms.* and dkms_*; the tests' directories are dkmspack-*.
        Assert.DoesNotContain(TmpEntries().Except(_tmpBefore), e => e.StartsWith("dkms_", StringComparison.Ordinal) || e.StartsWith("dkms.", StringComparison.Ordinal));
    }

    private static string[] InstalledModules(string kernel)
    {
        string tree = Path.Combine("/lib/modules", kernel);
        return Directory.Exists(tree) ? [.. Directory.EnumerateFiles(tree, Module + ".ko*", SearchOption.AllDirectories)] : [];
    }

    private static HashSet<string> TmpEntries() => [.. Directory.EnumerateFileSystemEntries("/tmp").Select(Path.GetFileName).OfType<string>()];

    private static string DkmsStatus() => RealTool.Run("dkms", "status", "-m", Module).StdOut.Trim();

    /// <summary>Leaves no trace of the test package, whatever state a failed run left.</summary>
    private void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || !File.Exists("/usr/bin/rpm") || Environment.UserName != "root")
        {
            return;
        }

        RealTool.Run("rpm", "-e", "--nodeps", "--noscripts", "--allmatches", Package);
        foreach (string version in (string[])["0.1", "0.2"])
        {
            RealTool.Run("dkms", "remove", "-m", Module, "-v", version, "--all");
            if (Directory.Exists($"/usr/src/{Module}-{version}"))
            {
                Directory.Delete($"/usr/src/{Module}-{version}", recursive: true);
            }
        }

        if (Directory.Exists($"/var/lib/dkms/{Module}"))
        {
            Directory.Delete($"/var/lib/dkms/{Module}", recursive: true);
        }

        foreach (string kernel in ExampleModule.KernelsWithHeaders())
        {
            foreach (string ko in InstalledModules(kernel))
            {
                File.Delete(ko);
            }
        }

        // The lock files dkms --rpm_safe_upgrade leaves (the scriptlets before issue #9 used it).
        foreach (string entry in TmpEntries().Except(_tmpBefore).Where(e => e.StartsWith("dkms_rpm_safe_upgrade_lock.", StringComparison.Ordinal)))
        {
            File.Delete(Path.Combine("/tmp", entry));
        }
    }
}
