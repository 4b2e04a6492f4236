using System.Security.Cryptography;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Repository;
using DkmsPack.Repository.Apt;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// <c>repo apt</c> judged by the machine's own apt (a private root, <see cref="HostApt"/>) reading the repository
/// as a file:// source, and by gpgv for the signatures. The Debian 12 chroot test (AptChrootTests) installs from it.
/// </summary>
public sealed class AptRepositoryTests(RepositoryFixture fixture) : IClassFixture<RepositoryFixture>
{
    private const string Name = RepositoryFixture.ModuleName;

    [Fact]
    public void SignedRepository_AptUpdatesWithoutWarning_AndGpgvAcceptsBothSignatures()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        RepositoryOutcome outcome = Publish(repo, [fixture.Deb("0.1")]);

        Assert.Equal([$"pool/main/d/{RepositoryFixture.PackageName}/{RepositoryFixture.PackageName}_0.1-1_all.deb"], outcome.Added);
        Assert.Equal("dists/stable/InRelease", outcome.Published[^1]);
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        apt.AssertCleanUpdate();
        Assert.Equal(["0.1-1"], apt.Versions(RepositoryFixture.PackageName));
        (int downloaded, string output) = apt.Download(RepositoryFixture.PackageName, temp.Path);
        Assert.True(downloaded == 0, output);

