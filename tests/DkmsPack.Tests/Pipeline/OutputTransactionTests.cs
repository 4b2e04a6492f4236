using System.Diagnostics;
using System.Runtime.InteropServices;
using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Pipeline;

/// <summary>
/// All outputs of a run commit together or not at all: a failing format, a signal or a SIGKILL leaves nothing new
/// visible in the output directory, and the next build of the same tree packages exactly the tree.
/// </summary>
public sealed partial class OutputTransactionTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReleaseOnlyTheRpmRefuses_WritesNoDeb_AndSaysWhatTheRuleIs()
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--formats", "deb,rpm", "--revision", "~1"], Epoch());

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--release \"~1\" is not an RPM Release", line, StringComparison.Ordinal);
        Assert.Contains("must start with a letter or digit", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "files were written to " + output);
    }

    [Fact]
    public void SecondFormatsTemplateFails_LeavesNothingFromTheFirst()
    {
        string templates = _temp.Combine("templates");
        Directory.CreateDirectory(Path.Combine(templates, "rpm"));
        File.WriteAllText(Path.Combine(templates, "rpm", "post.sbn"), "{{ no_such_variable }}");
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--formats", "deb,rpm", "--templates", templates], Epoch());

        Assert.Equal(ExitCode.TemplateFailed, result.ExitCode);
        Assert.Contains(Path.Combine(templates, "rpm", "post.sbn") + ":1: error: ", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "left in the output: " + string.Join(", ", Directory.Exists(output) ? Directory.EnumerateFileSystemEntries(output) : []));
    }

    [Fact]
    public void AFormatAskedForTwice_IsWrittenAndListedOnce()
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--formats", "deb,deb", "--json"], Epoch());

        Assert.True(result.ExitCode == 0, result.StdErr);
        using var manifest = System.Text.Json.JsonDocument.Parse(result.StdOut);
        Assert.Equal(1, manifest.RootElement.GetProperty("packages").GetArrayLength());
        Assert.Single(File.ReadAllLines(Path.Combine(output, "SHA256SUMS")));
        Assert.Equal(["SHA256SUMS", "apple-gmux-dkms_0.1-1_all.deb"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var check = RealTool.Run(new RealToolOptions(WorkingDirectory: output), "sha256sum", "-c", "SHA256SUMS");
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
    }

    [Fact]
    public void MkrpmSpec_IsAnOutputOfTheTransaction_ListedOnStdout()
    {
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["mkrpm", Repo.Example("apple-gmux-0.1"), "-o", output, "--spec"], Epoch(), workingDirectory: _temp.Path);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(["dist/apple-gmux-dkms-0.1-1.noarch.rpm", "dist/apple-gmux-dkms.spec"], result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, Directory.GetFileSystemEntries(output).Length);
    }

    [Theory]
    [InlineData(SigInt, 0.0)]
    [InlineData(SigInt, 0.4)]
    [InlineData(SigTerm, 0.15)]
    [InlineData(SigTerm, 0.5)]
    [InlineData(SigKill, 0.1)]
    [InlineData(SigKill, 0.45)]
    public async Task Signal_DuringABuildIntoTheTree_LeavesNothingVisible_AndTheNextBuildPackagesExactlyTheTree(int signal, double fraction)
    {
        string tree = LargeTree();
        string[] args = ["build", tree, "-o", tree, "-Z", "gzip"];
        TimeSpan full = TimedBuildIntoScratchCopy(tree);

        using Process process = DkmsPackProcess.Start(args, Epoch());
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await WaitForScratch(tree, process);
        await Task.Delay(full * fraction, TestContext.Current.CancellationToken);
        Assert.False(process.HasExited, $"the build finished before the signal ({full.TotalSeconds:0.00} s in full)");
        Assert.Equal(0, Kill(process.Id, signal));
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
        }

        string errors = await stderr;
        _ = await stdout;

        Assert.Equal(128 + signal, process.ExitCode);
        string[] visible = [.. VisibleOutputs(tree)];
        Assert.True(visible.Length == 0, "visible after the signal: " + string.Join(", ", visible));
        if (signal != SigKill)
        {
            Assert.Contains($"interrupted by {(signal == SigInt ? "SIGINT" : "SIGTERM")}", errors, StringComparison.Ordinal);
            Assert.Empty(Directory.GetDirectories(tree, ".dkmspack-*"));
        }


        // The next build into the same directory: it packages the tree and nothing a killed run left there.
        var next = DkmsPackProcess.Run(args, Epoch());
        Assert.True(next.ExitCode == 0, next.StdErr);
        Assert.Empty(Directory.GetDirectories(tree, ".dkmspack-*"));
        string deb = Directory.GetFiles(tree, "*.deb").Single();
        Assert.Equal(TreeFiles(tree), PackagedSources(deb));
    }

    [Fact]
    public async Task TwoBuildsInTheSameTreeAtOnce_BothSucceed_AndNeitherPackagesTheOthersFiles()
    {
        string tree = LargeTree();
        string[] args = ["build", tree, "-o", tree, "-Z", "gzip"];

        using Process first = DkmsPackProcess.Start(args, Epoch());
        Task<string> firstErrors = first.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> firstOutput = first.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await WaitForScratch(tree, first);
        var second = DkmsPackProcess.Run(args, Epoch());
        await first.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.True(first.ExitCode == 0, await firstErrors);
        _ = await firstOutput;
        Assert.Empty(Directory.GetDirectories(tree, ".dkmspack-*"));
        Assert.Equal(TreeFiles(tree), PackagedSources(Directory.GetFiles(tree, "*.deb").Single()));
        var check = RealTool.Run(new RealToolOptions(WorkingDirectory: tree), "sha256sum", "-c", "SHA256SUMS");
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
    }

    [Theory]
    [InlineData(219, true)]
    [InlineData(228, true)] // NAME-dkms-0.1-1-any.pkg.tar.zst: 255 bytes, the longest of the three
    [InlineData(233, false)]
    [InlineData(245, false)]
    public void LongPackageNames_WorkUpToTheFileSystemsLimit_AndPastItAreRefusedBeforeWriting(int length, bool fits)
    {
        string name = "m" + new string('x', length - 1);
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        string conf = File.ReadAllText(Path.Combine(tree, "dkms.conf"));
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), conf.Replace("PACKAGE_NAME=\"apple-gmux\"", $"PACKAGE_NAME=\"{name}\"", StringComparison.Ordinal));
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(["build", tree, "-o", output, "--maintainer", "T <t@example.org>"], Epoch());

        if (fits)
        {
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Equal(0, RealTool.Run("dpkg-deb", "-I", Directory.GetFiles(output, "*.deb").Single()).ExitCode);
            Assert.Equal(0, RealTool.Run("rpm", "-qp", Directory.GetFiles(output, "*.rpm").Single()).ExitCode);
            Assert.Equal(0, RealTool.Run("bsdtar", "-tf", Directory.GetFiles(output, "*.pkg.tar.zst").Single()).ExitCode);
        }
        else
        {
            Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
            Assert.Contains("longer than the 255 bytes", Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
        }
    }

    /// <summary>The example plus 32 MiB of incompressible data, so that a build takes long enough to interrupt.</summary>
    private string LargeTree()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        var random = new Random(20261201);
        Directory.CreateDirectory(Path.Combine(tree, "blobs"));
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < 32; i++)
        {
            random.NextBytes(block);
            File.WriteAllBytes(Path.Combine(tree, "blobs", $"blob{i:00}.bin"), block);
        }

        return tree;
    }

    /// <summary>
    /// How long an uninterrupted build of the tree takes here, so the signals land at fractions of it (the part after
    /// the scratch directory appears is shorter than this, so fractions stay at or below one half).
    /// </summary>
    private TimeSpan TimedBuildIntoScratchCopy(string tree)
    {
        var clock = Stopwatch.StartNew();
        var result = DkmsPackProcess.Run(["build", tree, "-o", _temp.Combine("timing"), "-Z", "gzip"], Epoch());
        Assert.True(result.ExitCode == 0, result.StdErr);
        return clock.Elapsed;
    }

    private static async Task WaitForScratch(string directory, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.GetDirectories(directory, ".dkmspack-*").Length == 0)
        {
            Assert.False(process.HasExited, "the build ended before it created its scratch directory");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no scratch directory appeared");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Everything in the output directory that is not the module's own files: packages, SHA256SUMS, anything unhidden.</summary>
    private static IEnumerable<string> VisibleOutputs(string tree) =>
        Directory.EnumerateFileSystemEntries(tree)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.EndsWith(".deb", StringComparison.Ordinal) || n.EndsWith(".rpm", StringComparison.Ordinal) || n == "SHA256SUMS" || n.EndsWith(".tmp", StringComparison.Ordinal));

    private static string[] TreeFiles(string tree) =>
        [.. Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tree, f).Replace('\\', '/'))
            .Where(f => !f.Contains('/', StringComparison.Ordinal) ? !(f.EndsWith(".deb", StringComparison.Ordinal) || f.EndsWith(".rpm", StringComparison.Ordinal) || f.Contains(".pkg.tar", StringComparison.Ordinal) || f == "SHA256SUMS") : true)
            .Order(StringComparer.Ordinal)];

    /// <summary>The regular files of a .deb under /usr/src/NAME-VERSION/, as dpkg-deb lists them.</summary>
    private static string[] PackagedSources(string deb)
    {
        const string prefix = "./usr/src/apple-gmux-0.1/";
        string listing = RealTool.RunChecked("dpkg-deb", "-c", deb);
        return [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('-'))
            .Select(l => l[(l.IndexOf("./", StringComparison.Ordinal))..])
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => p[prefix.Length..])
            .Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, string?> Epoch() => new() { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int processId, int signal);
}
