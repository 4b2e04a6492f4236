using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Source;
using DkmsPack.Tests.Support;
using Xunit;
using static DkmsPack.Tests.Source.TreeTestSupport;

namespace DkmsPack.Tests.Source;

/// <summary>
/// What is left out of the package: dkmspack's scratch files, the output directory however it is reached, and the
/// user's patterns. Judged by dpkg-deb's listing where the CLI can reach the rule, by the scan's entries where only
/// <see cref="ExclusionRules.ForTree(string, string, IReadOnlyList{string})"/> can (until the CLI passes --exclude).
/// </summary>
public sealed class ExclusionTests : ModuleTreeTest
{
    private const string Install = "usr/src/apple-gmux-0.1";

    [Fact]
    public void ScratchFilesOfAKilledRun_AreNeverPackaged_AtAnyDepth()
    {
        Directory.CreateDirectory(Path.Combine(Tree, ".dkmspack-scratch-1234"));
        File.WriteAllText(Path.Combine(Tree, ".dkmspack-scratch-1234", "data.tar"), "half a package");
        Directory.CreateDirectory(Path.Combine(Tree, "sub"));
        File.WriteAllText(Path.Combine(Tree, "sub", ".dkmspack-left.tmp"), "x");
        File.WriteAllText(Path.Combine(Tree, "sub", "kept.c"), "int x;\n");
        string deb = AssertOnePackage(Package("mkdeb", Tree, Output), Output);

        string[] listing = DebListing(deb);
        Assert.DoesNotContain(listing, l => l.Contains(ExclusionRules.ScratchPrefix, StringComparison.Ordinal));
        Assert.Contains(listing, l => l.EndsWith("/sub/kept.c", StringComparison.Ordinal));
    }

    [Fact]
    public void OutputDirectoryInsideTheTree_ReachedThroughASymlink_IsNotPackaged()
    {
        // -o names a link outside the tree; its target is tree/dist, which holds the package of the first run.
        string dist = Path.Combine(Tree, "dist");
        Directory.CreateDirectory(dist);
        string link = Temp.Combine("dist-link");
        Directory.CreateSymbolicLink(link, dist);
        AssertOnePackage(Package("mkdeb", Tree, link), dist);
        File.WriteAllText(Path.Combine(dist, "notes.txt"), "an earlier run's leftovers");

        string deb = Directory.GetFiles(dist, "*.deb").Single();
        var second = Package("mkdeb", Tree, link);

        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.DoesNotContain(DebListing(deb), l => l.Contains("/dist", StringComparison.Ordinal));
    }

    [Fact]
    public void OutputDirectoryInsideTheTree_ByPath_IsStillNotPackaged()
    {
        string dist = Path.Combine(Tree, "dist");
        AssertOnePackage(Package("mkdeb", Tree, dist), dist);

        var second = Package("mkdeb", Tree, dist);

        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.DoesNotContain(DebListing(Directory.GetFiles(dist).Single()), l => l.Contains("/dist", StringComparison.Ordinal));
    }

    [Fact]
    public void ExcludeGlobs_LeaveOutWhatTheyMatch_AndTheFifoIsNeverTouched()
    {
        RealTool.RunChecked("mkfifo", Path.Combine(Tree, "pipe"));
        Build("doc/a.md", "doc/b.txt", "src/x.c", "src/gen/y.c", "src/gen/deep/z.c", "tools/build.sh", "tools.txt", "README");

        List<PackageEntry> entries = Scan("pipe", "*.md", "src/gen/**", "/tools/", "README");

        Assert.Equal(
            ["", "/Makefile", "/apple-gmux.c", "/dkms.conf", "/doc", "/doc/b.txt", "/src", "/src/gen", "/src/x.c", "/tools.txt"],
            entries.Select(e => e.Path[Install.Length..]));
    }

    [Fact]
    public void TrailingSlash_MatchesDirectoriesOnly()
    {
        Build("build/", "sub/build");

        List<PackageEntry> entries = Scan("build/");

        Assert.DoesNotContain(entries, e => e.Path == Install + "/build");
        Assert.Contains(entries, e => e.Path == Install + "/sub/build" && e.Kind == EntryKind.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("!keep.c")]
    [InlineData("a[bc")]
    [InlineData("a**b")]
    [InlineData("../outside")]
    [InlineData("a//b")]
    [InlineData("trailing\\")]
    [InlineData("[z-a]")]
    public void InvalidGlob_IsAnOptionError_NamingIt(string glob)
    {
        var error = Assert.ThrowsAny<DkmsPackException>(() => ExclusionRules.ForTree(Tree, Output, [glob]));

        Assert.Equal(ExitCode.InvalidOptions, error.ExitCode);
        Diagnostic diagnostic = Assert.Single(error.Diagnostics);
        Assert.Contains(OptionRef.To("exclude") + $" \"{glob}\"", diagnostic.Message, StringComparison.Ordinal);
        Assert.NotNull(diagnostic.Remedy);
    }

    private void Build(params string[] paths)
    {
        foreach (string path in paths)
        {
            string full = Path.Combine(Tree, path);
            if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, path);
            }
        }
    }

    private List<PackageEntry> Scan(params string[] globs) =>
        SourceTree.Scan(Tree, Install, null, 0, ExclusionRules.ForTree(Tree, Output, globs));
}
