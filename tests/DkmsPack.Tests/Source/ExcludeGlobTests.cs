using DkmsPack.Source;
using Xunit;

namespace DkmsPack.Tests.Source;

/// <summary>--exclude patterns read as gitignore(5) reads them, against paths relative to the tree root.</summary>
public sealed class ExcludeGlobTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "doc/deep/notes.md", true)]        // no '/': the name at any depth
    [InlineData("*.md", "doc.md/file", false)]             // ... the last name only
    [InlineData("?.c", "a.c", true)]
    [InlineData("?.c", "ab.c", false)]
    [InlineData("*", "a/b", true)]
    [InlineData("doc/*.txt", "doc/a.txt", true)]
    [InlineData("doc/*.txt", "doc/sub/a.txt", false)]      // '*' stays within one name
    [InlineData("doc/*.txt", "x/doc/a.txt", false)]        // a '/' anchors at the root
    [InlineData("/Makefile", "Makefile", true)]
    [InlineData("/Makefile", "sub/Makefile", false)]
    [InlineData("**/gen", "gen", true)]
    [InlineData("**/gen", "a/b/gen", true)]
    [InlineData("src/**", "src/a/b.c", true)]
    [InlineData("src/**", "src", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("[ab].c", "b.c", true)]
    [InlineData("[!ab].c", "b.c", false)]
    [InlineData("[!ab].c", "c.c", true)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("[]]", "]", true)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("a.c", "A.C", false)]                       // case matters, as on Linux
    [InlineData("a+(b).c", "a+(b).c", true)]                // regex characters are literal
    [InlineData("build/", "build", true)]                   // directory-only is the caller's check
    public void Matches_AsGitignoreWould(string pattern, string path, bool expected) =>
        Assert.Equal(expected, ExcludeGlob.Parse(pattern).MatchesPath(path));

    [Theory]
    [InlineData("build/", true)]
    [InlineData("build", false)]
    public void TrailingSlash_MeansDirectoriesOnly(string pattern, bool directoriesOnly) =>
        Assert.Equal(directoriesOnly, ExcludeGlob.Parse(pattern).DirectoriesOnly);
}
