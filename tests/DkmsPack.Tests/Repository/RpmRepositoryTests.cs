using System.IO.Compression;
using System.Xml.Linq;
using DkmsPack.Diagnostics;
using DkmsPack.Repository;
using DkmsPack.Repository.Rpm;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Repository;

/// <summary>
/// <c>repo rpm</c> judged by Debian's dnf (gpgcheck=1 and repo_gpgcheck=1, an empty --installroot) and by
/// createrepo_c: its --update accepts our repository, and its own metadata of the same files equals ours field by field.
/// </summary>
public sealed class RpmRepositoryTests(RepositoryFixture fixture) : IClassFixture<RepositoryFixture>
{
    private const string Package = RepositoryFixture.PackageName;

    [Fact]
    public void Dnf_ChecksBothSignatures_InstallsThePackage_AndListsBothVersionsAfterASecondRun()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("rpm");
        RepositoryOutcome outcome = Publish(repo, [fixture.Rpm("0.1")]);
        Assert.Empty(outcome.Warnings);
        Assert.Equal("repodata/repomd.xml", outcome.Published[^1]);
        string repoFile = File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo"));
        Assert.Contains("gpgcheck=1\nrepo_gpgcheck=1\ngpgkey=" + new Uri(repo).AbsoluteUri + "/" + RepositoryFixture.ModuleName + ".asc\n", repoFile, StringComparison.Ordinal);
        fixture.Gpg.AssertGpgvAccepts(Path.Combine(repo, RepositoryFixture.ModuleName + ".gpg"), Path.Combine(repo, "repodata/repomd.xml.asc"), Path.Combine(repo, "repodata/repomd.xml"));

        using var dnf = new HostDnf();
        dnf.AddBase(BaseRepository(temp));
        dnf.AddRepo(RepositoryFixture.ModuleName, repoFile);
        dnf.RunChecked("install", Package);
        Assert.Equal("0.1-1", dnf.Installed(Package));

