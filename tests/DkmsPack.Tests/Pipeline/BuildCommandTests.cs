using System.Text.Json;
using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>
/// <c>dkmspack build</c> as a release pipeline uses it: the JSON manifest on stdout, the packages and
/// SHA256SUMS on disk, and each telling the truth about the others. Written for any set of formats, so it
/// holds whether <c>build</c> without --formats writes a deb only or a deb and an rpm.
/// </summary>
public sealed class BuildCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("apple-gmux-0.1")]
    [InlineData("hello-pair")]
    public void BuildDebJson_StdoutIsOnlyTheManifest_AndItDescribesTheFilesOnDisk(string example)
    {
        string output = _temp.Combine("dist");

        // No --maintainer: the warning that follows must go to stderr, not into the JSON.
        DkmsPackProcess.Result result = Build(["build", Repo.Example(example), "-o", output, "--formats", "deb", "--json"]);

        IReadOnlyList<ManifestEntry> packages = ParseManifest(result.StdOut);
        ManifestEntry deb = Assert.Single(packages);
        Assert.Equal("deb", deb.Format);
        AssertDescribesFileOnDisk(deb, output);
        AssertDebianFieldsMatch(deb);
        AssertChecksumsFileListsExactly(packages, output);
        Assert.Equal(new[] { deb.File, "SHA256SUMS" }.Order(StringComparer.Ordinal), Directory.GetFiles(output).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));

        // The human lines went to stderr: the warning, the package and SHA256SUMS.
        Assert.Contains("warning: no --maintainer given", result.StdErr, StringComparison.Ordinal);
        string[] stderrLines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(stderrLines, l => Path.GetFileName(l) == deb.File);
        Assert.Contains(stderrLines, l => Path.GetFileName(l) == "SHA256SUMS");
    }

    [Fact]
    public void BuildJson_WithoutFormats_EveryListedPackageExistsAndMatches_AndADebIsAmongThem()
    {
        string output = _temp.Combine("dist");

        DkmsPackProcess.Result result = Build(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--json", "--maintainer", "Pipeline Test <pipeline@example.org>"]);

        IReadOnlyList<ManifestEntry> packages = ParseManifest(result.StdOut);
        Assert.Contains(packages, p => p.Format == "deb");
        Assert.Equal(packages.Count, packages.Select(p => p.Format).Distinct(StringComparer.Ordinal).Count());
        foreach (ManifestEntry package in packages)
        {
            AssertDescribesFileOnDisk(package, output);
            switch (package.Format)
            {
                case "deb":
                    AssertDebianFieldsMatch(package);
                    break;
                case "rpm":
                    // rpm(8) is the oracle for what an RPM calls itself.
                    Assert.Equal($"{package.Name} {package.Version}", RealTool.RunChecked("rpm", "-qp", "--nosignature", "--nodigest", "--queryformat", "%{NAME} %{VERSION}-%{RELEASE}", package.Path));
                    break;
                case "arch":
                    // and pacman(8) for an Arch package.
                    Assert.Equal($"{package.Name} {package.Version}", RealTool.RunChecked("pacman", "-Qp", package.Path).Trim());
                    break;
            }
        }

        AssertChecksumsFileListsExactly(packages, output);
        Assert.Equal(
            packages.Select(p => p.File).Append("SHA256SUMS").Order(StringComparer.Ordinal),
            Directory.GetFiles(output).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("warning", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildJson_ToolVersion_IsTheVersionDkmspackReports()
    {
        DkmsPackProcess.Result version = DkmsPackProcess.Run(["--version"]);
        Assert.Equal(0, version.ExitCode);

        DkmsPackProcess.Result result = Build(["build", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("dist"), "--formats", "deb", "--json", "--quiet"]);

        using JsonDocument manifest = JsonDocument.Parse(result.StdOut);
        Assert.Equal("dkmspack", manifest.RootElement.GetProperty("tool").GetString());
        // --version prints the informational version (0.1.0+commit); the manifest has it without the build metadata.
        Assert.Equal(version.StdOut.Trim().Split('+')[0], manifest.RootElement.GetProperty("toolVersion").GetString());
    }

    [Fact]
    public void BuildWithoutJson_PrintsThePackagesAndSha256SumsOnStdout_RelativeToTheWorkingDirectory()
    {
        string output = _temp.Combine("dist");

        DkmsPackProcess.Result result = Build(["build", Repo.Example("hello-pair"), "-o", "dist", "--formats", "deb", "--maintainer", "Pipeline Test <pipeline@example.org>"]);

        string deb = Assert.Single(Directory.GetFiles(output, "*.deb"));
        Assert.Equal([Path.Combine("dist", Path.GetFileName(deb)), Path.Combine("dist", "SHA256SUMS")], result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // hello-pair keeps a CLEAN directive on purpose, so the only stderr line is DKMS's deprecation of it.
        string warning = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("dkms.conf:8: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("deb,tar.gz")]
    public void UnknownFormat_ExitsOne_WithOneLineNamingItAndTheChoices_AndWritesNothing(string formats)
    {
        string output = _temp.Combine("dist");
        string unknown = formats.Split(',')[^1];

        DkmsPackProcess.Result result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--formats", formats, "--json"], Epoch(), workingDirectory: _temp.Path);

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        Assert.Equal(1, ExitCode.InvalidOptions);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dkmspack: error: ", line, StringComparison.Ordinal);
        Assert.Contains($"\"{unknown}\"", line, StringComparison.Ordinal);
        Assert.Contains("deb", line[line.IndexOf(unknown, StringComparison.Ordinal)..], StringComparison.Ordinal);

        // With --json, stdout is still a manifest: no packages, and the same finding as data.
        using var manifest = System.Text.Json.JsonDocument.Parse(result.StdOut);
        Assert.Equal(0, manifest.RootElement.GetProperty("packages").GetArrayLength());
        System.Text.Json.JsonElement diagnostic = Assert.Single(manifest.RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("error", diagnostic.GetProperty("severity").GetString());
        Assert.Equal("option", diagnostic.GetProperty("code").GetString());
        Assert.Contains($"\"{unknown}\"", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("deb", diagnostic.GetProperty("remedy").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "files were written to " + output);
    }

    private DkmsPackProcess.Result Build(string[] args)
    {
        DkmsPackProcess.Result result = DkmsPackProcess.Run(args, Epoch(), workingDirectory: _temp.Path);
        Assert.True(result.ExitCode == 0, $"dkmspack {string.Join(' ', args)} exited {result.ExitCode}\nstderr:\n{result.StdErr}\nstdout:\n{result.StdOut}");
        return result;
    }

    private static Dictionary<string, string?> Epoch() => new() { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch };

    /// <summary>Parses all of stdout as one JSON document (any other text on stdout makes this fail).</summary>
    private static List<ManifestEntry> ParseManifest(string stdout)
    {
        Assert.StartsWith("{", stdout, StringComparison.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"stdout is not one JSON document ({ex.Message}):\n{stdout}");
            throw;
        }

        using (document)
        {
            Assert.Equal("dkmspack", document.RootElement.GetProperty("tool").GetString());
            var entries = new List<ManifestEntry>();
            foreach (JsonElement package in document.RootElement.GetProperty("packages").EnumerateArray())
            {
                entries.Add(new ManifestEntry(
                    package.GetProperty("path").GetString()!,
                    package.GetProperty("file").GetString()!,
                    package.GetProperty("format").GetString()!,
                    package.GetProperty("name").GetString()!,
                    package.GetProperty("version").GetString()!,
                    package.GetProperty("size").GetInt64(),
                    package.GetProperty("sha256").GetString()!));
            }

            Assert.NotEmpty(entries);
            return entries;
        }
    }

    /// <summary>path, file, size and sha256 are those of the file on disk; name and version are in its file name.</summary>
    private static void AssertDescribesFileOnDisk(ManifestEntry entry, string output)
    {
        Assert.True(Path.IsPathFullyQualified(entry.Path), entry.Path);
        Assert.Equal(Path.GetFullPath(output), Path.GetDirectoryName(entry.Path));
        Assert.Equal(Path.GetFileName(entry.Path), entry.File);
        Assert.True(File.Exists(entry.Path), entry.Path + " does not exist");
        Assert.Equal(new FileInfo(entry.Path).Length, entry.Size);
        Assert.Equal(FileHash.Sha256(entry.Path), entry.Sha256);
        Assert.StartsWith(entry.Name, entry.File, StringComparison.Ordinal);
        Assert.Contains(entry.Version, entry.File, StringComparison.Ordinal);
        Assert.EndsWith(entry.Format == "arch" ? ".pkg.tar.zst" : "." + entry.Format, entry.File, StringComparison.Ordinal);
    }

    /// <summary>dpkg-deb is the oracle for what a .deb calls itself.</summary>
    private static void AssertDebianFieldsMatch(ManifestEntry deb)
    {
        Assert.Equal(deb.Name, DebContents.Field(deb.Path, "Package"));
        Assert.Equal(deb.Version, DebContents.Field(deb.Path, "Version"));
        Assert.Equal($"{deb.Name}_{deb.Version}_all.deb", deb.File);
    }

    /// <summary>SHA256SUMS names exactly the manifest's files with its checksums, and sha256sum -c agrees with the disk.</summary>
    private static void AssertChecksumsFileListsExactly(IReadOnlyList<ManifestEntry> packages, string output)
    {
        string sums = Path.Combine(output, "SHA256SUMS");
        Assert.True(File.Exists(sums), "no SHA256SUMS in " + output);
        string[] lines = File.ReadAllText(sums).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            packages.Select(p => $"{p.Sha256}  {p.File}").Order(StringComparer.Ordinal),
            lines.Order(StringComparer.Ordinal));

        string verified = RealTool.RunChecked(new RealToolOptions(WorkingDirectory: output), "sha256sum", "-c", "SHA256SUMS");
        foreach (ManifestEntry package in packages)
        {
            Assert.Contains($"{package.File}: OK", verified, StringComparison.Ordinal);
        }
    }

    private sealed record ManifestEntry(string Path, string File, string Format, string Name, string Version, long Size, string Sha256);
}
