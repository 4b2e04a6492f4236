using System.Text;
using System.Text.Json;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>
/// examples/ci/github-actions-release.yml, read with a real YAML parser (PyYAML's BaseLoader, which keeps
/// every scalar a string, so "on" stays "on" as GitHub reads it), and its build step run here for real.
/// </summary>
public sealed class ExampleWorkflowTests : IDisposable
{
    private const string BuildStepName = "Build packages";

    /// <summary>Values for the <c>${{ vars.NAME }}</c> repository variables the workflow reads.</summary>
    private static readonly Dictionary<string, string> s_repositoryVariables = new(StringComparer.Ordinal)
    {
        ["DEBFULLNAME"] = "Release Bot",
        ["DEBEMAIL"] = "release@example.org",
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string WorkflowPath => Path.Combine(Repo.Root, "examples", "ci", "github-actions-release.yml");

    [Fact]
    public void Workflow_RunsOnPushOfVersionTags()
    {
        using JsonDocument workflow = ParseWorkflow();

        JsonElement tags = workflow.RootElement.GetProperty("on").GetProperty("push").GetProperty("tags");
        Assert.Contains("v*", tags.EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("write", workflow.RootElement.GetProperty("permissions").GetProperty("contents").GetString());
    }

    [Fact]
    public void Workflow_UsesOnlyWellKnownActions_AndDotnet10()
    {
        using JsonDocument workflow = ParseWorkflow();
        string[] known = ["actions/checkout@v4", "actions/setup-dotnet@v4", "actions/upload-artifact@v4", "softprops/action-gh-release@v2"];

        JsonElement[] steps = [.. Steps(workflow)];
        string[] uses = [.. steps.Where(s => s.TryGetProperty("uses", out _)).Select(s => s.GetProperty("uses").GetString()!)];
        Assert.All(uses, u => Assert.Contains(u, known));
        Assert.Contains("actions/checkout@v4", uses);
        JsonElement setupDotnet = steps.Single(s => s.TryGetProperty("uses", out JsonElement u) && u.GetString() == "actions/setup-dotnet@v4");
        Assert.StartsWith("10.", setupDotnet.GetProperty("with").GetProperty("dotnet-version").GetString(), StringComparison.Ordinal);
        Assert.Contains(steps, s => s.TryGetProperty("run", out JsonElement run) && run.GetString()!.Contains("dotnet tool install dkmspack", StringComparison.Ordinal));
    }

    [Fact]
    public void Workflow_BuildStep_CallsDkmspackBuildWithTheTagVersion_OutsideTheSourceTree_WithSourceDateEpoch()
    {
        using JsonDocument workflow = ParseWorkflow();

        string script = BuildStepScript(workflow);
        string[] lines = script.Split('\n');
        int buildLine = Array.FindIndex(lines, l => l.TrimStart().StartsWith("dkmspack build ", StringComparison.Ordinal));
        Assert.True(buildLine >= 0, "no `dkmspack build` line in:\n" + script);
        List<string> words = ShellWords(lines[buildLine]);

        string source = words[2];
        string version = Assert.Single(words.SkipWhile(w => w != "--version").Skip(1).Take(1));
        string output = Assert.Single(words.SkipWhile(w => w != "-o").Skip(1).Take(1));
        Assert.Equal("${GITHUB_REF_NAME#v}", version);
        Assert.Contains("--json", words);
        Assert.Equal(">", words[^2]);

        // The packages and the manifest must not land inside the tree that is packaged.
        string sourceFull = Path.GetFullPath(source, "/workspace") + "/";
        Assert.False(Path.GetFullPath(output, "/workspace").StartsWith(sourceFull, StringComparison.Ordinal), $"-o {output} is inside the packaged tree {source}");
        Assert.False(Path.GetFullPath(words[^1], "/workspace").StartsWith(sourceFull, StringComparison.Ordinal), $"the manifest {words[^1]} is inside the packaged tree {source}");

        // SOURCE_DATE_EPOCH is the last commit's time, exported before the build.
        int epochLine = Array.FindIndex(lines, l => l.Contains("SOURCE_DATE_EPOCH=", StringComparison.Ordinal));
        Assert.InRange(epochLine, 0, buildLine - 1);
        Assert.Contains("log -1 --format=%ct", lines[epochLine], StringComparison.Ordinal);
        Assert.StartsWith("export ", lines[epochLine].TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public void Workflow_BuildStep_RunHereOnTwoCheckoutsOfATag_PublishesTheSameVerifiedPackages()
    {
        RealTool.Require("git");
        using JsonDocument workflow = ParseWorkflow();
        string script = BuildStepScript(workflow);
        // The repository's signing secret: a key of the test's own, made before the tagged commit.
        using var gpg = new Signing.GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DKMSPACK_SIGNING_KEY"] = System.Text.Encoding.ASCII.GetString(gpg.ExportSecret(fingerprint)),
            ["DKMSPACK_SIGNING_PASSPHRASE"] = string.Empty,
        };
        Dictionary<string, string> environment = BuildStepEnvironment(workflow, secrets);
        string repository = ModuleRepository();

        string distA = RunBuildStep(script, environment, "workspace-a", repository, "v0.2.0");
        string distB = RunBuildStep(script, environment, "workspace-b", repository, "v0.2.0");

        // Same tag, two checkouts at different times and places: the same bytes, signatures included.
        Assert.Equal(File.ReadAllText(Path.Combine(distA, "SHA256SUMS")), File.ReadAllText(Path.Combine(distB, "SHA256SUMS")));
        Assert.Equal(File.ReadAllText(Path.Combine(distA, "SHA256SUMS.asc")), File.ReadAllText(Path.Combine(distB, "SHA256SUMS.asc")));
        gpg.AssertGpgvAccepts(gpg.ExportPublic(fingerprint), Path.Combine(distA, "SHA256SUMS.asc"), Path.Combine(distA, "SHA256SUMS"));

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(distA, "manifest.json")));
        JsonElement[] packages = [.. manifest.RootElement.GetProperty("packages").EnumerateArray()];
        Assert.Contains(packages, p => p.GetProperty("format").GetString() == "deb");
        foreach (JsonElement package in packages)
        {
            string file = Path.Combine(distA, package.GetProperty("file").GetString()!);
            Assert.Equal(FileHash.Sha256(file), package.GetProperty("sha256").GetString());
            Assert.StartsWith("0.2.0-", package.GetProperty("version").GetString(), StringComparison.Ordinal);
            Assert.Equal(fingerprint, package.GetProperty("signedBy").GetString());
        }

        string deb = Assert.Single(Directory.GetFiles(distA, "*.deb"));
        Assert.Equal("0.2.0-1", DebContents.Field(deb, "Version"));
        Assert.Equal($"{s_repositoryVariables["DEBFULLNAME"]} <{s_repositoryVariables["DEBEMAIL"]}>", DebContents.Field(deb, "Maintainer"));
        string[] contents = [.. DebContents.Mtimes(deb, _temp.Path).Keys];
        Assert.Contains("./usr/src/apple-gmux-0.2.0/dkms.conf", contents);
        Assert.DoesNotContain(contents, c => c.Contains("/.github", StringComparison.Ordinal) || c.Contains("/dist", StringComparison.Ordinal) || c.Contains("manifest.json", StringComparison.Ordinal));
    }

    /// <summary>A git repository holding the example module and this workflow, with one commit at a fixed time.</summary>
    private string ModuleRepository()
    {
        string repository = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "upstream");
        Directory.CreateDirectory(Path.Combine(repository, ".github", "workflows"));
        File.Copy(WorkflowPath, Path.Combine(repository, ".github", "workflows", "release.yml"));
        Git(repository, "init", "-q");
        Git(repository, "add", ".");
        Git(repository, "-c", "user.name=Upstream", "-c", "user.email=upstream@example.org", "commit", "-q", "-m", "Release 0.2.0", "--date", "2026-06-01T12:00:00Z");
        return repository;
    }