        Publish(repo, [fixture.Rpm("0.2")]);
        Assert.Equal(["0.1-1", "0.2-1"], dnf.Versions(Package, "--refresh"));
        dnf.RunChecked("upgrade", Package);
        Assert.Equal("0.2-1", dnf.Installed(Package));
    }

    [Fact]
    public void Metadata_EqualsCreaterepoCsOwn_FieldByField()
    {
        RealTool.Require("createrepo_c");
        using var temp = new TempDirectory();
        string ours = temp.Combine("ours");
        Publish(ours, [fixture.Rpm("0.1"), fixture.Rpm("0.2"), fixture.ForeignRpm]);

        // createrepo_c on a copy of our tree: the same package files at the same places, with the same mtimes.
        string theirs = temp.Combine("theirs");
        CopyWithTimes(ours, theirs);
        Directory.Delete(Path.Combine(theirs, "repodata"), recursive: true);
        RealTool.RunChecked("createrepo_c", "--no-database", theirs);

        foreach (string type in (string[])["primary", "filelists", "other"])
        {
            Dictionary<string, List<string>> expected = Fields(theirs, type);
            Dictionary<string, List<string>> actual = Fields(ours, type);
            Assert.Equal(3, expected.Count);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach ((string pkgId, List<string> fields) in expected)
            {
                Assert.Equal(fields, actual[pkgId]);
            }
        }
    }

    [Fact]
    public void CreaterepoCUpdate_AcceptsOurRepository_AndWeUpdateItsResult()
    {
        RealTool.Require("createrepo_c");
        using var temp = new TempDirectory();
        string repo = temp.Combine("rpm");
        Publish(repo, [fixture.Rpm("0.1"), fixture.ForeignRpm]);
        Dictionary<string, List<string>> before = Fields(repo, "primary");

        (int exitCode, string stdOut, string stdErr) = RealTool.Run("createrepo_c", "--update", "--no-database", repo);
        Assert.True(exitCode == 0, stdOut + stdErr);
        Assert.DoesNotContain("rror", stdOut + stdErr, StringComparison.Ordinal);
        Assert.Equal(before, Fields(repo, "primary"));

        // createrepo_c's repomd.xml is unsigned now; our next run reads its metadata and signs again.
        File.Delete(Path.Combine(repo, "repodata/repomd.xml.asc"));
        Publish(repo, [fixture.Rpm("0.2")]);
        using var dnf = new HostDnf();
        dnf.AddBase(BaseRepository(temp));
        dnf.AddRepo(RepositoryFixture.ModuleName, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo")));
        Assert.Equal(["0.1-1", "0.2-1"], dnf.Versions(Package));
    }

    [Fact]
    public void SameNevraWithOtherBytes_IsRefused_UnlessReplace_AndKeepPrunes()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("rpm");
        Publish(repo, [fixture.Rpm("0.1")]);
        string other = temp.Combine("other.rpm");
        byte[] bytes = File.ReadAllBytes(fixture.Rpm("0.1"));
        bytes[^1] ^= 0x55; // same header, other payload bytes: another file of the same name, version and release
        File.WriteAllBytes(other, bytes);

        var refused = Assert.Throws<DkmsPackException>(() => Publish(repo, [other]));
        Assert.Equal(ExitCode.InvalidInput, refused.ExitCode);
        Assert.Contains("is already in the repository with other bytes", refused.Diagnostics[0].Message, StringComparison.Ordinal);
        Publish(repo, [fixture.Rpm("0.1")], replace: true);

        RepositoryOutcome kept = Publish(repo, [fixture.Rpm("0.2")], keep: 1);
        Assert.Equal([$"Packages/d/{Package}-0.1-1.noarch.rpm"], kept.Removed);
        Assert.False(File.Exists(Path.Combine(repo, kept.Removed[0])));
        using var dnf = new HostDnf();
        dnf.AddBase(BaseRepository(temp));
        dnf.AddRepo(RepositoryFixture.ModuleName, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo")));
        Assert.Equal(["0.2-1"], dnf.Versions(Package));
    }

    [Fact]
    public void Dnf_RefusesATamperedPrimary_AndAnUnsignedRepomd()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("rpm");
        Publish(repo, [fixture.Rpm("0.1")]);
        string primary = Directory.EnumerateFiles(Path.Combine(repo, "repodata"), "*-primary.xml.gz").Single();
        string text;
        using (var input = new GZipStream(File.OpenRead(primary), CompressionMode.Decompress))
        using (var reader = new StreamReader(input))
        {
            text = reader.ReadToEnd();
        }

        File.WriteAllBytes(primary, DkmsPack.Compression.Compressor.GzipBytes(System.Text.Encoding.UTF8.GetBytes(text.Replace("<summary>", "<summary>evil ", StringComparison.Ordinal))));
        using (var dnf = new HostDnf())
        {
            dnf.AddRepo(RepositoryFixture.ModuleName, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo")).Replace("enabled=1", "enabled=1\nskip_if_unavailable=False", StringComparison.Ordinal));
            (int exitCode, string output) = dnf.Run("makecache");
            Assert.NotEqual(0, exitCode);
            Assert.Matches("(?i)checksum|corrupt|damaged|mismatch", output);
        }

        string unsigned = temp.Combine("unsigned");
        RepositoryOutcome outcome = RpmRepository.Publish(new RpmRepositoryRequest { RepositoryDirectory = unsigned, Packages = [fixture.Rpm("0.1")], SourceDateEpoch = RepositoryFixture.Epoch }, DateTimeOffset.UnixEpoch);
        Assert.Contains(outcome.Warnings, w => w.Message.Contains("not signed", StringComparison.Ordinal));
        using (var dnf = new HostDnf())
        {
            // The signed repository's .repo file (repo_gpgcheck=1) pointed at the unsigned copy.
            dnf.AddRepo(RepositoryFixture.ModuleName, File.ReadAllText(Path.Combine(repo, RepositoryFixture.ModuleName + ".repo")).Replace("baseurl=" + new Uri(repo).AbsoluteUri, "baseurl=" + new Uri(unsigned).AbsoluteUri, StringComparison.Ordinal).Replace("enabled=1", "enabled=1\nskip_if_unavailable=False", StringComparison.Ordinal));
            (int exitCode, string output) = dnf.Run("makecache");
            Assert.NotEqual(0, exitCode);
            Assert.Matches("(?i)gpg|signature|repomd.xml.asc", output);
        }
    }

    [Fact]
    public void NotAnRpm_IsOneErrorNamingTheFile()
    {
        using var temp = new TempDirectory();
        string bad = temp.Combine("bad.rpm");
        File.WriteAllBytes(bad, new byte[200]);
        var error = Assert.Throws<DkmsPackException>(() => Publish(temp.Combine("rpm"), [bad]));
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Equal(bad, Assert.Single(error.Diagnostics).File);
        Assert.False(Directory.Exists(temp.Combine("rpm", "repodata")));
    }

    [Fact]
    public void SameInputsKeyAndEpoch_GiveByteIdenticalRepositories()
    {
        using var temp = new TempDirectory();
        Publish(temp.Combine("a"), [fixture.Rpm("0.1"), fixture.Rpm("0.2")], url: "https://example.org/rpm");
        Publish(temp.Combine("b"), [fixture.Rpm("0.2"), fixture.Rpm("0.1")], url: "https://example.org/rpm");
        foreach (string file in Directory.EnumerateFiles(temp.Combine("a"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".dkmspack-lock", StringComparison.Ordinal)))
        {
            string twin = Path.Combine(temp.Combine("b"), Path.GetRelativePath(temp.Combine("a"), file));
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(twin));
        }
    }

    [Fact]
    public void Cli_RepoRpm_WritesTheRepoFileWithTheUrl_AndPrintsRepomdLast()
    {
        using var temp = new TempDirectory();
        string repo = temp.Combine("rpm");
        DkmsPackProcess.Result result = DkmsPackProcess.Run(
            ["repo", "rpm", repo, fixture.Rpm("0.1"), "--signing-key", fixture.SecretKeyFile, "--name", "example", "--url", "https://example.org/rpm/"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = RepositoryFixture.Epoch });

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(Path.Combine(repo, "repodata/repomd.xml"), result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("[example]\nname=example\nbaseurl=https://example.org/rpm\nenabled=1\ngpgcheck=1\nrepo_gpgcheck=1\ngpgkey=https://example.org/rpm/example.asc\n", File.ReadAllText(Path.Combine(repo, "example.repo")));

        DkmsPackProcess.Result notRpm = DkmsPackProcess.Run(["repo", "rpm", repo, fixture.Deb("0.1"), "--signing-key", fixture.SecretKeyFile]);
        Assert.Equal(ExitCode.InvalidInput, notRpm.ExitCode);
        Assert.StartsWith(fixture.Deb("0.1") + ": error: is not a usable .rpm", notRpm.StdErr, StringComparison.Ordinal);
    }

    internal RepositoryOutcome Publish(string repo, string[] packages, int? keep = null, bool replace = false, string? url = null) =>
        RpmRepository.Publish(
            new RpmRepositoryRequest { RepositoryDirectory = repo, Packages = packages, Keep = keep, Replace = replace, Url = url, Signing = fixture.Signing(), SourceDateEpoch = RepositoryFixture.Epoch },
            DateTimeOffset.UnixEpoch);

    /// <summary>The distribution stand-in: the rpmbuild stub in an unsigned repository of our own.</summary>
    internal string BaseRepository(TempDirectory temp)
    {
        string directory = temp.Combine("base");
        RpmRepository.Publish(new RpmRepositoryRequest { RepositoryDirectory = directory, Packages = [fixture.ForeignRpm], SourceDateEpoch = RepositoryFixture.Epoch, Name = "base" }, DateTimeOffset.UnixEpoch);
        return directory;
    }

    /// <summary>
    /// Every field of every package of one metadata file, by pkgid: each element as its path, its attributes
    /// (sorted by name) and its text, in document order.
    /// </summary>
    internal static Dictionary<string, List<string>> Fields(string repo, string type)
    {
        XNamespace ns = "http://linux.duke.edu/metadata/repo";
        XDocument repomd = XDocument.Load(Path.Combine(repo, "repodata/repomd.xml"));
        string href = repomd.Root!.Elements(ns + "data").Single(d => (string?)d.Attribute("type") == type).Element(ns + "location")!.Attribute("href")!.Value;
        using var input = new GZipStream(File.OpenRead(Path.Combine(repo, href)), CompressionMode.Decompress);
        XDocument document = XDocument.Load(input);
        var packages = new Dictionary<string, List<string>>();
        foreach (XElement package in document.Root!.Elements().Where(e => e.Name.LocalName == "package"))
        {
            string pkgId = (string?)package.Attribute("pkgid") ?? package.Elements().Single(e => e.Name.LocalName == "checksum").Value;
            packages[pkgId] = [.. package.DescendantsAndSelf().Select(e =>
                $"{string.Join('/', e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName))} [{string.Join(' ', e.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.LocalName, StringComparer.Ordinal).Select(a => $"{a.Name.LocalName}={a.Value}"))}] {(e.HasElements ? string.Empty : e.Value)}")];
        }

        return packages;
    }

    private static void CopyWithTimes(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
    }
}
