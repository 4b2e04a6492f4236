using DkmsPack.Diagnostics;
using DkmsPack.Packaging;
using DkmsPack.Project;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>A bad dkmspack.toml: each finding names dkmspack.toml and its line, all are reported at once, exit 2, nothing written.</summary>
public sealed class ProjectFileErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, int, string> BadFiles => new()
    {
        { "maintainer = \"A <a@example.org>\"\ncolour = \"red\"\n", 2, "unknown key \"colour\" at the top level" },
        { "[hooks]\npost-instal = \"x.sh\"\n", 2, "unknown key \"post-instal\" in [hooks]" },
        { "[[files]]\nsource = \"greeter.conf\"\ndestination = \"/etc/modprobe.d/\"\nmode = \"0644\"\nowner = \"root\"\n", 5, "unknown key \"owner\" in [files]" },
        { "revision = true\n", 1, "revision must be a string, not a boolean" },
        { "formats = \"deb\"\n", 1, "formats must be an array of strings, not a string" },
        { "[relationships]\ndepends = [\"kmod\", 3]\n", 2, "depends must be an array of strings" },
        { "[[files]]\nsource = \"udev/61-missing.rules\"\ndestination = \"/usr/lib/udev/rules.d/\"\n", 2, "source \"udev/61-missing.rules\" does not exist in the module tree" },
        { "\n[[files]]\nsource = \"greeter.conf\"\ndestination = \"/usr/src/greeter-0.1/greeter.conf\"\n", 4, "destination \"/usr/src/greeter-0.1/greeter.conf\" is inside /usr/src/greeter-0.1" },
        { "[[files]]\nsource = \"/etc/hostname\"\ndestination = \"/etc/greeter-host\"\n", 2, "source \"/etc/hostname\" is outside the module tree" },
        { "[[files]]\nsource = \"../outside\"\ndestination = \"/etc/x\"\n", 2, "source \"../outside\" leads outside the module tree" },
        { "[[files]]\nsource = \"greeter.conf\"\ndestination = \"/etc/modprobe.d/greeter.conf\"\n\n[[files]]\nsource = \"README.md\"\ndestination = \"/etc/modprobe.d/greeter.conf\"\n", 7, "/etc/modprobe.d/greeter.conf is installed twice (also on line 3)" },
        { "[[files]]\nsource = \"README.md\"\ndestination = \"/usr/share/doc/x/\"\nconfig = true\n", 1, "config = true, but /usr/share/doc/x/README.md is not under /etc" },
        { "[[files]]\nsource = \"firmware/*\"\ndestination = \"/usr/lib/firmware/greeter/\"\n", 2, "source \"firmware/*\" matches no file" },
        { "[[files]]\nsource = \"greeter.conf\"\ndestination = \"etc/greeter.conf\"\n", 3, "destination \"etc/greeter.conf\" is not an absolute path" },
        { "[[files]]\nsource = \"greeter.conf\"\ndestination = \"/etc/x\"\nmode = \"0999\"\n", 4, "mode must be permission bits" },
        { "[[files]]\nsource = \"greeter.conf\"\ndestination = \"/etc/%(touch x).conf\"\n", 3, "which rpm's %files reads as a macro" },
        { "[relationships]\ndepends = [\"Foo_Bar\"]\n", 2, "\"Foo_Bar\" is not a Debian package name" },
        { "[relationships]\nconflicts = [\"foo (>= one)\"]\n", 2, "\"one\" is not a Debian version" },
        { "[relationships]\nconflicts = [\"foo | bar\"]\n", 2, "only depends, recommends and suggests may have" },
        { "[relationships]\nprovides = [\"foo (>= 1)\"]\n", 2, "provides takes only = versions" },
        { "compression = \"bzip2\"\n", 1, "compression \"bzip2\" is not gzip, zstd, xz or none" },
        { "compression = \"gzip\"\ncompression-level = \"9e\"\n", 2, "compression-level 9e asks for the extreme variant (e), which only xz has, not gzip" },
        { "compression = \"xz\"\ncompression-level = \"x\"\n", 2, "compression-level \"x\" is not a level" },
        { "formats = [\"deb\", \"apk\"]\n", 1, "formats names \"apk\"" },
        { "maintainer = \"unterminated\n", 1, "not valid TOML" },
        { "changelog = \"packaging/missing\"\n", 1, "changelog \"packaging/missing\" does not exist in the module tree" },
        { "[[changelog]]\nversion = \"0.1-1\"\nchanges = [\"x\"]\n", 1, "this [[changelog]] entry has no date" },
        { "[hooks]\npost-install = \"packaging/nope.sh\"\n", 2, "hook \"packaging/nope.sh\" does not exist in the module tree" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void EachMistake_IsAnErrorOnItsLine(string toml, int line, string message)
    {
        string tree = Tree(toml);
        DkmsPackException error = Assert.ThrowsAny<DkmsPackException>(() => Build(tree));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        // One finding (a TOML syntax error may give the parser's two views of it, on the same line).
        Assert.All(error.Diagnostics, d => Assert.Equal((Path.Combine(tree, "dkmspack.toml"), line), (d.File, d.Line)));
        Assert.InRange(error.Diagnostics.Count, 1, message.StartsWith("not valid TOML", StringComparison.Ordinal) ? 2 : 1);
        Assert.Contains(message, error.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("out")), "nothing may be written");
    }

    [Fact]
    public void ABadChangelogFile_NamesItsOwnLine()
    {
        string tree = Tree("changelog = \"packaging/changelog\"\n");
        File.WriteAllText(Path.Combine(tree, "packaging", "changelog"), "greeter (0.1-1) unstable; urgency=medium\n\n  * One.\n\n -- A <a@example.org>  yesterday\n");

        DkmsPackException error = Assert.ThrowsAny<DkmsPackException>(() => Build(tree));

        Diagnostic finding = Assert.Single(error.Diagnostics);
        Assert.Equal((Path.Combine(tree, "packaging/changelog"), 5), (finding.File, finding.Line));
        Assert.Contains("not a changelog trailer", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExtraInTheDebsOwnDocFile_IsRefusedBeforeAnythingIsWritten()
    {
        string tree = Tree("[[files]]\nsource = \"README.md\"\ndestination = \"/usr/share/doc/greeter-dkms/copyright\"\n");

        DkmsPackException error = Assert.ThrowsAny<DkmsPackException>(() => Build(tree));

        Assert.Contains("/usr/share/doc/greeter-dkms/copyright, which the .deb writes itself", Assert.Single(error.Diagnostics).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }

    /// <summary>The command itself: every finding on stderr, one compiler-style line each, exit 2, no output directory.</summary>
    [Fact]
    public void Dkmspack_ReportsEveryFindingAtOnce_Exits2_AndWritesNothing()
    {
        string tree = Tree("colour = \"red\"\nrevision = true\n\n[[files]]\nsource = \"nope\"\ndestination = \"/usr/src/greeter-0.1/x\"\n");
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["build", tree, "-o", output], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string[] lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string file = Path.Combine(tree, "dkmspack.toml");
        Assert.Collection(
            lines,
            l => Assert.StartsWith($"{file}:1: error: unknown key \"colour\"", l, StringComparison.Ordinal),
            l => Assert.StartsWith($"{file}:2: error: revision must be a string", l, StringComparison.Ordinal),
            l => Assert.StartsWith($"{file}:5: error: source \"nope\" does not exist", l, StringComparison.Ordinal),
            l => Assert.StartsWith($"{file}:6: error: destination \"/usr/src/greeter-0.1/x\" is inside", l, StringComparison.Ordinal));
        Assert.Equal(string.Empty, result.StdOut);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void MissingConfigFile_IsAnError()
    {
        string tree = Tree(string.Empty);
        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", _temp.Combine("out"), "--config", _temp.Combine("nowhere.toml")]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.StartsWith($"{_temp.Combine("nowhere.toml")}: error: no such file", result.StdErr, StringComparison.Ordinal);
    }

    private string Tree(string toml)
    {
        string tree = _temp.CopyTree(Repo.Example("greeter-0.1"), "greeter");
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), toml);
        return tree;
    }

    private void Build(string tree)
    {
        BuildRequest request = TestBuilds.Request(tree, _temp.Combine("out"));
        request = ProjectRequest.Apply(request, ProjectFileReader.Find(tree, null), new HashSet<string>());
        PackageBuild.Run(request, PackageFormats.All(), DateTimeOffset.UnixEpoch);
    }
}
