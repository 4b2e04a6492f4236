using System.Security.Cryptography;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.SourcePackages;

/// <summary>
/// dkmspack mkdsc and the dsc format, judged by dpkg-source -x, lintian, gpgv (and dscverify where devscripts is
/// installed), and dpkg-buildpackage with debhelper and dh_dkms, whose package must install mkdeb's files under /usr/src.
/// </summary>
public sealed class DscTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mkdsc_WritesTheFourFiles_AndDpkgSourceUnpacksThem()
    {
        string output = SourceBuilds.Run("mkdsc", Repo.Example("greeter-0.1"), _temp.Combine("out"));

        Assert.Equal(
            ["greeter-dkms_0.1-1.debian.tar.gz", "greeter-dkms_0.1-1.dsc", "greeter-dkms_0.1-1_source.changes", "greeter-dkms_0.1.orig.tar.gz"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string unpacked = _temp.Combine("unpacked");
        RealTool.RunChecked("dpkg-source", "-x", Path.Combine(output, "greeter-dkms_0.1-1.dsc"), unpacked);

        Assert.Equal("3.0 (quilt)\n", File.ReadAllText(Path.Combine(unpacked, "debian", "source", "format")));
        Assert.True(File.GetUnixFileMode(Path.Combine(unpacked, "debian", "rules")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(File.ReadAllBytes(Repo.Example("greeter-0.1/greeter.c")), File.ReadAllBytes(Path.Combine(unpacked, "greeter.c")));
        string control = File.ReadAllText(Path.Combine(unpacked, "debian", "control"));
        Assert.Contains("Build-Depends: debhelper-compat (= 13), dh-sequence-dkms\n", control, StringComparison.Ordinal);
        Assert.Contains("Depends: ${misc:Depends}, dkms", control, StringComparison.Ordinal);
        Assert.Contains("Conflicts: greeter-modules (<< 0.1)\n", control, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(unpacked, "debian", "watch")));

        // dpkg-parsechangelog reads the changelog as dpkg-buildpackage will.
        Assert.Equal("greeter-dkms 0.1-1 unstable medium", RealTool.RunChecked(new RealToolOptions(unpacked), "dpkg-parsechangelog", "-S", "Source").Trim()
            + " " + RealTool.RunChecked(new RealToolOptions(unpacked), "dpkg-parsechangelog", "-S", "Version").Trim()
            + " " + RealTool.RunChecked(new RealToolOptions(unpacked), "dpkg-parsechangelog", "-S", "Distribution").Trim()
            + " " + RealTool.RunChecked(new RealToolOptions(unpacked), "dpkg-parsechangelog", "-S", "Urgency").Trim());
    }

    [Theory]
    [InlineData("hello-pair")]
    [InlineData("greeter-0.1")]
    public void Lintian_FindsNoErrorInTheDscOrTheChanges(string example)
    {
        RealTool.Require("lintian");
        string output = SourceBuilds.Run("mkdsc", Repo.Example(example), _temp.Combine("out"));

        foreach (string file in Directory.GetFiles(output, "*.dsc").Concat(Directory.GetFiles(output, "*.changes")))
        {
            var lint = RealTool.Run("lintian", "--no-cfg", file);
            string[] errors = [.. (lint.StdOut + lint.StdErr).Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal))];
            Assert.True(errors.Length == 0 && lint.ExitCode == 0, $"{Path.GetFileName(file)}: exit {lint.ExitCode}\n{lint.StdOut}{lint.StdErr}");
        }
    }

    [Fact]
    public void DistributionAndUrgency_ReachTheChangelogAndTheChanges_AndABadUrgencyIsRefused()
    {
        string output = SourceBuilds.Run("mkdsc", Repo.Example("hello-pair"), _temp.Combine("out"), "--distribution", "bookworm", "--urgency", "high");
        string changes = File.ReadAllText(SourceBuilds.Single(output, "*.changes"));
        Assert.Contains("\nDistribution: bookworm\nUrgency: high\n", changes, StringComparison.Ordinal);
        Assert.Contains("\n hello-pair-dkms (1.2.0-1) bookworm; urgency=high\n", changes, StringComparison.Ordinal);

        var refused = DkmsPackProcess.Run(["mkdsc", Repo.Example("hello-pair"), "-o", _temp.Combine("bad"), "--urgency", "whenever"]);
        Assert.Equal(1, refused.ExitCode); // invalid options
        Assert.Contains("--urgency", refused.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("bad")) && Directory.EnumerateFileSystemEntries(_temp.Combine("bad")).Any());
    }

    [Fact]
    public void TwoRuns_GiveByteIdenticalFiles()
    {
        string first = SourceBuilds.Run("build", Repo.Example("greeter-0.1"), _temp.Combine("a"), "--formats", "dsc");
        string second = SourceBuilds.Run("build", Repo.Example("greeter-0.1"), _temp.Combine("b"), "--formats", "dsc");

        string[] names = [.. Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(5, names.Length); // and SHA256SUMS
        foreach (string name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name)), File.ReadAllBytes(Path.Combine(second, name)));
        }
    }

    [Fact]
    public void Orig_IsCarriedAsItIs_UnderItsDebianName()
    {
        // An upstream release tarball, as GNU tar writes it: other bytes than ours, the same tree.
        string upstream = _temp.Combine("upstream.tar.gz");
        RealTool.RunChecked("cp", "-a", Repo.Example("hello-pair"), _temp.Combine("hello_pair-1.2.0"));
        RealTool.RunChecked("tar", "-czf", upstream, "-C", _temp.Path, "hello_pair-1.2.0");

        string output = SourceBuilds.Run("mkdsc", Repo.Example("hello-pair"), _temp.Combine("out"), "--orig", upstream);

        Assert.Equal(File.ReadAllBytes(upstream), File.ReadAllBytes(Path.Combine(output, "hello-pair-dkms_1.2.0.orig.tar.gz")));
        RealTool.RunChecked("dpkg-source", "-x", SourceBuilds.Single(output, "*.dsc"), _temp.Combine("unpacked"));
    }

    [Fact]
    public void Signed_GpgvAcceptsTheDscAndTheChanges()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        string key = gpg.Write("secret.asc", gpg.ExportSecret(fingerprint));
        string output = SourceBuilds.Run("mkdsc", Repo.Example("hello-pair"), _temp.Combine("out"), "--signing-key", key);
        string keyring = gpg.ExportPublic(fingerprint);

        string dsc = SourceBuilds.Single(output, "*.dsc");
        string changes = SourceBuilds.Single(output, "*.changes");
        gpg.AssertGpgvAccepts(keyring, dsc);
        gpg.AssertGpgvAccepts(keyring, changes);

        // dpkg-source checks the signed .dsc's checksums too; the .changes lists the signed .dsc.
        RealTool.RunChecked("dpkg-source", "-x", dsc, _temp.Combine("unpacked"));
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dsc)));
        Assert.Contains($" {sha256} {new FileInfo(dsc).Length} {Path.GetFileName(dsc)}\n", File.ReadAllText(changes), StringComparison.Ordinal);
        if (RealTool.Find("dscverify") is not null)
        {
            RealTool.RunChecked("dscverify", "--no-conf", "--keyring", keyring, changes);
        }
    }

    /// <summary>
    /// debhelper and dh_dkms (Debian's dh-dkms) build the binary package from the unpacked source, as a PPA or a Debian
    /// buildd would; its files under /usr/src, with their modes and contents, must be mkdeb's.
    /// </summary>
    [Theory]
    [InlineData("hello-pair")]
    [InlineData("greeter-0.1")]
    public void DpkgBuildpackage_BuildsAPackageWithMkdebsFilesUnderUsrSrc(string example)
    {
        RealTool.Require("dh");
        RealTool.Require("dh_dkms");
        string output = SourceBuilds.Run("build", Repo.Example(example), _temp.Combine("out"), "--formats", "deb,dsc");
        string unpacked = _temp.Combine("build", "tree");
        Directory.CreateDirectory(_temp.Combine("build"));
        RealTool.RunChecked("dpkg-source", "-x", SourceBuilds.Single(output, "*.dsc"), unpacked);

        var build = RealTool.Run(new RealToolOptions(unpacked), "dpkg-buildpackage", "-b", "-uc", "-us");
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);

        string ours = SourceBuilds.Single(output, "*_all.deb");
        string theirs = SourceBuilds.Single(_temp.Combine("build"), "*_all.deb");
        Assert.Equal(Path.GetFileName(ours), Path.GetFileName(theirs));
        Assert.Equal(UsrSrc(ours, "ours"), UsrSrc(theirs, "theirs"));
        Assert.Contains("dkms", RealTool.RunChecked("dpkg-deb", "-f", theirs, "Depends"), StringComparison.Ordinal);

        // The maintainer scripts are mkdeb's (the same templates): DKMS is driven the same way, hooks included.
        foreach (string script in (string[])["postinst", "prerm", "postrm"])
        {
            string mine = ExtractControl(ours, script);
            string built = ExtractControl(theirs, script);
            Assert.Equal(File.Exists(mine), File.Exists(built));
            Assert.Equal(File.Exists(mine) ? File.ReadAllText(mine) : null, File.Exists(built) ? File.ReadAllText(built) : null);
        }
    }

    /// <summary>File names that a shell or make would read as commands or variables are installed as they are.</summary>
    [Fact]
    public void HostileFileNames_AreInstalledAsTheyAre_AndRunNothing()
    {
        RealTool.Require("dh");
        RealTool.Require("dh_dkms");
        string tree = _temp.CopyTree(Repo.Example("hello-pair"), "tree");
        const string marker = "dkmspack-ran"; // a command that ran would create it in its working directory
        string hostile = $"a $(touch {marker}) `touch {marker}` $$HOME ${{HOME}} %{{name}} 'q' \\ b.c";
        File.WriteAllText(Path.Combine(tree, "src", hostile), "/* hostile */\n");
        string output = SourceBuilds.Run("build", tree, _temp.Combine("out"), "--formats", "deb,dsc");
        Directory.CreateDirectory(_temp.Combine("build"));
        string unpacked = _temp.Combine("build", "tree");
        RealTool.RunChecked("dpkg-source", "-x", SourceBuilds.Single(output, "*.dsc"), unpacked);

        var build = RealTool.Run(new RealToolOptions(unpacked), "dpkg-buildpackage", "-b", "-uc", "-us");

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, marker, SearchOption.AllDirectories));
        string theirs = SourceBuilds.Single(_temp.Combine("build"), "*_all.deb");
        Assert.Equal(UsrSrc(SourceBuilds.Single(output, "*_all.deb"), "ours"), UsrSrc(theirs, "theirs"));
        Assert.Contains(hostile, UsrSrc(theirs, "again"), StringComparison.Ordinal);
    }

    /// <summary>Every path under /usr/src with its mode and the SHA-256 of a file's content, one line each, sorted.</summary>
    private string UsrSrc(string deb, string name)
    {
        string root = _temp.Combine("x-" + name);
        RealTool.RunChecked("dpkg-deb", "-x", deb, root);
        string usrSrc = Path.Combine(root, "usr", "src");
        return string.Join('\n', Directory.EnumerateFileSystemEntries(usrSrc, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => $"{Path.GetRelativePath(usrSrc, path)} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} "
                + (File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "dir")));
    }

    private string ExtractControl(string deb, string member)
    {
        string control = _temp.Combine("control-" + Path.GetFileName(Path.GetDirectoryName(deb)));
        if (!Directory.Exists(control))
        {
            RealTool.RunChecked("dpkg-deb", "-e", deb, control);
        }

        return Path.Combine(control, member);
    }
}