        // The key users install: the binary keyring and the armoured one verify both signature forms.
        fixture.Gpg.AssertGpgvAccepts(Path.Combine(repo, Name + ".gpg"), Path.Combine(repo, "dists/stable/InRelease"));
        fixture.Gpg.AssertGpgvAccepts(Path.Combine(repo, Name + ".gpg"), Path.Combine(repo, "dists/stable/Release.gpg"), Path.Combine(repo, "dists/stable/Release"));
        Assert.Contains(fixture.Fingerprint, RealTool.RunChecked("gpg", "--homedir", fixture.Gpg.Home, "--show-keys", "--with-colons", Path.Combine(repo, Name + ".asc")), StringComparison.Ordinal);
    }

    [Fact]
    public void Release_HasTheFieldsAptReads_DatedBySourceDateEpoch()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        string release = File.ReadAllText(Path.Combine(repo, "dists/stable/Release"));

        Assert.Contains("Date: Tue, 14 Nov 2023 22:13:20 UTC\n", release, StringComparison.Ordinal);
        Assert.Contains("Suite: stable\nCodename: stable\n", release, StringComparison.Ordinal);
        Assert.Contains("Acquire-By-Hash: yes\n", release, StringComparison.Ordinal);
        Assert.Contains("Architectures: " + string.Join(' ', AptRepository.DefaultArchitectures) + "\n", release, StringComparison.Ordinal);

        // Every index Release names exists with that SHA256, and so does its by-hash copy.
        string[] listed = release[(release.IndexOf("SHA256:\n", StringComparison.Ordinal) + 8)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AptRepository.DefaultArchitectures.Count * 2, listed.Length);
        foreach (string line in listed)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string file = Path.Combine(repo, "dists/stable", parts[2]);
            Assert.Equal(parts[0], Sha256(file));
            Assert.Equal(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), new FileInfo(file).Length);
            Assert.Equal(parts[0], Sha256(Path.Combine(Path.GetDirectoryName(file)!, "by-hash/SHA256", parts[0])));
        }

        // Architecture: all is served in every architecture's index, as apt expects with no binary-all index.
        foreach (string architecture in AptRepository.DefaultArchitectures)
        {
            Assert.Contains("Package: " + RepositoryFixture.PackageName + "\n", File.ReadAllText(Path.Combine(repo, $"dists/stable/main/binary-{architecture}/Packages")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SecondRun_ReadsOnlyTheNewPackage_AndAptOffersTheNewVersion()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        apt.AssertCleanUpdate();

        // The old package file is made unreadable: a run that re-read it would fail.
        string oldPool = Path.Combine(repo, $"pool/main/d/{RepositoryFixture.PackageName}/{RepositoryFixture.PackageName}_0.1-1_all.deb");
        RepositoryOutcome second;
        using (new FileStream(oldPool, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            second = Publish(repo, [fixture.Deb("0.2")]);
        }

        Assert.Single(second.Added);
        Assert.Contains("0.2-1", second.Added[0], StringComparison.Ordinal);
        apt.AssertCleanUpdate();
        Assert.Equal(["0.2-1", "0.1-1"], apt.Versions(RepositoryFixture.PackageName));

        RepositoryOutcome again = Publish(repo, [fixture.Deb("0.1"), fixture.Deb("0.2")]);
        Assert.Empty(again.Added);
        Assert.Equal(2, again.Unchanged.Count);
    }

    [Fact]
    public void SeveralSuites_ShareThePool_AndKeepTheirOwnIndexes()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")], suite: "stable");
        Publish(repo, [fixture.Deb("0.1"), fixture.Deb("0.2")], suite: "testing");
        Publish(repo, [fixture.Deb("0.2")], suite: "testing", keep: 1);

        // --keep 1 in testing drops 0.1 from testing's index, but stable still names its file: it stays.
        Assert.True(File.Exists(Path.Combine(repo, $"pool/main/d/{RepositoryFixture.PackageName}/{RepositoryFixture.PackageName}_0.1-1_all.deb")));
        foreach ((string suite, string[] versions) in (ReadOnlySpan<(string, string[])>)[("stable", ["0.1-1"]), ("testing", ["0.2-1"])])
        {
            using var apt = new HostApt();
            File.WriteAllText(Path.Combine(temp.Path, suite + ".sources"), File.ReadAllText(Path.Combine(repo, Name + ".sources")).Replace("Suites: testing", "Suites: " + suite, StringComparison.Ordinal));
            apt.AddSource(Path.Combine(temp.Path, suite + ".sources"), Path.Combine(repo, Name + ".gpg"));
            apt.AssertCleanUpdate();
            Assert.Equal(versions, apt.Versions(RepositoryFixture.PackageName));
        }
    }

    [Fact]
    public void KeepOne_RemovesTheOlderVersionFromIndexAndPool()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        RepositoryOutcome outcome = Publish(repo, [fixture.Deb("0.2")], keep: 1);

        string oldFile = $"pool/main/d/{RepositoryFixture.PackageName}/{RepositoryFixture.PackageName}_0.1-1_all.deb";
        Assert.Equal([oldFile], outcome.Removed);
        Assert.False(File.Exists(Path.Combine(repo, oldFile)));
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        apt.AssertCleanUpdate();
        Assert.Equal(["0.2-1"], apt.Versions(RepositoryFixture.PackageName));
    }

    [Fact]
    public void SameVersionWithOtherBytes_IsRefused_UnlessReplace()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        string other = temp.Combine("other.deb");
        File.WriteAllBytes(other, RebuildWithOtherSummary(temp));
        Assert.NotEqual(Sha256(fixture.Deb("0.1")), Sha256(other));

        var refused = Assert.Throws<DkmsPackException>(() => Publish(repo, [other]));
        Assert.Equal(ExitCode.InvalidInput, refused.ExitCode);
        Assert.Contains("already in the suite stable with other bytes", refused.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(other, refused.Diagnostics[0].File);
        Assert.Equal(Sha256(fixture.Deb("0.1")), Sha256(Path.Combine(repo, $"pool/main/d/{RepositoryFixture.PackageName}/{RepositoryFixture.PackageName}_0.1-1_all.deb")));
        Assert.Empty(Directory.EnumerateFiles(repo, "*" + StagedUpdate.TemporarySuffix, SearchOption.AllDirectories));

        Publish(repo, [other], replace: true);
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        apt.AssertCleanUpdate();
        (int exitCode, string output) = apt.Download(RepositoryFixture.PackageName, temp.Combine());
        Assert.True(exitCode == 0, output);
        Assert.Equal(Sha256(other), Sha256(temp.Combine(Path.GetFileName(fixture.Deb("0.1")))));
    }

    [Fact]
    public void HandEditedPackages_MakesAptUpdateFailWithAHashError()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);

        // The tampering a mirror could do: Packages, its .gz and their by-hash copies all changed consistently.
        string directory = Path.Combine(repo, "dists/stable/main/binary-amd64");
        string text = File.ReadAllText(Path.Combine(directory, "Packages"));
        string edited = text.Replace("Priority: optional", "Priority: required", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);
        byte[] plain = Encoding.UTF8.GetBytes(edited);
        byte[] gzip = DkmsPack.Compression.Compressor.GzipBytes(plain);
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            bool isGzip = File.ReadAllBytes(file) is [0x1f, 0x8b, ..];
            File.WriteAllBytes(file, isGzip ? gzip : plain);
        }

        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        (int exitCode, string stdOut, string stdErr) = apt.Update();
        Assert.NotEqual(0, exitCode);
        Assert.Matches("Hash Sum mismatch|unexpected size", stdOut + stdErr);
    }

    [Fact]
    public void UnsignedRepository_IsRefusedByApt()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        RepositoryOutcome outcome = AptRepository.Publish(new AptRepositoryRequest { RepositoryDirectory = repo, Packages = [fixture.Deb("0.1")], SourceDateEpoch = RepositoryFixture.Epoch }, DateTimeOffset.UnixEpoch);

        Assert.Contains(outcome.Warnings, w => w.Message.Contains("not signed", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(repo, "dists/stable/InRelease")));
        Assert.DoesNotContain("Signed-By", File.ReadAllText(Path.Combine(repo, Name + ".sources")), StringComparison.Ordinal);
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), keyring: null);
        (int exitCode, string stdOut, string stdErr) = apt.Update();
        Assert.NotEqual(0, exitCode);
        Assert.Contains("is not signed", stdOut + stdErr, StringComparison.Ordinal);

        // A signed suite is never updated unsigned (its InRelease would name stale indexes).
        string signed = temp.Combine("signed");
        Publish(signed, [fixture.Deb("0.1")]);
        var refused = Assert.Throws<DkmsPackException>(() => AptRepository.Publish(new AptRepositoryRequest { RepositoryDirectory = signed, Packages = [fixture.Deb("0.2")], SourceDateEpoch = RepositoryFixture.Epoch }, DateTimeOffset.UnixEpoch));
        Assert.Equal(ExitCode.InvalidOptions, refused.ExitCode);
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("none")]
    public void ForeignDeb_OfDpkgDeb_WithAnArchitecture_GoesOnlyIntoItsIndex(string compression)
    {
        RealTool.Require("dpkg-deb");
        using var temp = new TempDirectory();
        string tree = temp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "usr/share/doc/dkmspack-repotest-tool"));
        File.WriteAllText(Path.Combine(tree, "usr/share/doc/dkmspack-repotest-tool/README"), "test\n");
        File.WriteAllText(Path.Combine(tree, "DEBIAN/control"), "Package: dkmspack-repotest-tool\nVersion: 1:2.0~rc1-3\nArchitecture: amd64\nMaintainer: T <t@example.org>\nSource: dkmspack-repotest-src (2.0)\nDescription: a test\n long text\n .\n more\n");
        string deb = temp.Combine("tool.deb");
        RealTool.RunChecked("dpkg-deb", "-Z" + compression, "--root-owner-group", "--build", tree, deb);
        Assert.Contains(compression switch { "xz" => "control.tar.xz", "zstd" => "control.tar.zst", _ => "control.tar\n" }, RealTool.RunChecked("ar", "t", deb), StringComparison.Ordinal);

        string repo = temp.Combine("apt");
        RepositoryOutcome outcome = Publish(repo, [deb, fixture.Deb("0.1")]);
        Assert.Contains("pool/main/d/dkmspack-repotest-src/dkmspack-repotest-tool_2.0~rc1-3_amd64.deb", outcome.Added);
        Assert.Contains("Package: dkmspack-repotest-tool\n", File.ReadAllText(Path.Combine(repo, "dists/stable/main/binary-amd64/Packages")), StringComparison.Ordinal);
        Assert.DoesNotContain("dkmspack-repotest-tool", File.ReadAllText(Path.Combine(repo, "dists/stable/main/binary-arm64/Packages")), StringComparison.Ordinal);
        using var apt = new HostApt();
        apt.AddSource(Path.Combine(repo, Name + ".sources"), Path.Combine(repo, Name + ".gpg"));
        apt.AssertCleanUpdate();
        Assert.Equal(["1:2.0~rc1-3"], apt.Versions("dkmspack-repotest-tool"));
        Assert.Contains(" long text\n .\n more\n", RealTool.RunChecked("apt-cache", [.. apt.Options, "show", "dkmspack-repotest-tool"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondRunAtTheSameTime_IsRefusedByTheLock()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        using (StagedUpdate.Lock(repo))
        {
            var error = Assert.Throws<DkmsPackException>(() => Publish(repo, [fixture.Deb("0.2")]));
            Assert.Equal(ExitCode.OutputFailed, error.ExitCode);
            Assert.Contains("is being updated by another dkmspack run", error.Diagnostics[0].Message, StringComparison.Ordinal);
        }

        Publish(repo, [fixture.Deb("0.2")]);
    }

    [Fact]
    public void SameInputsKeyAndEpoch_GiveByteIdenticalRepositories()
    {
        using var temp = new TempDirectory();
        const string Url = "https://example.org/apt";
        Publish(temp.Combine("a"), [fixture.Deb("0.1"), fixture.Deb("0.2")], url: Url);
        Publish(temp.Combine("b"), [fixture.Deb("0.2")], url: Url);
        Publish(temp.Combine("b"), [fixture.Deb("0.1")], url: Url);

        // b also keeps the by-hash copies of its first generation, for clients that still read the InRelease before.
        SortedDictionary<string, string> a = Tree(temp.Combine("a"));
        SortedDictionary<string, string> b = Tree(temp.Combine("b"));
        Assert.Equal(a.Where(f => !f.Key.Contains("/by-hash/", StringComparison.Ordinal)), b.Where(f => !f.Key.Contains("/by-hash/", StringComparison.Ordinal)));
        Assert.Subset(b.ToHashSet(), a.ToHashSet());
        Assert.Equal(AptRepository.DefaultArchitectures.Count * 2, b.Count - a.Count);
    }

    [Fact]
    public void NotADeb_IsOneErrorNamingTheFile_AndNothingIsWritten()
    {
        using var temp = new TempDirectory();
        string bad = temp.Combine("bad.deb");
        File.WriteAllText(bad, "!<arch>\nnot really\n");
        string repo = temp.Combine("apt");

        var error = Assert.Throws<DkmsPackException>(() => Publish(repo, [fixture.Deb("0.1"), bad]));
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Equal(bad, Assert.Single(error.Diagnostics).File);
        Assert.False(Directory.Exists(Path.Combine(repo, "dists")));
        Assert.False(Directory.Exists(Path.Combine(repo, "pool")) && Directory.EnumerateFiles(Path.Combine(repo, "pool"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void DamagedIndex_IsAnErrorNamingItsFileAndLine()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        Publish(repo, [fixture.Deb("0.1")]);
        string packages = Path.Combine(repo, "dists/stable/main/binary-amd64/Packages");
        File.WriteAllText(packages, File.ReadAllText(packages).Replace("Filename: pool/", "Filename: ../../etc/", StringComparison.Ordinal));

        var error = Assert.Throws<DkmsPackException>(() => Publish(repo, [fixture.Deb("0.2")], keep: 1));
        Diagnostic diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(packages, diagnostic.File);
        Assert.Equal(1, diagnostic.Line);
        Assert.Contains("not a path inside pool/", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_RepoApt_SignsWithTheKeyFile_AndPrintsTheFilesItWrote()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("apt");
        DkmsPackProcess.Result result = DkmsPackProcess.Run(
            ["repo", "apt", repo, fixture.Deb("0.1"), "--signing-key", fixture.SecretKeyFile, "--suite", "bookworm", "--architectures", "amd64,arm64", "--url", "https://example.org/apt"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = RepositoryFixture.Epoch });

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(Path.Combine(repo, "dists/bookworm/InRelease"), result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Contains("URIs: https://example.org/apt\nSuites: bookworm\n", File.ReadAllText(Path.Combine(repo, Name + ".sources")), StringComparison.Ordinal);
        Assert.Contains("Architectures: amd64 arm64\n", File.ReadAllText(Path.Combine(repo, "dists/bookworm/Release")), StringComparison.Ordinal);

        DkmsPackProcess.Result bad = DkmsPackProcess.Run(["repo", "apt", repo, "--keep", "0", "--signing-key", fixture.SecretKeyFile]);
        Assert.Equal(ExitCode.InvalidOptions, bad.ExitCode);
        Assert.Equal("dkmspack: error: --keep must be 1 or more", bad.StdErr.Trim());
    }

    internal RepositoryOutcome Publish(string repo, string[] packages, string suite = "stable", int? keep = null, bool replace = false, string? url = null) =>
        AptRepository.Publish(
            new AptRepositoryRequest { RepositoryDirectory = repo, Packages = packages, Suite = suite, Keep = keep, Replace = replace, Url = url, Signing = fixture.Signing(), SourceDateEpoch = RepositoryFixture.Epoch },
            DateTimeOffset.UnixEpoch);

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    private static SortedDictionary<string, string> Tree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".dkmspack-lock", StringComparison.Ordinal)).ToDictionary(f => Path.GetRelativePath(root, f), Sha256),
        StringComparer.Ordinal);

    private static byte[] RebuildWithOtherSummary(TempDirectory temp)
    {
        var trees = new TempDirectory();
        try
        {
            string tree = ExampleModule.CopyRenamed(trees, RepositoryFixture.ModuleName);
            var request = TestBuilds.Request(tree, temp.Combine("other")) with { Version = "0.1", Summary = "another summary" };
            return File.ReadAllBytes(TestBuilds.Build(request, "deb").Path);
        }
        finally
        {
            trees.Dispose();
        }
    }
}
