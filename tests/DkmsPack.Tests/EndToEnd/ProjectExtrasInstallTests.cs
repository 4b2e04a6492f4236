using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// The greeter example (renamed) on this machine: dpkg and rpm install its extra files and DKMS builds the module; a
/// user's edit of the conffile survives an upgrade whose package changed it (dpkg keeps it and writes .dpkg-dist, rpm
/// writes .rpmnew); purge and erase remove everything, the conffile included (rpm saves an edited one as .rpmsave).
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class ProjectExtrasInstallTests : IDisposable
{
    private const string Module = "dkmspack-e2e-greet";
    private const string Package = Module + "-dkms";
    private const string Conffile = $"/etc/modprobe.d/{Module}.conf";
    private const string Rules = $"/usr/lib/udev/rules.d/60-{Module}.rules";
    private const string DocDirectory = $"/usr/share/doc/{Package}";
    private const string UserEdit = $"options {Module} greeting=\"edited by the user\"\n";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void Dpkg_InstallsTheExtras_KeepsTheEditedConffileOnUpgrade_AndPurgeRemovesEverything()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        string dpkg = RealTool.Require("dpkg");
        (string v1, string v2) = BuildBoth("deb");
        Cleanup();

        var install = RealTool.Run(dpkg, "-i", v1);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        Assert.Contains($"{Module}: run 'modprobe {Module}'", install.StdOut, StringComparison.Ordinal);
        AssertExtrasInstalled();
        Assert.Matches($@"(?m)^ {Conffile} [0-9a-f]{{32}}$", RealTool.RunChecked("dpkg-query", "-W", "-f", "${Conffiles}\n", Package));
        AssertBuiltFor(kernels, "0.1");

        File.AppendAllText(Conffile, UserEdit);
        string edited = File.ReadAllText(Conffile);
        var upgrade = RealTool.Run(dpkg, "-i", "--force-confold", v2);
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        Assert.Equal(edited, File.ReadAllText(Conffile));
        Assert.Contains("# changed in 0.2", File.ReadAllText(Conffile + ".dpkg-dist"), StringComparison.Ordinal);
        AssertBuiltFor(kernels, "0.2");

        var remove = RealTool.Run(dpkg, "-r", Package);
        Assert.True(remove.ExitCode == 0, remove.StdOut + remove.StdErr);
        Assert.True(File.Exists(Conffile), "dpkg -r keeps conffiles until purge");
        Assert.False(File.Exists(Rules));

        var purge = RealTool.Run(dpkg, "-P", Package);
        Assert.True(purge.ExitCode == 0, purge.StdOut + purge.StdErr);
        AssertNothingLeft();
        Assert.Empty(Directory.EnumerateFiles("/etc/modprobe.d", Module + ".conf*"));
    }

    [Fact]
    public void Rpm_InstallsTheExtras_WritesRpmnewOnUpgrade_AndEraseRemovesEverything()
    {
        IReadOnlyList<string> kernels = SystemPackages.RequireDkmsMachine();
        RealTool.Require("rpm");
        (string v1, string v2) = BuildBoth("rpm");
        Cleanup();

        var install = RealTool.Run("rpm", "-i", "--nodeps", v1);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        AssertExtrasInstalled();
        Assert.Equal(Conffile, RealTool.RunChecked("rpm", "-qc", Package).Trim());
        AssertBuiltFor(kernels, "0.1");

        File.AppendAllText(Conffile, UserEdit);
        string edited = File.ReadAllText(Conffile);
        var upgrade = RealTool.Run("rpm", "-U", "--nodeps", v2);
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        Assert.Equal(edited, File.ReadAllText(Conffile));
        Assert.Contains("# changed in 0.2", File.ReadAllText(Conffile + ".rpmnew"), StringComparison.Ordinal);
        AssertBuiltFor(kernels, "0.2");

        var erase = RealTool.Run("rpm", "-e", "--nodeps", Package);
        Assert.True(erase.ExitCode == 0, erase.StdOut + erase.StdErr);
        AssertNothingLeft();
        Assert.False(File.Exists(Conffile));
        Assert.Equal(edited, File.ReadAllText(Conffile + ".rpmsave"));
    }

    /// <summary>0.1, then 0.2 whose packaged conffile differs (so that the package managers must choose).</summary>
    private (string V1, string V2) BuildBoth(string format)
    {
        string tree = GreeterExample.CopyRenamed(_temp, Module);
        string v1 = TestBuilds.Build(GreeterExample.Request(tree, _temp.Combine("out-0.1")), format).Path;
        File.AppendAllText(Path.Combine(tree, Module + ".conf"), "# changed in 0.2\n");
        string v2 = TestBuilds.Build(GreeterExample.Request(tree, _temp.Combine("out-0.2")) with { Version = "0.2" }, format).Path;
        return (v1, v2);
    }

    private static void AssertExtrasInstalled()
    {
        Assert.True(File.Exists(Conffile), Conffile);
        Assert.Contains($"KERNEL==\"{Module}\"", File.ReadAllText(Rules), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DocDirectory, "README.md")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Rules));
    }

    private static void AssertBuiltFor(IReadOnlyList<string> kernels, string version)
    {
        foreach (string kernel in kernels)
        {
            Assert.Matches($"^{Module}[/,] ?{version.Replace(".", "\\.", StringComparison.Ordinal)}, {kernel}, [^:]+: installed", RealTool.Run("dkms", "status", "-m", Module, "-k", kernel).StdOut.Trim());
        }
    }

    private static void AssertNothingLeft()
    {
        Assert.False(File.Exists(Rules), Rules);
        Assert.False(Directory.Exists(DocDirectory), DocDirectory);
        Assert.Empty(Directory.EnumerateDirectories("/usr/src", Module + "-*"));
        Assert.Equal(string.Empty, RealTool.Run("dkms", "status", "-m", Module).StdOut.Trim());
    }

    /// <summary>Leaves no trace of the test package, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (!File.Exists("/usr/sbin/dkms") || Environment.UserName != "root")
        {
            return;
        }

        if (RealTool.Find("dpkg") is not null)
        {
            RealTool.Run("dpkg", "--purge", Package);
        }

        if (RealTool.Find("rpm") is not null)
        {
            RealTool.Run("rpm", "-e", "--nodeps", Package);
        }

        foreach (string version in (string[])["0.1", "0.2"])
        {
            RealTool.Run("dkms", "remove", "-m", Module, "-v", version, "--all");
        }

        foreach (string leftover in Directory.EnumerateFiles("/etc/modprobe.d", Module + ".conf*"))
        {
            File.Delete(leftover);
        }

        File.Delete(Rules);
        if (Directory.Exists(DocDirectory))
        {
            Directory.Delete(DocDirectory, recursive: true);
        }
    }
}
