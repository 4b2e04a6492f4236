using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.SourcePackages;

/// <summary>
/// dkmspack mksrpm and the srpm format, judged by rpm (-qp, -K, --dump, --scripts), rpmbuild --rebuild and rpmlint:
/// the binary rpmbuild builds from our source RPM must equal mkrpm's in files, modes, digests, metadata and scriptlets.
/// </summary>
public sealed class SrpmTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RpmShowsASourcePackage_WithTheSpecAndTheTarball_AndItsDigestsOk()
    {
        string srpm = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("hello-pair"), _temp.Combine("out")), "*.rpm");

        Assert.Equal("hello_pair-dkms-1.2.0-1.src.rpm", Path.GetFileName(srpm));
        Assert.Equal("1 (none) hello_pair-1.2.0.tar.gz noarch", RealTool.RunChecked("rpm", "-qp", "--qf", "%{SOURCEPACKAGE} %{SOURCERPM} [%{SOURCE}] [%{BUILDARCHS}]", srpm));
        Assert.Contains("Source RPM  : (none)", RealTool.RunChecked("rpm", "-qpi", srpm), StringComparison.Ordinal);
        Assert.Equal("hello_pair-1.2.0.tar.gz 0\nhello_pair-dkms.spec 32\n", RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS}\n]", srpm));
        Assert.Contains("src", RealTool.RunChecked("file", "-b", srpm), StringComparison.Ordinal);
        string verbose = RealTool.RunChecked("rpm", "-Kv", srpm);
        Assert.Contains("Header SHA256 digest: OK", verbose, StringComparison.Ordinal);
        Assert.Contains("Payload SHA256 digest: OK", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD", verbose, StringComparison.Ordinal);
    }

    /// <summary>greeter has a project file: extras, a conffile, a doc, relationships, a changelog and a hook.</summary>
    [Theory]
    [InlineData("hello-pair")]
    [InlineData("greeter-0.1")]
    public void RpmbuildRebuild_BuildsTheSamePackageAsMkrpm(string example)
    {
        RealTool.Require("rpmbuild");
        string output = SourceBuilds.Run("build", Repo.Example(example), _temp.Combine("out"), "--formats", "rpm,srpm");
        string ours = SourceBuilds.Single(output, "*.noarch.rpm");
        string srpm = SourceBuilds.Single(output, "*.src.rpm");

        var rebuild = RealTool.Run(
            "rpmbuild", "--rebuild", "--define", "_topdir " + _temp.Combine("rpmbuild"),
            "--define", "_binary_payload w9.gzdio", "--define", "source_date_epoch_from_changelog 0", srpm);
        Assert.True(rebuild.ExitCode == 0, rebuild.StdErr);
        string theirs = Directory.GetFiles(_temp.Combine("rpmbuild", "RPMS", "noarch"), "*.rpm").Single();

        Assert.Equal(Path.GetFileName(ours), Path.GetFileName(theirs));
        Assert.Equal(DumpWithoutTimes(ours), DumpWithoutTimes(theirs));
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--scripts", ours), RealTool.RunChecked("rpm", "-qp", "--scripts", theirs));
        const string metadata = "%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE} %{GROUP} %{URL} %{PACKAGER} %{SIZE} %{SUMMARY}\n%{DESCRIPTION}\n"
            + "[%{CHANGELOGNAME}\n%{CHANGELOGTEXT}\n][%{REQUIRENAME} %{REQUIREFLAGS} %{REQUIREVERSION}\n][%{PROVIDENAME} %{PROVIDEFLAGS} %{PROVIDEVERSION}\n]"
            + "[%{CONFLICTNAME} %{CONFLICTVERSION}\n][%{RECOMMENDNAME}\n][%{FILEFLAGS} %{FILEUSERNAME} %{FILEGROUPNAME}\n]";
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", metadata, ours), RealTool.RunChecked("rpm", "-qp", "--qf", metadata, theirs));
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("none")]
    public void OtherPayloadCompressions_RpmChecksThemAndRpmbuildUnpacksThem(string compression)
    {
        RealTool.Require("rpmbuild");
        string srpm = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("hello-pair"), _temp.Combine("out"), "-Z", compression), "*.rpm");

        Assert.Contains("digests OK", RealTool.RunChecked("rpm", "-K", srpm), StringComparison.Ordinal);
        RealTool.RunChecked("rpmbuild", "--rebuild", "--define", "_topdir " + _temp.Combine("rpmbuild"), srpm);
        Assert.Single(Directory.GetFiles(_temp.Combine("rpmbuild", "RPMS", "noarch"), "*.rpm"));
    }

    [Fact]
    public void Rpmlint_FindsNoErrorButTheMissingSignature()
    {
        RealTool.Require("rpmlint");
        string srpm = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("greeter-0.1"), _temp.Combine("out")), "*.rpm");

        var lint = RealTool.Run("rpmlint", srpm);

        string[] errors = [.. lint.StdOut.Split('\n').Where(l => l.Contains(": E: ", StringComparison.Ordinal))];
        Assert.Equal(["greeter-dkms.src: E: no-signature"], errors);
    }

    [Fact]
    public void TwoRuns_GiveByteIdenticalSourceRpms()
    {
        string first = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("greeter-0.1"), _temp.Combine("a")), "*.rpm");
        string second = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("greeter-0.1"), _temp.Combine("b")), "*.rpm");

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Signed_RpmChecksTheHeaderSignature()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        string key = gpg.Write("secret.asc", gpg.ExportSecret(fingerprint));
        string srpm = SourceBuilds.Single(SourceBuilds.Run("mksrpm", Repo.Example("hello-pair"), _temp.Combine("out"), "--signing-key", key), "*.rpm");
        string database = _temp.Combine("rpmdb");
        Directory.CreateDirectory(database);
        RealTool.RunChecked("rpmkeys", "--dbpath", database, "--import", gpg.Write("public.asc", gpg.Gpg(null, "--armor", "--export", fingerprint)));

        var check = RealTool.Run("rpm", "--dbpath", database, "-Kv", srpm);

        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Contains($"Header V4 EdDSA/SHA256 Signature, key ID {fingerprint[^8..].ToLowerInvariant()}: OK", check.StdOut, StringComparison.Ordinal);
    }

    /// <summary>rpm -qp --dump without its mtime column: rpmbuild's install(1) stamps files with the build's time.</summary>
    private static string DumpWithoutTimes(string rpm) =>
        string.Join('\n', RealTool.RunChecked("rpm", "-qp", "--dump", rpm).Split('\n').Select(line =>
        {
            string[] fields = line.Split(' ');
            return fields.Length > 2 ? string.Join(' ', fields.Take(2).Concat(fields.Skip(3))) : line;
        }));
}
