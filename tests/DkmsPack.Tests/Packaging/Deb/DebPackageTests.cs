using System.Security.Cryptography;
using DkmsPack.Compression;
using DkmsPack.Packaging;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Packaging.Deb;

/// <summary>The example packages, judged by dpkg-deb, md5sum, sh and lintian.</summary>
public sealed class DebPackageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AppleGmux_ControlFields_AreWhatDpkgReads()
    {
        string deb = Build(Repo.Example("apple-gmux-0.1"));
        string dpkgDeb = RealTool.Require("dpkg-deb");

        Assert.Equal("apple-gmux-dkms_0.1-1_all.deb", Path.GetFileName(deb));
        Assert.Equal("apple-gmux-dkms", Field(dpkgDeb, deb, "Package"));
        Assert.Equal("0.1-1", Field(dpkgDeb, deb, "Version"));
        Assert.Equal("all", Field(dpkgDeb, deb, "Architecture"));
        Assert.Equal("kernel", Field(dpkgDeb, deb, "Section"));
        Assert.Equal("dkms (>= 2.1.0.0)", Field(dpkgDeb, deb, "Depends"));
        Assert.Equal("Test Maintainer <test@example.org>", Field(dpkgDeb, deb, "Maintainer"));
        Assert.StartsWith("DKMS source of the apple-gmux kernel module\n", Field(dpkgDeb, deb, "Description"), StringComparison.Ordinal);
    }

    [Fact]
    public void InstalledSize_FollowsDpkgGencontrolRule()
    {
        string deb = Build(Repo.Example("hello-pair"));
        string dpkgDeb = RealTool.Require("dpkg-deb");

        // dpkg-gencontrol: ceil(size/1024) per file or symlink, 1 per directory; recomputed here from dpkg-deb's own listing.
        long expected = 0;
        foreach (string line in RealTool.Run(dpkgDeb, "-c", deb).StdOut.TrimEnd('\n').Split('\n'))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            expected += line[0] == 'd' ? 1 : (long.Parse(columns[2], System.Globalization.CultureInfo.InvariantCulture) + 1023) / 1024;
        }

        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(dpkgDeb, deb, "Installed-Size"));
    }

    [Fact]
    public void HelloPair_Contents_HaveRootOwnerNormalisedModesAndExecutableScript()
    {
        string deb = Build(Repo.Example("hello-pair"));
        string dpkgDeb = RealTool.Require("dpkg-deb");

        Dictionary<string, string> listing = Listing(dpkgDeb, deb);

        Assert.Equal("drwxr-xr-x", listing["./usr/src/hello_pair-1.2.0/"]);
        Assert.Equal("drwxr-xr-x", listing["./usr/src/hello_pair-1.2.0/src/"]);
        Assert.Equal("-rwxr-xr-x", listing["./usr/src/hello_pair-1.2.0/scripts/post-build.sh"]);
        Assert.Equal("-rw-r--r--", listing["./usr/src/hello_pair-1.2.0/dkms.conf"]);
        Assert.Equal("-rw-r--r--", listing["./usr/src/hello_pair-1.2.0/src/left.c"]);
        Assert.Equal("-rw-r--r--", listing["./usr/share/doc/hello-pair-dkms/copyright"]);
        Assert.Contains("./usr/share/doc/hello-pair-dkms/changelog.Debian.gz", listing.Keys);
        Assert.All(RealTool.Run(dpkgDeb, "-c", deb).StdOut.TrimEnd('\n').Split('\n'), line => Assert.Contains(" root/root ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void SourceFiles_AreByteIdentical_AndMd5sumsVerify()
    {
        string source = Repo.Example("hello-pair");
        string deb = Build(source);
        string dpkgDeb = RealTool.Require("dpkg-deb");
        string md5sum = RealTool.Require("md5sum");
        string extracted = _temp.Combine("x");
        string control = _temp.Combine("control");

        Assert.Equal(0, RealTool.Run(dpkgDeb, "-x", deb, extracted).ExitCode);
        Assert.Equal(0, RealTool.Run(dpkgDeb, "-e", deb, control).ExitCode);

        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(extracted, "usr/src/hello_pair-1.2.0", relative)));
        }

        var check = RealTool.Run(new RealToolOptions(WorkingDirectory: extracted), md5sum, "--check", "--strict", Path.Combine(control, "md5sums"));
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Equal(Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories).Count(), File.ReadAllLines(Path.Combine(control, "md5sums")).Length);
    }

    [Fact]
    public void MaintainerScripts_PassShellSyntaxCheck_AndNameTheModule()
    {
        string deb = Build(Repo.Example("hello-pair"));
        string dpkgDeb = RealTool.Require("dpkg-deb");
        string control = _temp.Combine("control");
        Assert.Equal(0, RealTool.Run(dpkgDeb, "-e", deb, control).ExitCode);

        foreach (string script in (string[])["postinst", "prerm"])
        {
            string path = Path.Combine(control, script);
            var syntax = RealTool.Run(RealTool.Require("sh"), "-n", path);
            Assert.True(syntax.ExitCode == 0, script + ": " + syntax.StdErr);
            string text = File.ReadAllText(path);
            Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
            Assert.Contains("dkms_name='hello_pair'", text, StringComparison.Ordinal);
            Assert.Contains("dkms_version='1.2.0'", text, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("apple-gmux-0.1")]
    [InlineData("hello-pair")]
    public void Lintian_ReportsNoErrors_AndOnlyTheDocumentedWarnings(string example)
    {
        string lintian = RealTool.Require("lintian");
        string deb = Build(Repo.Example(example));

        var result = RealTool.Run(lintian, "--no-cfg", "--fail-on", "error,warning", deb);

        // The README lists these with the reason (section "lintian and rpmlint"). lintian exits 0 only when it read the
        // package and found nothing to fail on; here the one documented warning must be its only finding, and the
        // package must have been read at all (an unreadable .deb gives "No packages selected" and no finding).
        string[] documented = ["initial-upload-closes-no-bugs"];
        Assert.True(result.ExitCode is 0 or 2, $"lintian exited {result.ExitCode}: {result.StdErr}");
        Assert.DoesNotContain("No packages selected", result.StdOut + result.StdErr, StringComparison.Ordinal);
        string[] findings = [.. result.StdOut.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal))];
        Assert.All(findings, finding => Assert.Contains(documented, tag => finding.Contains(": " + tag, StringComparison.Ordinal)));
        Assert.DoesNotContain(findings, f => f.StartsWith("E:", StringComparison.Ordinal));
        Assert.Equal(findings.Length == 0 ? 0 : 2, result.ExitCode);

        // lintian with errors only as the failure threshold passes: nothing of error severity was found.
        Assert.Equal(0, RealTool.Run(lintian, "--no-cfg", "--fail-on", "error", deb).ExitCode);
    }

    [Theory]
    [InlineData(CompressionMethod.Gzip, "control.tar.gz", "data.tar.gz")]
    [InlineData(CompressionMethod.Zstd, "control.tar.zst", "data.tar.zst")]
    [InlineData(CompressionMethod.None, "control.tar", "data.tar")]
    public void Compression_NamesMembers_AndDpkgDebReadsThem(CompressionMethod method, string control, string data)
    {
        string deb = Build(Repo.Example("apple-gmux-0.1"), r => r with { Compression = method });
        string ar = RealTool.Require("ar");
        string dpkgDeb = RealTool.Require("dpkg-deb");

        Assert.Equal($"debian-binary\n{control}\n{data}\n", RealTool.Run(ar, "t", deb).StdOut);
        var contents = RealTool.Run(dpkgDeb, "-c", deb);
        Assert.True(contents.ExitCode == 0, contents.StdErr);
        Assert.Contains("./usr/src/apple-gmux-0.1/apple-gmux.c", contents.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, RealTool.Run(dpkgDeb, "-I", deb).ExitCode);
    }

    [Fact]
    public void VcsEditorAndBuildLeftovers_AreNotPackaged_AndMtimesAreClamped()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "checkout");
        Directory.CreateDirectory(Path.Combine(tree, ".git", "objects"));
        File.WriteAllText(Path.Combine(tree, ".git", "HEAD"), "ref: refs/heads/main\n");
        foreach (string leftover in (string[])[".gitignore", "apple-gmux.o", "apple-gmux.ko", "apple-gmux.c~", ".apple-gmux.o.cmd", "Module.symvers", "modules.order"])
        {
            File.WriteAllText(Path.Combine(tree, leftover), "x");
        }

        File.SetLastWriteTimeUtc(Path.Combine(tree, "Makefile"), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        string deb = Build(tree);
        string listing = RealTool.Run(RealTool.Require("dpkg-deb"), "-c", deb).StdOut;

        Assert.DoesNotContain(".git", listing, StringComparison.Ordinal);
        Assert.DoesNotContain(".o", listing.Replace(".org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(".ko", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("~", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("symvers", listing, StringComparison.Ordinal);
        Assert.Contains("./usr/src/apple-gmux-0.1/apple-gmux.c", listing, StringComparison.Ordinal);

        // Makefile's 2030 mtime is clamped to SOURCE_DATE_EPOCH (2026-01-01).
        Assert.Contains("2026-01-01 00:00 ./usr/src/apple-gmux-0.1/Makefile", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputDirectoryInsideTheTree_AndCiMetadata_AreNotPackaged()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "checkout");
        Directory.CreateDirectory(Path.Combine(tree, ".github", "workflows"));
        File.WriteAllText(Path.Combine(tree, ".github", "workflows", "release.yml"), "on: push\n");
        string dist = Path.Combine(tree, "dist");
        Build(tree, r => r with { OutputDirectory = dist });
        File.WriteAllText(Path.Combine(tree, "old.deb"), "a package of an earlier run");

        // Second run: dist/ now holds a package, and the tree's top holds another.
        string deb = Build(tree, r => r with { OutputDirectory = dist, Revision = "2" });
        string again = Build(tree, r => r with { OutputDirectory = tree, Revision = "3" });

        foreach (string package in (string[])[deb, again])
        {
            string listing = RealTool.Run(RealTool.Require("dpkg-deb"), "-c", package).StdOut;
            Assert.Equal(package == again, listing.Contains("/dist/", StringComparison.Ordinal));
            Assert.DoesNotContain(".github", listing, StringComparison.Ordinal);
            Assert.Contains("./usr/src/apple-gmux-0.1/apple-gmux.c", listing, StringComparison.Ordinal);

            // A package at the tree's top is left out only when the tree's top is where packages go.
            Assert.Equal(package != again, listing.Contains("/old.deb", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Symlinks_ArePackagedAsLinks_AfterEverythingElse()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "linked");
        Directory.CreateDirectory(Path.Combine(tree, "include"));
        File.CreateSymbolicLink(Path.Combine(tree, "include", "gmux.c"), "../apple-gmux.c");

        string deb = Build(tree);
        string[] lines = RealTool.Run(RealTool.Require("dpkg-deb"), "-c", deb).StdOut.TrimEnd('\n').Split('\n');

        // dpkg-deb puts symlinks last, so that their targets exist when dpkg creates them.
        Assert.StartsWith("lrwxrwxrwx root/root", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("./usr/src/apple-gmux-0.1/include/gmux.c -> ../apple-gmux.c", lines[^1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith("./usr/src/apple-gmux-0.1/include/", StringComparison.Ordinal));
    }

    [Fact]
    public void SameInputAndEpoch_GiveByteIdenticalPackages()
    {
        string first = Build(Repo.Example("hello-pair"), r => r with { OutputDirectory = _temp.Combine("one") });
        string second = Build(Repo.Example("hello-pair"), r => r with { OutputDirectory = _temp.Combine("two") });

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(first)), SHA256.HashData(File.ReadAllBytes(second)));
    }

    [Fact]
    public void TemplateOverride_ReplacesOneTemplate_AndKeepsTheOthers()
    {
        string templates = _temp.Combine("templates");
        Directory.CreateDirectory(Path.Combine(templates, "deb"));
        File.WriteAllText(
            Path.Combine(templates, "deb", "control.sbn"),
            File.ReadAllText(Path.Combine(Repo.Root, "templates", "deb", "control.sbn")).Replace("Priority: optional", "Priority: optional\nRecommends: linux-headers-amd64", StringComparison.Ordinal));

        string deb = Build(Repo.Example("apple-gmux-0.1"), r => r with { TemplatesDirectory = templates });
        string dpkgDeb = RealTool.Require("dpkg-deb");

        Assert.Equal("linux-headers-amd64", Field(dpkgDeb, deb, "Recommends"));
        Assert.Equal("apple-gmux-dkms", Field(dpkgDeb, deb, "Package"));
    }

    private string Build(string source, Func<BuildRequest, BuildRequest>? adjust = null)
    {
        BuildRequest request = TestBuilds.Request(source, _temp.Combine("out"));
        return TestBuilds.Build(adjust is null ? request : adjust(request), "deb").Path;
    }

    private static string Field(string dpkgDeb, string deb, string field) =>
        RealTool.Run(dpkgDeb, "-f", deb, field).StdOut.TrimEnd('\n').Replace("\n ", "\n", StringComparison.Ordinal);

    private static Dictionary<string, string> Listing(string dpkgDeb, string deb) =>
        RealTool.Run(dpkgDeb, "-c", deb).StdOut.TrimEnd('\n').Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(columns => columns[5], columns => columns[0], StringComparer.Ordinal);
}
