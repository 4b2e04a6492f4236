using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>
/// examples/greeter-0.1 through the command line, its dkmspack.toml beside dkms.conf: the real tools judge the extra
/// files, their modes, conffiles and %config(noreplace), the relationships and the changelog.
/// </summary>
public sealed class GreeterPackageTests : IDisposable
{
    private const string Deb = "greeter-dkms_0.1-1_all.deb";
    private const string Rpm = "greeter-dkms-0.1-1.noarch.rpm";
    private readonly TempDirectory _temp = new();
    private readonly Lazy<string> _output;

    public GreeterPackageTests()
    {
        _output = new(() =>
        {
            string output = _temp.Combine("out");
            var result = DkmsPackProcess.Run(["build", Repo.Example(GreeterExample.Name), "-o", output, "-q"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
            Assert.True(result.ExitCode == 0, result.StdErr);
            return output;
        });
    }

    private string DebPath => Path.Combine(_output.Value, Deb);

    private string RpmPath => Path.Combine(_output.Value, Rpm);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Deb_ControlHasTheRelationships_AndTheConffile()
    {
        RealTool.Require("dpkg-deb");
        string control = RealTool.RunChecked("dpkg-deb", "-f", DebPath);
        Assert.Contains("\nDepends: dkms (>= 2.1.0.0)\n", control, StringComparison.Ordinal);
        Assert.Contains("\nRecommends: linux-headers-amd64 | linux-headers-generic\n", control, StringComparison.Ordinal);
        Assert.Contains("\nConflicts: greeter-modules (<< 0.1)\n", control, StringComparison.Ordinal);
        Assert.Contains("\nReplaces: greeter-modules (<< 0.1)\n", control, StringComparison.Ordinal);
        Assert.Equal("/etc/modprobe.d/greeter.conf\n", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "conffiles"));
        Assert.Contains("  usr/share/doc/greeter-dkms/README.md\n", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "md5sums"), StringComparison.Ordinal);
        Assert.DoesNotContain("greeter.conf", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "md5sums"), StringComparison.Ordinal);
        Assert.Contains("udevadm control --reload", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "postinst"), StringComparison.Ordinal);
        Assert.Contains("udevadm control --reload", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "postrm"), StringComparison.Ordinal);
        Assert.Contains("echo \"greeter: run 'modprobe greeter'", RealTool.RunChecked("dpkg-deb", "-I", DebPath, "postinst"), StringComparison.Ordinal);
    }

    [Fact]
    public void Deb_CarriesTheExtras_WithTheirModes_AndNotAgainInUsrSrc()
    {
        RealTool.Require("dpkg-deb");
        string[] listing = RealTool.RunChecked("dpkg-deb", "-c", DebPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Line(string path) => Assert.Single(listing, l => l.EndsWith(" " + path, StringComparison.Ordinal));
        Assert.StartsWith("-rw-r--r-- root/root", Line("./etc/modprobe.d/greeter.conf"), StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r-- root/root", Line("./usr/lib/udev/rules.d/60-greeter.rules"), StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r-- root/root", Line("./usr/share/doc/greeter-dkms/README.md"), StringComparison.Ordinal);
        Assert.StartsWith("drwxr-xr-x root/root", Line("./usr/lib/udev/rules.d/"), StringComparison.Ordinal);
        Assert.StartsWith("drwxr-xr-x root/root", Line("./usr/share/doc/greeter-dkms/"), StringComparison.Ordinal);
        string[] sources = [.. listing.Where(l => l.Contains("./usr/src/greeter-0.1/", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("./usr/src/", StringComparison.Ordinal) + "./usr/src/greeter-0.1/".Length)..])];
        Assert.Equal(["", "Makefile", "dkms.conf", "greeter.c"], sources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deb_ChangelogHasTheThreeEntries_AsDpkgParsechangelogReadsThem()
    {
        RealTool.Require("dpkg-deb");
        RealTool.Require("dpkg-parsechangelog");
        string changelog = _temp.Combine("changelog");
        RealTool.RunChecked("sh", "-c", $"dpkg-deb --fsys-tarfile '{DebPath}' | tar -xO ./usr/share/doc/greeter-dkms/changelog.Debian.gz | gzip -dc > '{changelog}'");
        string[] versions = [.. Lines(RealTool.RunChecked("dpkg-parsechangelog", "-l", changelog, "--all", "--format", "rfc822")).Where(l => l.StartsWith("Version: ", StringComparison.Ordinal))];
        Assert.Equal(["Version: 0.1-1", "Version: 0.0.2-1", "Version: 0.0.1-1"], versions);
        Assert.Equal("dkmspack contributors <dkmspack@example.org>", RealTool.RunChecked("dpkg-parsechangelog", "-l", changelog, "-S", "Maintainer").Trim());
        Assert.Equal("greeter-dkms", RealTool.RunChecked("dpkg-parsechangelog", "-l", changelog, "-S", "Source").Trim());
    }

    [Fact]
    public void Deb_LintianFindsNoError()
    {
        RealTool.Require("lintian");
        var result = RealTool.Run("lintian", "--tag-display-limit", "0", DebPath);
        Assert.DoesNotContain("\nE: ", "\n" + result.StdOut, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
    }

    [Fact]
    public void Rpm_RelationshipsAsRpmReadsThem()
    {
        RealTool.Require("rpm");
        string[] requires = Lines(RealTool.RunChecked("rpm", "-qp", "--qf", "[%{REQUIRENAME} %{REQUIREFLAGS:deptype} %{REQUIREVERSION}\\n]", RpmPath));
        Assert.Contains("dkms manual ", requires);
        Assert.Contains("dkms post ", requires);
        Assert.Contains("dkms preun ", requires);
        Assert.Contains("dkms postun ", requires);
        Assert.Contains("dkms posttrans ", requires);
        Assert.Equal(["greeter-modules < 0.1"], Lines(RealTool.RunChecked("rpm", "-qp", "--conflicts", RpmPath)));
        Assert.Equal(["greeter-modules < 0.1"], Lines(RealTool.RunChecked("rpm", "-qp", "--obsoletes", RpmPath)));
        Assert.Equal(["kernel-devel"], Lines(RealTool.RunChecked("rpm", "-qp", "--recommends", RpmPath)));
        Assert.Equal(["greeter-dkms = 0.1-1"], Lines(RealTool.RunChecked("rpm", "-qp", "--provides", RpmPath)));
    }

    [Fact]
    public void Rpm_ConfigFileIsConfigNoreplace_DocIsDoc_DirectoryOwned()
    {
        RealTool.Require("rpm");
        Assert.Equal(["/etc/modprobe.d/greeter.conf"], Lines(RealTool.RunChecked("rpm", "-qp", "-c", RpmPath)));
        Assert.Equal(["/etc/modprobe.d/greeter.conf"], Lines(RealTool.RunChecked("rpm", "-qp", "--configfiles", RpmPath)));
        Assert.Equal(["/usr/share/doc/greeter-dkms/README.md"], Lines(RealTool.RunChecked("rpm", "-qp", "-d", RpmPath)));
        string[] files = Lines(RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILEFLAGS:fflags} %{FILEMODES:perms} %{FILENAMES}\\n]", RpmPath));
        Assert.Contains("cn -rw-r--r-- /etc/modprobe.d/greeter.conf", files);
        Assert.Contains(" -rw-r--r-- /usr/lib/udev/rules.d/60-greeter.rules", files);
        Assert.Contains(" drwxr-xr-x /usr/share/doc/greeter-dkms", files);
        Assert.Contains("d -rw-r--r-- /usr/share/doc/greeter-dkms/README.md", files);
        Assert.DoesNotContain(files, f => f.EndsWith(" /usr/lib/udev/rules.d", StringComparison.Ordinal) || f.EndsWith(" /etc/modprobe.d", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("/usr/src/greeter-0.1/udev", StringComparison.Ordinal) || f.Contains("dkmspack.toml", StringComparison.Ordinal));
    }

    [Fact]
    public void Rpm_ChangelogHasTheThreeEntries()
    {
        RealTool.Require("rpm");
        string changelog = RealTool.RunChecked("rpm", "-qp", "--changelog", RpmPath);
        Assert.Equal(
            ["* Sun Nov 29 2026 dkmspack contributors <dkmspack@example.org> - 0.1-1", "* Sun Nov 15 2026 dkmspack contributors <dkmspack@example.org> - 0.0.2-1", "* Sun Nov 01 2026 dkmspack contributors <dkmspack@example.org> - 0.0.1-1"],
            Lines(changelog).Where(l => l.StartsWith('*')));
        Assert.Contains("- A udev rule makes /dev/greeter readable by everyone, and /dev/greeting.", changelog, StringComparison.Ordinal);
    }

    [Fact]
    public void Rpm_RpmlintFindsNoErrorButNoSignature()
    {
        RealTool.Require("rpmlint");
        var result = RealTool.Run("rpmlint", RpmPath);
        string[] errors = [.. Lines(result.StdOut).Where(l => l.Contains(": E: ", StringComparison.Ordinal))];
        Assert.All(errors, e => Assert.Contains(": E: no-signature", e, StringComparison.Ordinal));
    }

    /// <summary>The rendered spec builds, with rpmbuild, a package of the same files, flags, relationships and scriptlets.</summary>
    [Fact]
    public void Spec_BuildsTheSamePackageWithRpmbuild()
    {
        RealTool.Require("rpmbuild");
        string output = _temp.Combine("spec");
        var result = DkmsPackProcess.Run(["mkrpm", "--spec", Repo.Example(GreeterExample.Name), "-o", output, "-q"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        string top = _temp.Combine("rpmbuild");
        RealTool.RunChecked("rpmbuild", "-bb", "--define", $"_topdir {top}", "--define", $"dkms_source {Repo.Example(GreeterExample.Name)}", Path.Combine(output, "greeter-dkms.spec"));
        string built = Directory.EnumerateFiles(Path.Combine(top, "RPMS"), "*.rpm", SearchOption.AllDirectories).Single();
        string ours = Path.Combine(output, Rpm);
        foreach (string query in (string[])["[%{FILEFLAGS} %{FILEMODES:perms} %{FILENAMES}\\n]", "[%{REQUIRENAME} %{REQUIREFLAGS} %{REQUIREVERSION}\\n]", "[%{CONFLICTNAME} %{OBSOLETENAME} %{RECOMMENDNAME}\\n]", "%{POSTIN}\\n%{PREUN}\\n%{POSTUN}\\n%{POSTTRANS}", "[%{CHANGELOGTIME} %{CHANGELOGNAME}\\n%{CHANGELOGTEXT}\\n]"])
        {
            Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", query, ours), RealTool.RunChecked("rpm", "-qp", "--qf", query, built));
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
