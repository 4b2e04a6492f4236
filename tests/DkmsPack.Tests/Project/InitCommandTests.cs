using DkmsPack.Diagnostics;
using DkmsPack.Project;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>dkmspack init: a commented dkmspack.toml from what dkms.conf and the sources tell, never over an existing one.</summary>
public sealed class InitCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Init_WritesACommentedFile_ThatReadsAsAnEmptyProject()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "gmux");

        var result = DkmsPackProcess.Run(["init", tree]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        string path = Path.Combine(tree, "dkmspack.toml");
        Assert.Equal(path, Path.GetFullPath(result.StdOut.Trim()));
        string text = File.ReadAllText(path);
        Assert.Contains("# version = \"0.1\"", text, StringComparison.Ordinal);
        Assert.Contains("# license = \"GPL-2.0-only\"", text, StringComparison.Ordinal);
        Assert.Contains("# copyright = \"2026 dkmspack contributors\"", text, StringComparison.Ordinal);
        Assert.Contains("apple-gmux-dkms", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n').Where(l => l.Length > 0), l => Assert.StartsWith("#", l, StringComparison.Ordinal));
        Assert.Empty(ProjectFileReader.Read(path, path).Errors);

        // The package it gives is the one without a project file (the file itself is not shipped).
        var build = DkmsPackProcess.Run(["mkdeb", tree, "-o", _temp.Combine("out"), "--maintainer", "T <t@example.org>"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(build.ExitCode == 0, build.StdErr);
    }

    [Fact]
    public void Init_EveryExampleUncommented_IsValid_SaveForTheFilesItNames()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "gmux");
        string path = Path.Combine(tree, "dkmspack.toml");
        Assert.Equal(0, DkmsPackProcess.Run(["init", tree]).ExitCode);

        // Uncomment every "# key = value" and "# [table]" line (not the prose), as a user trying them all would;
        // but one of the two changelog forms (TOML has one value per key).
        string[] lines = [.. File.ReadAllLines(path).Where(l => !l.StartsWith("# changelog = ", StringComparison.Ordinal))];
        string uncommented = string.Join('\n', lines.Select(l => l.StartsWith("# [", StringComparison.Ordinal) || (l.StartsWith("# ", StringComparison.Ordinal) && l.Contains(" = ", StringComparison.Ordinal) && char.IsLower(l[2])) ? l[2..] : l));
        File.WriteAllText(path, uncommented + "\n");
        ProjectFile project = ProjectFileReader.Read(path, path);
        Assert.Empty(project.Errors);
        Assert.NotEmpty(project.Files);
        Assert.NotEmpty(project.ChangelogEntries);
        Assert.Equal(7, project.Relationships.Common.Count);
        Assert.Equal(4, project.Hooks.Count);

        // Resolved against the tree, what remains wrong is only that the example files are not there.
        DkmsPackException error = Assert.ThrowsAny<DkmsPackException>(() => ProjectResolver.Resolve(project, tree, "usr/src/apple-gmux-0.1", null, 0));
        Assert.All(error.Diagnostics, d => Assert.Matches("does not exist in the module tree|matches no file", d.Message));
    }

    [Fact]
    public void Init_RefusesToOverwrite_WithOneLine_AndExit3()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "gmux");
        string path = Path.Combine(tree, "dkmspack.toml");
        File.WriteAllText(path, "revision = \"5\"\n");

        var result = DkmsPackProcess.Run(["init", tree]);

        Assert.Equal(ExitCode.OutputFailed, result.ExitCode);
        Assert.Equal($"{path}: error: already exists; dkmspack init does not overwrite it; edit it, or remove it to start again", result.StdErr.Trim());
        Assert.Equal("revision = \"5\"\n", File.ReadAllText(path));
    }

    [Fact]
    public void Init_OnAPlaceholderVersion_SaysSo()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "gmux");
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), File.ReadAllText(Path.Combine(tree, "dkms.conf")).Replace("\"0.1\"", "\"#MODULE_VERSION#\"", StringComparison.Ordinal));

        Assert.Equal(0, DkmsPackProcess.Run(["init", tree]).ExitCode);

        Assert.Contains("PACKAGE_VERSION is a placeholder or computed", File.ReadAllText(Path.Combine(tree, "dkmspack.toml")), StringComparison.Ordinal);
    }
}
