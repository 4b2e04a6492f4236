using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Packaging.Arch;

/// <summary>
/// The Arch package, judged by Debian's pacman (installing into a temporary root with its own database, scriptlets
/// and dependency checks off, since that root has no dkms) and by bsdtar.
/// </summary>
public sealed class ArchPackageTests : IDisposable
{
    private const string Maintainer = "Test Maintainer <test@example.org>";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Pacman_InstallsIt_ShowsTheMetadata_ChecksEveryFile_AndRemovesIt()
    {
        string pacman = RealTool.Require("pacman");
        string package = Build(Repo.Example("apple-gmux-0.1"));
        string root = NewRoot();

        Pacman(pacman, root, "-U", "--noconfirm", "--noscriptlet", "-dd", package);

        string info = Pacman(pacman, root, "-Qi", "apple-gmux-dkms");
        Assert.Matches(@"(?m)^Version\s+: 0\.1-1$", info);
        Assert.Matches(@"(?m)^Architecture\s+: any$", info);
        Assert.Matches(@"(?m)^Depends On\s+: dkms$", info);
        Assert.Matches(@"(?m)^Licenses\s+: GPL-2\.0-only$", info);
        Assert.Matches($@"(?m)^Packager\s+: {Maintainer}$", info);
        Assert.Contains("0 altered files", Pacman(pacman, root, "-Qkk", "apple-gmux-dkms"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "usr/src/apple-gmux-0.1/dkms.conf")));

        // -Qkk really compares against the .MTREE: a changed file is reported.
        File.AppendAllText(Path.Combine(root, "usr/src/apple-gmux-0.1/Makefile"), "# edited\n");
        var altered = RealTool.Run(pacman, "--root", root, "--dbpath", DbPath(root), "-Qkk", "apple-gmux-dkms");
        Assert.NotEqual(0, altered.ExitCode);
        Assert.Contains("usr/src/apple-gmux-0.1/Makefile", altered.StdErr + altered.StdOut, StringComparison.Ordinal);

        Pacman(pacman, root, "-R", "--noconfirm", "--noscriptlet", "-dd", "apple-gmux-dkms");
        Assert.False(Directory.Exists(Path.Combine(root, "usr/src/apple-gmux-0.1")));
    }

    [Fact]
    public void Bsdtar_ListsTheMetadataFirst_ThenEveryPathInCOrder()
    {
        string bsdtar = RealTool.Require("bsdtar");
        string package = Build(Repo.Example("hello-pair"));

        string[] names = RealTool.RunChecked(bsdtar, "-tf", package).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([".BUILDINFO", ".MTREE", ".PKGINFO"], names[..3]);
        Assert.Equal(names[3..].Order(StringComparer.Ordinal), names[3..]);
        Assert.Equal(["usr/", "usr/src/"], names[3..5]);
        Assert.Contains(names, name => name.EndsWith("/dkms.conf", StringComparison.Ordinal));
    }

    [Fact]
    public void Relationships_AndTheMinimumDkms_ReachPacman()
    {
        string pacman = RealTool.Require("pacman");
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        File.AppendAllText(Path.Combine(tree, "dkms.conf"), "BUILD_EXCLUSIVE_KERNEL_MIN=\"6.1\"\nBUILD_DEPENDS=\"Base_Module\"\n");

        string info = RealTool.RunChecked(pacman, "-Qip", Build(tree));

        Assert.Matches(@"(?m)^Depends On\s+: dkms>=3\.0\.11  base_module-dkms$", info);
    }

    [Fact]
    public void ProjectFileConffiles_AreBackupFiles()
    {
        string pacman = RealTool.Require("pacman");
        string root = NewRoot();

        Pacman(pacman, root, "-U", "--noconfirm", "--noscriptlet", "-dd", Build(Repo.Example("greeter-0.1")));

        Assert.Matches(@"(?m)^Backup Files\s+:\s*\n(UNMODIFIED)\s+\S*/etc/modprobe\.d/greeter\.conf$", Pacman(pacman, root, "-Qii", "greeter-dkms"));
    }

    [Fact]
    public void Compression_IsZstdByDefault_AndFollowsAChoice()
    {
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "--formats", "arch", "-Z", "gzip", "-o", output, "--maintainer", Maintainer]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        string package = Directory.GetFiles(output, "*.pkg.tar.gz").Single();
        Assert.Contains(".PKGINFO", RealTool.RunChecked("bsdtar", "-tf", package), StringComparison.Ordinal);
        Assert.EndsWith(".pkg.tar.zst", Build(Repo.Example("apple-gmux-0.1")), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoBuilds_UnderOtherTimeZonesAndCultures_AreByteIdentical()
    {
        string first = _temp.Combine("first");
        string second = _temp.Combine("second");
        Dictionary<string, string?> environment = new() { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch, ["TZ"] = "UTC", ["LC_ALL"] = "C" };

        var a = DkmsPackProcess.Run(["build", Repo.Example("hello-pair"), "--formats", "arch", "-o", first, "--maintainer", Maintainer], environment);
        environment["TZ"] = "Pacific/Kiritimati";
        environment["LC_ALL"] = "tr_TR.UTF-8";
        var b = DkmsPackProcess.Run(["build", Repo.Example("hello-pair"), "--formats", "arch", "-o", second, "--maintainer", Maintainer], environment);

        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.StdErr + b.StdErr);
        Assert.Equal(File.ReadAllBytes(Directory.GetFiles(first, "*.pkg.tar.zst").Single()), File.ReadAllBytes(Directory.GetFiles(second, "*.pkg.tar.zst").Single()));
    }

    private string Build(string tree)
    {
        string output = _temp.Combine("out-" + Guid.NewGuid().ToString("N")[..8]);
        var result = DkmsPackProcess.Run(["build", tree, "--formats", "arch", "-o", output, "--maintainer", Maintainer], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        return Directory.GetFiles(output, "*.pkg.tar*").Single();
    }

    private string NewRoot()
    {
        string root = _temp.Combine("root-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(DbPath(root));
        return root;
    }

    private static string DbPath(string root) => Path.Combine(root, "var/lib/pacman");

    private static string Pacman(string pacman, string root, params string[] args) =>
        RealTool.RunChecked(pacman, ["--root", root, "--dbpath", DbPath(root), .. args]);
}
