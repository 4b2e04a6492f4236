using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.EndToEnd;

/// <summary>
/// The scripts must work with dkms 2.8 (Debian 11) as well as 3.x: install, upgrade and remove a package in a
/// Debian 11 chroot with dkms 2.8 and the kernel headers, made by debootstrap (.ci/run makes it and sets
/// DKMSPACK_DKMS28_ROOT to it).
/// </summary>
[Collection(SystemPackages.Name)]
public sealed class Dkms28ChrootTests : IDisposable
{
    private const string RootVariable = "DKMSPACK_DKMS28_ROOT";
    private const string Module = "dkmspack-e2e-dkms28";
    private readonly TempDirectory _temp = new();
    private string? _root;
    private bool _mountedProc;

    public void Dispose()
    {
        if (_root is not null)
        {
            Chroot("dpkg", "--purge", Module + "-dkms");
            if (_mountedProc)
            {
                RealTool.Run("umount", Path.Combine(_root, "proc"));
            }
        }

        _temp.Dispose();
    }

    [Fact]
    public void Install_Upgrade_Remove_WithDkms28()
    {
        _root = RequireChroot();
        string kernel = Assert.Single(Directory.GetDirectories(Path.Combine(_root, "lib/modules")).Select(Path.GetFileName).OfType<string>());
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string staging = Path.Combine(_root, "tmp", "dkmspack-test");
        Directory.CreateDirectory(staging);
        string v1 = TestBuilds.Build(TestBuilds.Request(tree, staging), "deb").Path;
        string v2 = TestBuilds.Build(TestBuilds.Request(tree, staging) with { Version = "0.2" }, "deb").Path;
        string Inside(string path) => "/" + Path.GetRelativePath(_root, path);

        var install = Chroot("dpkg", "-i", Inside(v1));
        Assert.True(install.ExitCode == 0, install.StdOut + install.StdErr);

        // dkms 2.8.4 still prints "name, version, kernel, arch: state".
        Assert.Matches($"^{Module}, 0\\.1, {kernel}, [^:]+: installed$", Chroot("dkms", "status", "-m", Module).StdOut.Trim());
        Assert.True(File.Exists(Path.Combine(_root, "lib/modules", kernel, "updates/dkms", Module + ".ko")));

        var upgrade = Chroot("dpkg", "-i", Inside(v2));
        Assert.True(upgrade.ExitCode == 0, upgrade.StdOut + upgrade.StdErr);
        Assert.Matches($"^{Module}, 0\\.2, {kernel}, [^:]+: installed$", Chroot("dkms", "status", "-m", Module).StdOut.Trim());

        var remove = Chroot("dpkg", "-r", Module + "-dkms");
        Assert.True(remove.ExitCode == 0, remove.StdOut + remove.StdErr);
        Assert.Equal(string.Empty, Chroot("dkms", "status", "-m", Module).StdOut.Trim());
        Assert.False(Directory.Exists(Path.Combine(_root, "var/lib/dkms", Module)));
        Assert.False(Directory.Exists(Path.Combine(_root, "usr/src", Module + "-0.2")));
    }

    private string RequireChroot()
    {
        SystemPackages.RequireOptIn();
        string? root = Environment.GetEnvironmentVariable(RootVariable);
        if (string.IsNullOrEmpty(root) || !File.Exists(Path.Combine(root, "usr/sbin/dkms")) || Environment.UserName != "root")
        {
            string reason = $"no Debian 11 chroot with dkms 2.8 ({RootVariable}; .ci/run makes one with debootstrap) or not root";
            if (Environment.GetEnvironmentVariable(RealTool.RequireToolsVariable) == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        if (!File.Exists(Path.Combine(root, "proc/self/status")))
        {
            RealTool.RunChecked("mount", "-t", "proc", "proc", Path.Combine(root, "proc"));
            _mountedProc = true;
        }

        return root;
    }

    private (int ExitCode, string StdOut, string StdErr) Chroot(params string[] command) =>
        RealTool.Run("chroot", [_root!, .. command]);
}