    /// <summary>Does what actions/checkout does (a clone into module/), then runs the step as GitHub does: bash -e -o pipefail.</summary>
    private string RunBuildStep(string script, Dictionary<string, string> environment, string workspaceName, string repository, string tag)
    {
        string workspace = _temp.Combine(workspaceName);
        Directory.CreateDirectory(workspace);
        Git(workspace, "clone", "-q", repository, "module");

        // dkmspack on PATH, as the install step leaves it: here the dkmspack.dll these tests built.
        string bin = _temp.Combine(workspaceName + "-bin");
        Directory.CreateDirectory(bin);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        File.WriteAllText(Path.Combine(bin, "dkmspack"), $"#!/bin/sh\nexec {ShellQuote(dotnet)} {ShellQuote(Repo.CliAssembly)} \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "dkmspack"), (UnixFileMode)0b111_101_101);

        var driver = new StringBuilder();
        driver.Append("unset SOURCE_DATE_EPOCH DEBFULLNAME DEBEMAIL NAME EMAIL\n");
        driver.Append("export PATH=").Append(ShellQuote(bin)).Append(":\"$PATH\"\n");
        driver.Append("export GITHUB_REF_NAME=").Append(ShellQuote(tag)).Append('\n');
        driver.Append("export GITHUB_WORKSPACE=").Append(ShellQuote(workspace)).Append('\n');
        foreach ((string name, string value) in environment)
        {
            driver.Append("export ").Append(name).Append('=').Append(ShellQuote(value)).Append('\n');
        }

        driver.Append("cd \"$GITHUB_WORKSPACE\"\n").Append(script);
        string driverPath = _temp.Combine(workspaceName + ".sh");
        File.WriteAllText(driverPath, driver.ToString());
        RealTool.RunChecked("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", driverPath);
        return Path.Combine(workspace, "dist");
    }

    private static void Git(string directory, params string[] args) =>
        RealTool.RunChecked("git", ["-C", directory, .. args]);

    private static JsonDocument ParseWorkflow()
    {
        Assert.True(File.Exists(WorkflowPath), WorkflowPath + " is missing");
        const string toJson = "import json, sys, yaml\nprint(json.dumps(yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.BaseLoader)))";
        // Debian's python3 (which python3-yaml serves) before any other on PATH.
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        (int exitCode, string stdOut, string stdErr) = RealTool.Run(python, "-c", toJson, WorkflowPath);
        if (exitCode != 0 && stdErr.Contains("No module named 'yaml'", StringComparison.Ordinal))
        {
            if (Environment.GetEnvironmentVariable(RealTool.RequireToolsVariable) == "1")
            {
                Assert.Fail($"PyYAML is required ({RealTool.RequireToolsVariable}=1) but is not installed (apt-get install python3-yaml).");
            }

            Assert.Skip("PyYAML is not installed (apt-get install python3-yaml)");
        }

        Assert.True(exitCode == 0, $"{WorkflowPath} is not valid YAML:\n{stdErr}");
        return JsonDocument.Parse(stdOut);
    }

    private static IEnumerable<JsonElement> Steps(JsonDocument workflow) =>
        workflow.RootElement.GetProperty("jobs").EnumerateObject().SelectMany(job => job.Value.GetProperty("steps").EnumerateArray());

    private static JsonElement BuildStep(JsonDocument workflow) =>
        Assert.Single(Steps(workflow), s => s.TryGetProperty("name", out JsonElement name) && name.GetString() == BuildStepName);

    private static string BuildStepScript(JsonDocument workflow) => BuildStep(workflow).GetProperty("run").GetString()!;

    /// <summary>The build step's env, with each <c>${{ vars.NAME }}</c> replaced by a test value.</summary>
    private static Dictionary<string, string> BuildStepEnvironment(JsonDocument workflow, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!BuildStep(workflow).TryGetProperty("env", out JsonElement env))
        {
            return environment;
        }

        foreach (JsonProperty variable in env.EnumerateObject())
        {
            string value = variable.Value.GetString()!;
            const string prefix = "${{ vars.";
            if (value.StartsWith(prefix, StringComparison.Ordinal) && value.EndsWith(" }}", StringComparison.Ordinal))
            {
                string name = value[prefix.Length..^3];
                Assert.True(s_repositoryVariables.TryGetValue(name, out string? known), $"the test has no value for vars.{name}");
                value = known;
            }

            const string secret = "${{ secrets.";
            if (value.StartsWith(secret, StringComparison.Ordinal) && value.EndsWith(" }}", StringComparison.Ordinal))
            {
                string name = value[secret.Length..^3];
                value = secrets?.GetValueOrDefault(name) ?? string.Empty;
            }

            Assert.DoesNotContain("${{", value, StringComparison.Ordinal);
            environment[variable.Name] = value;
        }

        return environment;
    }

    /// <summary>Splits one shell command line into words, honouring single and double quotes (no expansion).</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Assert.True(quote == '\0', "unbalanced quote in: " + line);
        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
