using DkmsPack.Tests.Prebuilt;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// dpkg and rpm install and remove the prebuilt module packages on this machine: the module lands where the
/// family expects it, depmod lists it in modules.dep, modinfo finds it by name, and removal leaves no entry.
/// The kernel image itself is not installed here (only its headers), so dpkg is told to overlook the Depends on
/// linux-image-KERNEL and rpm the Requires on kernel-uname-r.
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class PrebuiltInstallTests : IDisposable
{
    private const string Module = "dkmspack-e2e-bm";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Cleanup();
        _temp.Dispose();
    }

    [Fact]
    public void ModulesDeb_InstallsUnderUpdatesDkms_AndDepmodListsItUntilRemoval()
    {
        string kernel = RequireInstallMachine();
        string dpkg = RealTool.Require("dpkg");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string deb = TestBuilds.Build(PrebuiltTrees.Request(tree, _temp.Combine("out"), kernel), "bmdeb").Path;
        Cleanup();

        var install = RealTool.Run(dpkg, "--force-depends", "-i", deb);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        Assert.True(File.Exists($"/lib/modules/{kernel}/updates/dkms/{Module}.ko"));
        Assert.Contains($"updates/dkms/{Module}.ko:", File.ReadAllText($"/lib/modules/{kernel}/modules.dep"), StringComparison.Ordinal);
        Assert.Equal($"/lib/modules/{kernel}/updates/dkms/{Module}.ko", RealTool.RunChecked("modinfo", "-k", kernel, "-F", "filename", Module).Trim());

        var remove = RealTool.Run(dpkg, "--force-depends", "-r", $"{Module}-modules-{kernel}");
        Assert.True(remove.ExitCode == 0, remove.StdOut + remove.StdErr);
        Assert.False(File.Exists($"/lib/modules/{kernel}/updates/dkms/{Module}.ko"));
        Assert.DoesNotContain($"{Module}.ko", File.ReadAllText($"/lib/modules/{kernel}/modules.dep"), StringComparison.Ordinal);
    }

    [Fact]
    public void Kmod_InstallsUnderExtra_AndDepmodListsItUntilRemoval()
    {
        string kernel = RequireInstallMachine();
        string rpm = RealTool.Require("rpm");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string package = TestBuilds.Build(PrebuiltTrees.Request(tree, _temp.Combine("out"), kernel), "kmod").Path;
        Cleanup();

        var install = RealTool.Run(rpm, "-i", "--nodeps", package);
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);
        string installed = $"/lib/modules/{kernel}/extra/{Module}/{Module}.ko";
        Assert.True(File.Exists(installed));
        Assert.Contains($"extra/{Module}/{Module}.ko:", File.ReadAllText($"/lib/modules/{kernel}/modules.dep"), StringComparison.Ordinal);
        Assert.Equal(installed, RealTool.RunChecked("modinfo", "-k", kernel, "-F", "filename", Module).Trim());

        var erase = RealTool.Run(rpm, "-e", "--nodeps", $"kmod-{Module}-{kernel}");
        Assert.True(erase.ExitCode == 0, erase.StdOut + erase.StdErr);
        Assert.False(File.Exists(installed));
        Assert.DoesNotContain($"{Module}.ko", File.ReadAllText($"/lib/modules/{kernel}/modules.dep"), StringComparison.Ordinal);
    }

    /// <summary>
    /// What the real dkms built (into a private --dkmstree; dkms 3.x signs it with its MOK key, which it creates in
    /// /var/lib/dkms when missing) is packaged byte for byte by --from-dkms.
    /// </summary>
    [Fact]
    public void FromDkms_PackagesTheModuleDkmsBuilt_AsItIs()
    {
        string kernel = RequireInstallMachine();
        string dkms = RealTool.Require("dkms");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string sources = _temp.Combine("sources");
        Directory.CreateDirectory(sources);
        Directory.Move(tree, Path.Combine(sources, $"{Module}-0.1"));
        string dkmsTree = _temp.Combine("dkms-tree");
        Directory.CreateDirectory(dkmsTree);
        var build = RealTool.Run(dkms, "build", "--dkmstree", dkmsTree, "--sourcetree", sources, "-m", Module, "-v", "0.1", "-k", kernel);
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        string dkmsModule = Directory.EnumerateFiles(Path.Combine(dkmsTree, Module, "0.1", kernel), Module + ".ko*", SearchOption.AllDirectories).Single();

        var run = DkmsPackProcess.Run(["mkbmdeb", Path.Combine(sources, $"{Module}-0.1"), "--from-dkms", Path.Combine(dkmsTree, Module, "0.1"), "-k", kernel, "-o", _temp.Combine("out")]);
        Assert.True(run.ExitCode == 0, run.StdErr);
        string root = _temp.Combine("root");
        RealTool.RunChecked("dpkg-deb", "-x", Directory.EnumerateFiles(_temp.Combine("out"), "*.deb").Single(), root);
        string packaged = Path.Combine(root, "lib", "modules", kernel, "updates", "dkms", Path.GetFileName(dkmsModule));
        Assert.Equal(File.ReadAllBytes(dkmsModule), File.ReadAllBytes(packaged));
    }

    private static string RequireInstallMachine()
    {
        SystemPackages.RequireOptIn();
        if (Environment.UserName != "root")
        {
            SystemPackages.SkipOrFail("installing packages needs root");
        }

        RealTool.Require("depmod");
        RealTool.Require("modinfo");
        return PrebuiltTrees.KernelWithHeaders();
    }

    /// <summary>Leaves no trace of the test packages, whatever state a failed run left.</summary>
    private static void Cleanup()
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        foreach (string kernel in ExampleModule.KernelsWithHeaders())
        {
            if (RealTool.Find("dpkg") is { } dpkg)
            {
                RealTool.Run(dpkg, "--force-depends", "--purge", $"{Module}-modules-{kernel}");
            }

            if (RealTool.Find("rpm") is { } rpm)
            {
                RealTool.Run(rpm, "-e", "--nodeps", $"kmod-{Module}-{kernel}");
            }
        }
    }
}
