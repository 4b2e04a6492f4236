using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Packaging.Rpm;

/// <summary>
/// No value can run as an RPM macro or as shell through the rendered spec: rpmspec -P (which expands every macro,
/// %(…) included) and rpmbuild -bb run on specs full of hostile values, and no command runs; rpmbuild's package
/// carries each value literally.
/// </summary>
public sealed class SpecInjectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--summary")]
    [InlineData("--homepage")]
    [InlineData("--maintainer")]
    [InlineData("--description")]
    public void AnOptionValue_NeverRuns(string option)
    {
        string marker = _temp.Combine("pwned-" + option.TrimStart('-'));
        string hostile = option switch
        {
            "--maintainer" => $"Evil %(touch {marker}) <e@example.org>",
            // A URL is one token (rpm's URL tag takes no spaces): $IFS stands in for them.
            "--homepage" => $"https://example.org/%(touch${{IFS}}{marker})/$(touch${{IFS}}{marker})",
            _ => $"text %(touch {marker}) %{{lua: os.execute('touch {marker}')}} $(touch {marker})",
        };
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");

        string spec = RenderSpec(tree, [option, hostile]);
        ExpandAndBuild(spec, tree);

        Assert.False(File.Exists(marker), $"{option} ran a command through the spec");
    }

    /// <summary>A licence is an SPDX expression: '%', '$', '{' and spaces outside operators never reach the spec.</summary>
    [Fact]
    public void AHostileLicense_IsRefusedAsNoSpdxExpression_BeforeAnythingIsWritten()
    {
        string marker = _temp.Combine("pwned-license");
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        string output = _temp.Combine("out-license");

        var result = DkmsPackProcess.Run(["mkrpm", tree, "-o", output, "--spec", "--maintainer", "T <t@example.org>", "--license", $"MIT %(touch {marker}) $(touch {marker})"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"dkmspack: error: --license \"MIT %(touch {marker}) $(touch {marker})\" has '%' at column 5", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void ADescriptionLineThatLooksLikeASection_StaysDescription()
    {
        string marker = _temp.Combine("pwned-section");
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");

        string spec = RenderSpec(tree, ["--description", $"First line.\n\n%post\n\ntouch {marker}\n\n%%pre\n\ntouch {marker}"]);
        string built = ExpandAndBuild(spec, tree);
        string ours = Directory.GetFiles(Path.GetDirectoryName(spec)!, "*.rpm").Single();

        // The scriptlets are exactly dkmspack's (no %post or %pre taken from the description)...
        Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--scripts", ours), RealTool.RunChecked("rpm", "-qp", "--scripts", built));
        Assert.DoesNotContain("touch", RealTool.RunChecked("rpm", "-qp", "--scripts", built), StringComparison.Ordinal);

        // ...and the description keeps every line.
        string description = RealTool.RunChecked("rpm", "-qp", "--qf", "%{DESCRIPTION}", built);
        Assert.Contains("%post", description, StringComparison.Ordinal);
        Assert.Contains($"touch {marker}", description, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void FileNamesTargetsAndModuleNames_NeverRun()
    {
        // File names cannot hold '/': the commands touch a name in their working directory, searched for afterwards.
        const string marker = "pwned-tree";
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        string[] names = [$"a\"$(touch {marker})\".c", $"b%(touch {marker}).c", $"c'$(touch {marker})'.h", "d %{buildroot} e.c"];
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(tree, name), "/* hostile name */\n");
        }

        File.CreateSymbolicLink(Path.Combine(tree, "link.h"), $"%(touch {marker})'\"$(touch {marker})");

        // A BUILT_MODULE_NAME reaches the default description; a dkms.conf line DKMSPACK_EOF once ended a here-document.
        string conf = File.ReadAllText(Path.Combine(tree, "dkms.conf"));
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), conf.Replace("PACKAGE_VERSION=\"0.1\"", "PACKAGE_VERSION=\"#VERSION#\"", StringComparison.Ordinal) + "\n# %(touch " + marker + ")\n: <<'DKMSPACK_EOF'\nDKMSPACK_EOF\n");

        string spec = RenderSpec(tree, ["--version", "0.1"]);
        string built = ExpandAndBuild(spec, tree);

        Assert.Empty(Directory.GetFiles(_temp.Path, marker, SearchOption.AllDirectories));
        string files = RealTool.RunChecked("rpm", "-qlp", built);
        foreach (string name in names)
        {
            Assert.Contains("/usr/src/apple-gmux-0.1/" + name, files, StringComparison.Ordinal);
        }

        Assert.Contains($"%(touch {marker})'\"$(touch {marker})", RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILELINKTOS}\n]", built), StringComparison.Ordinal);
        string packagedConf = Extract(built, "./usr/src/apple-gmux-0.1/dkms.conf");
        Assert.Contains("PACKAGE_VERSION=\"0.1\"", packagedConf, StringComparison.Ordinal);
        Assert.EndsWith("DKMSPACK_EOF\n", packagedConf, StringComparison.Ordinal);
    }

    /// <summary>A project file's changelog, extra file names and hook fragments reach the spec inert too (a % in a destination is refused: see ProjectFileErrorTests).</summary>
    [Fact]
    public void ProjectFileValues_NeverRun_AndTheSpecBuildsTheSamePackage()
    {
        const string marker = "pwned-project";
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        File.WriteAllText(Path.Combine(tree, "hostile.conf"), "# %(touch " + marker + ")\n");
        File.WriteAllText(Path.Combine(tree, "hook.sh"), $"echo '%(touch {marker})' \"%{{lua: os.execute('touch {marker}')}}\"\n%files\n");
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), $$"""
            [[changelog]]
            version = "0.1-1"
            date = 2026-01-01
            author = "Evil %(touch {{marker}}) <e@example.org>"
            changes = ["%(touch {{marker}}) and %{lua: os.execute('touch {{marker}}')}", "%post"]

            [[files]]
            source = "hostile.conf"
            destination = "/etc/dkmspack-test $(touch {{marker}}) 'x'.conf"

            [hooks]
            post-install = "hook.sh"
            post-remove = "hook.sh"
            """);

        string spec = RenderSpec(tree, []);
        string built = ExpandAndBuild(spec, tree);
        string ours = Directory.GetFiles(Path.GetDirectoryName(spec)!, "*.rpm").Single();

        Assert.Empty(Directory.GetFiles(_temp.Path, marker, SearchOption.AllDirectories));
        foreach (string query in (string[])["[%{FILEFLAGS} %{FILENAMES}\n]", "[%{CHANGELOGNAME}\n%{CHANGELOGTEXT}\n]"])
        {
            Assert.Equal(RealTool.RunChecked("rpm", "-qp", "--qf", query, ours), RealTool.RunChecked("rpm", "-qp", "--qf", query, built));
        }

        // The fragment's line "%files" opens no section: the spec gives it a leading space, which the shell ignores.
        string scripts = RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTIN}\n%{POSTUN}", ours);
        Assert.Contains("\n%files", scripts, StringComparison.Ordinal);
        Assert.Equal(scripts.Replace("\n%files", "\n %files", StringComparison.Ordinal), RealTool.RunChecked("rpm", "-qp", "--qf", "%{POSTIN}\n%{POSTUN}", built));

        Assert.Contains($"/etc/dkmspack-test $(touch {marker}) 'x'.conf", RealTool.RunChecked("rpm", "-qcp", built), StringComparison.Ordinal);
    }

    private string RenderSpec(string tree, string[] options)
    {
        string output = _temp.Combine("out-" + Guid.NewGuid().ToString("N"));
        string[] maintainer = options.Contains("--maintainer") ? [] : ["--maintainer", "T <t@example.org>"];
        var result = DkmsPackProcess.Run(["mkrpm", tree, "-o", output, "--spec", .. maintainer, .. options], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, result.StdErr);
        return Directory.GetFiles(output, "*.spec").Single();
    }

    /// <summary>rpmspec -P (every macro expanded), then rpmbuild -bb; returns the package rpmbuild made.</summary>
    private string ExpandAndBuild(string spec, string tree)
    {
        // Both run in a directory of the test's own, where a command given by a relative name would leave its mark.
        string top = _temp.Combine("rpmbuild-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(top);
        var expanded = RealTool.Run(new RealToolOptions(WorkingDirectory: top), "rpmspec", "-P", "--define", "dkms_source " + tree, spec);
        Assert.True(expanded.ExitCode == 0, expanded.StdErr);
        var build = RealTool.Run(new RealToolOptions(WorkingDirectory: top), "rpmbuild", "-bb", "--define", "_topdir " + top, "--define", "dkms_source " + tree, spec);
        Assert.True(build.ExitCode == 0, build.StdErr);
        return Directory.GetFiles(Path.Combine(top, "RPMS", "noarch"), "*.rpm").Single();
    }

    private string Extract(string rpm, string member)
    {
        string cpio = _temp.Combine("payload-" + Guid.NewGuid().ToString("N") + ".cpio");
        RealTool.RunChecked(new RealToolOptions(StdOutFile: cpio), "rpm2cpio", rpm);
        string directory = _temp.Combine("extract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: directory, StdInFile: cpio), "cpio", "-idm", "--quiet", member);
        return File.ReadAllText(Path.Combine(directory, member));
    }
}
