using System.Text;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.SourcePackages;

/// <summary>
/// <c>dkmspack mkpkgbuild</c>, judged by Debian's makepkg (run as the unprivileged user nobody, since makepkg refuses
/// root; --nodeps, since dkms is no Arch package here): it builds from our PKGBUILD and tarball a package whose files,
/// modes and .PKGINFO are those of the package <c>--formats arch</c> writes, also when file names and texts are
/// written to run as shell.
/// </summary>
public sealed class PkgbuildTests : IDisposable
{
    private const string Maintainer = "Test Maintainer <test@example.org>";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("apple-gmux-0.1")]
    [InlineData("greeter-0.1")]
    [InlineData("hello-pair")]
    public void Makepkg_BuildsFromThePkgbuild_ThePackageBuildWrites(string example)
    {
        string tree = Repo.Example(example);

        string ours = BuildArch(tree, []);
        string theirs = Makepkg(tree, []);

        AssertSamePackage(ours, theirs);
        AssertVerifyReadsMakepkgsMtree(theirs);
    }

    [Fact]
    public void HostileNamesAndTexts_AreValues_NeverShell()
    {
        string marker = _temp.Combine("ran");
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        // A file name cannot hold the marker's path: these create "dkmspack-ran" wherever makepkg's shell stands.
        const string RelativeMarker = "dkmspack-ran";
        string[] names = ["$(touch " + RelativeMarker + ")", "`touch " + RelativeMarker + "`", "it's \"quoted\"", "-rf", "semi;colon & amp | pipe", "back\\slash", "dollar $HOME ${PATH}"];
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(tree, name), name + "\n");
        }

        string hostile = $"it's $(touch {marker}) `touch {marker}` \"q\" \\ ; & | ${{HOME}} '";
        string[] options = ["--summary", hostile, "--maintainer", $"O'Brien $(touch {marker}) <ob@example.org>"];

        string ours = BuildArch(tree, options);
        string theirs = Makepkg(tree, options);

        Assert.False(File.Exists(marker), "a value ran as shell");
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, RelativeMarker, SearchOption.AllDirectories));
        AssertSamePackage(ours, theirs);
        Assert.Contains("pkgdesc = " + hostile + "\n", PkgInfo(theirs), StringComparison.Ordinal);
        string listing = RealTool.RunChecked("bsdtar", "-tf", theirs);
        // bsdtar lists a backslash in a name as two.
        Assert.All(names, name => Assert.Contains("usr/src/apple-gmux-0.1/" + name.Replace("\\", "\\\\", StringComparison.Ordinal) + "\n", listing, StringComparison.Ordinal));
        AssertVerifyReadsMakepkgsMtree(theirs);
    }

    [Fact]
    public void ThePkgbuildAndTarball_AreByteIdentical_UnderOtherTimeZonesAndCultures()
    {
        string first = _temp.Combine("first");
        string second = _temp.Combine("second");
        Dictionary<string, string?> environment = new() { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch, ["TZ"] = "UTC", ["LC_ALL"] = "C" };

        var a = DkmsPackProcess.Run(["mkpkgbuild", Repo.Example("greeter-0.1"), "-o", first, "--maintainer", Maintainer], environment);
        environment["TZ"] = "Pacific/Kiritimati";
        environment["LC_ALL"] = "tr_TR.UTF-8";
        var b = DkmsPackProcess.Run(["mkpkgbuild", Repo.Example("greeter-0.1"), "-o", second, "--maintainer", Maintainer], environment);

        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.StdErr + b.StdErr);
        Assert.Equal(["PKGBUILD", "greeter-0.1.tar.gz"], Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(first), f => Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(second, Path.GetFileName(f)))));
    }

    /// <summary>
    /// <c>dkmspack verify</c> on makepkg's package, signed by gpg: its .MTREE is bsdtar's own (escapes, /set lines),
    /// so this judges verify's mtree reading by the real writer.
    /// </summary>
    private static void AssertVerifyReadsMakepkgsMtree(string package)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        string key = gpg.Write("pub.asc", gpg.Gpg(null, "--armor", "--export", fingerprint));
        gpg.FakedTime = "20260101T000000";
        gpg.Gpg(null, "--local-user", fingerprint, "--detach-sign", "--output", package + ".sig", package);

        var verify = DkmsPackProcess.Run(["verify", package, "--key", key]);

        Assert.True(verify.ExitCode == 0, verify.StdErr);
        Assert.Contains(", .MTREE: ", verify.StdOut, StringComparison.Ordinal);
    }

    /// <summary>Same entries (names, types, modes, link targets) and the same .PKGINFO but for makepkg's comment lines.</summary>
    private static void AssertSamePackage(string ours, string theirs)
    {
        Assert.Equal(Listing(ours), Listing(theirs));
        Assert.Equal(Fields(PkgInfo(ours)), Fields(PkgInfo(theirs)));
    }

    /// <summary><c>bsdtar -tvf</c> without the metadata files, sizes and times: type and mode, owner, and path (-> target).</summary>
    private static string[] Listing(string package) =>
        [.. RealTool.RunChecked("bsdtar", "-tvf", package).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 9, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => !parts[8].StartsWith('.'))
            .Select(parts => $"{parts[0]} {parts[2]} {parts[3]} {parts[8]}")];

    private static string[] WithMaintainer(string[] options) =>
        options.Contains("--maintainer") ? options : [.. options, "--maintainer", Maintainer];

    private static string PkgInfo(string package) => RealTool.RunChecked("bsdtar", "-xOf", package, ".PKGINFO");

    private static string[] Fields(string pkgInfo) =>
        [.. pkgInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))];

    private string BuildArch(string tree, string[] options)
    {
        string output = _temp.Combine("arch-" + Guid.NewGuid().ToString("N")[..8]);
        var result = DkmsPackProcess.Run(["build", tree, "--formats", "arch", "-o", output, .. WithMaintainer(options)], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        return Directory.GetFiles(output, "*.pkg.tar.zst").Single();
    }

    /// <summary>
    /// mkpkgbuild, then makepkg on its output as nobody (a directory of its own for sources, build and packages;
    /// PACKAGER as our maintainer, SOURCE_DATE_EPOCH as ours, so that .PKGINFO can be compared line by line).
    /// </summary>
    private string Makepkg(string tree, string[] options)
    {
        string makepkg = RealTool.Require("makepkg");
        string runuser = RealTool.Require("runuser");
        RealTool.Require("fakeroot");
        string work = _temp.Combine("makepkg-" + Guid.NewGuid().ToString("N")[..8]);
        var result = DkmsPackProcess.Run(["mkpkgbuild", tree, "-o", work, .. WithMaintainer(options)], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        string maintainer = options.SkipWhile(o => o != "--maintainer").Skip(1).FirstOrDefault() ?? Maintainer;
        foreach (string directory in (string[])["pkg", "src", "build", "home"])
        {
            Directory.CreateDirectory(Path.Combine(work, directory));
        }

        // The temp directory is the test's own (mode 0700): nobody may enter it, and write only in its work directory.
        File.SetUnixFileMode(_temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        RealTool.RunChecked("chown", "-R", "nobody:", work);
        var build = RealTool.Run(
            new RealToolOptions(WorkingDirectory: work),
            runuser,
            "-u", "nobody", "--", "env", $"HOME={work}/home", $"PKGDEST={work}/pkg", $"SRCDEST={work}/src", $"BUILDDIR={work}/build",
            $"PACKAGER={maintainer}", $"SOURCE_DATE_EPOCH={TestBuilds.Epoch}", "PKGEXT=.pkg.tar.zst", makepkg, "--nodeps", "--noconfirm");
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Contains("Validating source files with sha256sums", build.StdOut + build.StdErr, StringComparison.Ordinal);
        return Directory.GetFiles(Path.Combine(work, "pkg"), "*.pkg.tar*").Single();
    }
}
