using System.Text.Json;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>
/// <c>dkmspack check</c>: each finding, a clean tree, writing nothing, and the tags it predicts checked against what
/// rpmlint and lintian really say of the packages built from the same tree.
/// </summary>
public sealed partial class CheckCommandTests : IDisposable
{
    private const string Maintainer = "T <t@example.org>";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CleanExample_ExitsZero_WithNotesOnly()
    {
        var result = DkmsPackProcess.Run(["check", Repo.Example("apple-gmux-0.1")]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        string[] lines = Lines(result.StdOut);
        Assert.All(lines, line => Assert.Contains(": note: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("Debian 11 (bullseye), dkms 2.8.4-3: builds it", StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenDkmsConf_ExitsTwo_AndStillLooksAtTheFiles()
    {
        string tree = Tree();
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), "PACKAGE_NAME=\"apple-gmux\"\n");
        File.WriteAllText(Path.Combine(tree, "run.sh"), "#!/bin/sh\necho\n");

        var result = DkmsPackProcess.Run(["check", tree]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains($"{tree}/dkms.conf: error: PACKAGE_VERSION is not set", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{tree}/run.sh:1: warning: starts with #! but is not executable", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void DkmsConfFindings_NameTheLine()
    {
        string tree = Tree();
        File.AppendAllText(Path.Combine(tree, "dkms.conf"), "PRE_BUILD=\"scripts/prepare.sh\"\nMAKE[0]=\"./build.sh @JOBS@\"\n");

        var result = DkmsPackProcess.Run(["check", tree]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("dkms.conf:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning: PRE_BUILD script \"scripts/prepare.sh\" is not in the module tree", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning: MAKE[0] runs \"./build.sh\", which is not in the module tree", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("warning: MAKE contains @JOBS@, a placeholder nothing fills in", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void NewerDkmsDirectives_TellTheMinimumAndWhichReleasesCannotInstallIt()
    {
        string tree = Tree();
        File.AppendAllText(Path.Combine(tree, "dkms.conf"), "BUILD_EXCLUSIVE_KERNEL_MIN=\"6.1\"\n");

        var result = DkmsPackProcess.Run(["check", tree]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("note: needs DKMS 3.0.11 or later upstream (Debian: 3.0.11) for BUILD_EXCLUSIVE_KERNEL_MIN / _MAX", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Debian 12 (bookworm), dkms 3.0.10-8+deb12u1: does not: the package needs a newer dkms for BUILD_EXCLUSIVE_KERNEL_MIN / _MAX", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Ubuntu 24.04 (noble), dkms 3.0.11-1ubuntu13: builds it", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptAndBinaryFindings_PredictWhatRpmlintAndLintianSay()
    {
        string rpmlint = RealTool.Require("rpmlint");
        string lintian = RealTool.Require("lintian");
        string tree = Tree();
        WriteScript(tree, "env.sh", "#!/usr/bin/env bash\necho\n", executable: true);
        WriteScript(tree, "crlf.sh", "#!/bin/sh\r\necho\r\n", executable: true);
        WriteScript(tree, "noexec.sh", "#!/bin/sh\necho\n", executable: false);
        File.Copy("/bin/true", Path.Combine(tree, "blob.bin"));
        List<string> before = Listing(tree);

        var check = DkmsPackProcess.Run(["check", tree]);

        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Equal(before, Listing(tree));
        string output = _temp.Combine("dist");
        var build = DkmsPackProcess.Run(["build", tree, "-o", output, "--maintainer", Maintainer]);
        Assert.True(build.ExitCode == 0, build.StdErr);
        string rpmlintSays = RealTool.Run(rpmlint, Directory.GetFiles(output, "*.rpm").Single()).StdOut;
        string lintianSays = RealTool.Run(lintian, "--no-cfg", Directory.GetFiles(output, "*.deb").Single()).StdOut;
        var predicted = Lines(check.StdOut).Select(line => PredictedTag().Match(line)).Where(match => match.Success).ToList();
        Assert.Equal(4, predicted.Count);
        foreach (Match match in predicted)
        {
            string file = Path.GetFileName(match.Groups["file"].Value);
            string says = match.Groups["tool"].Value == "rpmlint" ? rpmlintSays : lintianSays;
            Assert.True(
                says.Split('\n').Any(line => line.Contains(match.Groups["tag"].Value, StringComparison.Ordinal) && line.Contains(file, StringComparison.Ordinal)),
                $"check predicts {match.Groups["tool"].Value} {match.Groups["tag"].Value} for {file}, which says:\n{says}");
        }
    }

    [Fact]
    public void ProjectFileFindings_AreErrorsOfTheCheck()
    {
        string tree = Tree();
        File.WriteAllText(Path.Combine(tree, "dkmspack.toml"), "colour = \"blue\"\n");

        var result = DkmsPackProcess.Run(["check", tree]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("dkmspack.toml:1: error: unknown key \"colour\"", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_CarriesTheFindingsAndTheVerdict()
    {
        string tree = Tree();
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), string.Empty);

        var result = DkmsPackProcess.Run(["check", tree, "--json"]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.StdOut);
        Assert.False(json.RootElement.GetProperty("clean").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("severity").GetString() == "error" && d.GetProperty("message").GetString() == "PACKAGE_NAME is not set");
    }

    private string Tree() => _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");

    private static void WriteScript(string tree, string name, string text, bool executable)
    {
        string path = Path.Combine(tree, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
    }

    private static List<string> Listing(string tree) =>
        [.. Directory.EnumerateFileSystemEntries(tree, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^(?<file>[^:]+)(:\d+)?: warning: .*\((?<tool>rpmlint|lintian): (?<tag>[a-z0-9-]+)")]
    private static partial Regex PredictedTag();
}
