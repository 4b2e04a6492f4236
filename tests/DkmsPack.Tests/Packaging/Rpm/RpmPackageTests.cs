using System.Security.Cryptography;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;
using DkmsPack.Packaging;
using DkmsPack.Packaging.Rpm;
using DkmsPack.Rendering;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Packaging.Rpm;

/// <summary>The example RPMs, judged by rpm -K, rpm -qp, rpm2cpio | cpio, rpmlint and rpmbuild.</summary>
public sealed class RpmPackageTests : IDisposable
{
    private const string Name = "hello_pair-dkms";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(CompressionMethod.Gzip)]
    [InlineData(CompressionMethod.Zstd)]
    [InlineData(CompressionMethod.None)]
    public void RpmK_ShowsHeaderAndPayloadSha256DigestsOk(CompressionMethod compression)
    {
        string rpm = Build(r => r with { Compression = compression });

        string verbose = RealTool.RunChecked("rpm", "-Kv", rpm);

        Assert.Contains("Header SHA256 digest: OK", verbose, StringComparison.Ordinal);
        Assert.Contains("Payload SHA256 digest: OK", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("NOTFOUND", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD", verbose, StringComparison.Ordinal);
    }

    [Fact]
    public void RpmQuery_ShowsTheIntendedMetadata()
    {
        string rpm = Build();

        Assert.Equal("hello_pair-dkms-1.2.0-1.noarch.rpm", Path.GetFileName(rpm));
        Assert.Equal(
            "hello_pair-dkms|1.2.0|1|noarch|GPL-2.0-only|Test Maintainer <test@example.org>|DKMS source of the hello_pair kernel module|hello_pair-dkms-1.2.0-1.src.rpm|8",
            RealTool.RunChecked("rpm", "-qp", "--qf", "%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{LICENSE}|%{PACKAGER}|%{SUMMARY}|%{SOURCERPM}|%{FILEDIGESTALGO}", rpm));
        Assert.Equal("hello_pair-dkms = 1.2.0-1\n", RealTool.RunChecked("rpm", "-qp", "--provides", rpm));

        string[] requires = RealTool.RunChecked("rpm", "-qp", "--requires", rpm).TrimEnd('\n').Split('\n');
        Assert.Contains("dkms", requires);
        Assert.Contains("/bin/sh", requires);
        Assert.Contains("rpmlib(PayloadFilesHavePrefix) <= 4.0-1", requires);
        Assert.Contains("rpmlib(FileDigests) <= 4.6.0-1", requires);
    }

    [Fact]
    public void FileList_IsTheSourceTree_AndNeverOwnsUsrSrc()
    {
        string rpm = Build();

        string[] files = RealTool.RunChecked("rpm", "-qpl", rpm).TrimEnd('\n').Split('\n');

        string[] expected =
        [
            "/usr/src/hello_pair-1.2.0",
            .. Directory.EnumerateFileSystemEntries(Repo.Example("hello-pair"), "*", SearchOption.AllDirectories)
                .Select(p => "/usr/src/hello_pair-1.2.0/" + Path.GetRelativePath(Repo.Example("hello-pair"), p))
                .Order(StringComparer.Ordinal),
        ];
        Assert.Equal(expected, files);
        Assert.DoesNotContain("/usr/src", files);
    }

    [Fact]
    public void Scriptlets_AreShellThatDkmsUnderstands_AndPassSyntaxCheck()
    {
        string rpm = Build();
        string post = RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTIN}", rpm);
        string preun = RealTool.RunChecked("rpm", "-qp", "--qf", "%{PREUN}", rpm);
        string posttrans = RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTTRANS}", rpm);

        // Issue #9: the module is added and built in %posttrans, after the old package's %preun; no --rpm_safe_upgrade.
        static string Code(string script) => string.Join('\n', script.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("dkms ", Code(post), StringComparison.Ordinal);
        Assert.Contains("dkms add -m \"$dkms_name\" -v \"$dkms_version\" ||", posttrans, StringComparison.Ordinal);
        Assert.Contains("dkms remove -m \"$dkms_name\" -v \"$dkms_version\" --all ||", preun, StringComparison.Ordinal);
        Assert.DoesNotContain("rpm_safe_upgrade", Code(post + preun + posttrans), StringComparison.Ordinal);
        Assert.Equal("/bin/sh|/bin/sh|/bin/sh", RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTINPROG}|%{PREUNPROG}|%{POSTTRANSPROG}", rpm));
        foreach (string script in (string[])[post, preun, posttrans])
        {
            string path = _temp.Combine("script.sh");
            File.WriteAllText(path, script);
            var syntax = RealTool.Run("sh", "-n", path);
            Assert.True(syntax.ExitCode == 0, syntax.StdErr);
        }
    }

    [Fact]
    public void Payload_ExtractsToTheSourceBytesAndModes()
    {
        string rpm = Build();
        string cpioFile = _temp.Combine("payload.cpio");
        string extracted = _temp.Combine("x");
        Directory.CreateDirectory(extracted);
        RealTool.RunChecked(new RealToolOptions(StdOutFile: cpioFile), "rpm2cpio", rpm);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: extracted, StdInFile: cpioFile), "cpio", "-idm", "--quiet");

        string source = Repo.Example("hello-pair");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(extracted, "usr/src/hello_pair-1.2.0", Path.GetRelativePath(source, file));
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(copy));
            bool executable = (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            Assert.Equal(executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100, File.GetUnixFileMode(copy));
        }
    }

    [Fact]
    public void Rpmlint_ReportsOnlyTheMissingSignature_AndDocumentedWarnings()
    {
        RealTool.Require("rpmlint");
        string rpm = Build();

        var lint = RealTool.Run("rpmlint", rpm);

        // The README lists each of these with its reason (section "lintian and rpmlint").
        string[] documentedWarnings = ["no-documentation", "invalid-license", "devel-file-in-non-devel-package", "no-url-tag"];
        string[] findings = [.. lint.StdOut.Split('\n').Where(l => l.Contains(": E: ", StringComparison.Ordinal) || l.Contains(": W: ", StringComparison.Ordinal))];
        Assert.Contains(findings, f => f.Contains(": E: no-signature", StringComparison.Ordinal));
        Assert.All(findings.Where(f => f.Contains(": E: ", StringComparison.Ordinal)), f => Assert.Contains(": E: no-signature", f, StringComparison.Ordinal));
        Assert.All(findings.Where(f => f.Contains(": W: ", StringComparison.Ordinal)), f => Assert.Contains(documentedWarnings, tag => f.Contains(": W: " + tag, StringComparison.Ordinal)));
    }

    [Fact]
    public void RenderedSpec_BuildsWithRpmbuild_IntoTheSamePackage()
    {
        RealTool.Require("rpmbuild");
        BuildRequest request = TestBuilds.Request(Repo.Example("hello-pair"), _temp.Combine("out")) with { Homepage = "https://example.org/hello" };
        BuildOutcome outcome = PackageBuild.Run(request with { IncludeRpmSpec = true }, PackageFormats.Select(["rpm"]), DateTimeOffset.UnixEpoch);
        string ours = outcome.Packages.Single().Path;
        string spec = outcome.Files.Single(f => f.FileName.EndsWith(".spec", StringComparison.Ordinal)).Path;
        Assert.Equal("hello_pair-dkms.spec", Path.GetFileName(spec));

        var rpmbuild = RealTool.Run(
            "rpmbuild", "-bb", "--define", "_topdir " + _temp.Combine("rpmbuild"), "--define", "dkms_source " + Repo.Example("hello-pair"),
            "--define", "_binary_payload w9.gzdio", "--define", "source_date_epoch_from_changelog 0", spec);
        Assert.True(rpmbuild.ExitCode == 0, rpmbuild.StdErr);
        string theirs = Directory.GetFiles(_temp.Combine("rpmbuild", "RPMS", "noarch"), "*.rpm").Single();

        Assert.Equal(Path.GetFileName(theirs), Path.GetFileName(ours));
        const string metadata = "%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE} %{GROUP} %{URL} %{PACKAGER} %{SIZE} %{SUMMARY}\n%{DESCRIPTION}\n%{CHANGELOGNAME}\n%{CHANGELOGTEXT}\n"
            + "[%{REQUIRENAME} %{REQUIREFLAGS} %{REQUIREVERSION}\n][%{PROVIDENAME} %{PROVIDEFLAGS} %{PROVIDEVERSION}\n]"
            + "[%{FILENAMES} %{FILEMODES:octal} %{FILESIZES} %{FILEDIGESTS} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEFLAGS}\n]";
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", metadata, theirs), RealTool.RunChecked("rpm", "-qp", "--qf", metadata, ours));
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--scripts", theirs), RealTool.RunChecked("rpm", "-qp", "--scripts", ours));
    }

    [Fact]
    public void OurReader_ReadsBackWhatRpmReads()
    {
        string rpm = Build();
        using FileStream stream = File.OpenRead(rpm);

        RpmPackageReader package = RpmPackageReader.Read(stream);

        Assert.Equal("hello_pair-dkms-1.2.0-1", package.Lead.Name);
        Assert.Equal(Name, package.Header.GetString(RpmTag.Name));
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", "[%{BASENAMES}\n]", rpm).TrimEnd('\n').Split('\n'), package.Header.GetStringArray(RpmTag.BaseNames));
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", "[%{PAYLOADDIGEST}]", rpm), package.Header.GetStringArray(RpmTag.PayloadDigest).Single());
    }

    [Fact]
    public void HyphenInModuleVersion_BecomesUnderscoreInRpmVersion_ButNotInTheInstallPath()
    {
        string rpm = Build(r => r with { Version = "5.6.0-19-g67bac62" });

        Assert.Equal("5.6.0_19_g67bac62", RealTool.RunChecked("rpm", "-qp", "--qf", "%{VERSION}", rpm));
        Assert.StartsWith("/usr/src/hello_pair-5.6.0-19-g67bac62\n", RealTool.RunChecked("rpm", "-qpl", rpm), StringComparison.Ordinal);
        Assert.Contains("dkms_version='5.6.0-19-g67bac62'", RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTTRANS}", rpm), StringComparison.Ordinal);
    }

    [Fact]
    public void Symlinks_AreLinksInTheHeaderAndThePayload()
    {
        string tree = _temp.CopyTree(Repo.Example("hello-pair"), "linked");
        File.CreateSymbolicLink(Path.Combine(tree, "src", "shared.h"), "common.h");
        string rpm = Build(r => r with { SourceDirectory = tree });

        Assert.Contains("/usr/src/hello_pair-1.2.0/src/shared.h 120777 common.h\n", RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEMODES:octal} %{FILELINKTOS}\n]", rpm), StringComparison.Ordinal);
        string cpioFile = _temp.Combine("payload.cpio");
        string extracted = _temp.Combine("x");
        Directory.CreateDirectory(extracted);
        RealTool.RunChecked(new RealToolOptions(StdOutFile: cpioFile), "rpm2cpio", rpm);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: extracted, StdInFile: cpioFile), "cpio", "-idm", "--quiet");
        Assert.Equal("common.h", new FileInfo(Path.Combine(extracted, "usr/src/hello_pair-1.2.0/src/shared.h")).LinkTarget);
        Assert.Contains("Payload SHA256 digest: OK", RealTool.RunChecked("rpm", "-Kv", rpm), StringComparison.Ordinal);
    }

    [Fact]
    public void SameInputAndEpoch_GiveByteIdenticalPackages()
    {
        string first = Build(r => r with { OutputDirectory = _temp.Combine("one") });
        string second = Build(r => r with { OutputDirectory = _temp.Combine("two") });

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(first)), SHA256.HashData(File.ReadAllBytes(second)));
    }

    private string Build(Func<BuildRequest, BuildRequest>? adjust = null)
    {
        RealTool.Require("rpm");
        BuildRequest request = TestBuilds.Request(Repo.Example("hello-pair"), _temp.Combine("out"));
        return TestBuilds.Build(adjust is null ? request : adjust(request), "rpm").Path;
    }
}
