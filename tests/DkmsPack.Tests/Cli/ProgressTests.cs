using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>The progress line appears on a terminal only, and never with --quiet or when stderr is redirected.</summary>
public sealed class ProgressTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OnATerminal_AProgressLineIsDrawnAndErased()
    {
        string transcript = UnderTerminal(quiet: false);

        Assert.Contains("deb: ", transcript, StringComparison.Ordinal);
        Assert.Contains(" files, ", transcript, StringComparison.Ordinal);
        Assert.Contains("\r\u001b[K", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void OnATerminal_QuietDrawsNothing()
    {
        Assert.DoesNotContain(" files, ", UnderTerminal(quiet: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_PrintsNothing_NotEvenWarnings()
    {
        // hello-pair's CLEAN directive draws a deprecation warning, and no maintainer is given.
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("hello-pair"), "-o", _temp.Combine("out"), "--quiet"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut + result.StdErr);
        Assert.Single(Directory.GetFiles(_temp.Combine("out"), "*.deb"));
    }

    [Fact]
    public void Redirected_NoProgressLine_AndVerboseListsTheFiles()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("out"), "--maintainer", "T <t@example.org>", "--verbose"]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(" files, ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("  /usr/src/apple-gmux-0.1/apple-gmux.c", result.StdErr, StringComparison.Ordinal);
    }

    /// <summary>Runs mkdeb under a pseudo-terminal made by script(1) and returns what the terminal showed.</summary>
    private string UnderTerminal(bool quiet)
    {
        string script = RealTool.Require("script");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string command = string.Join(' ', new[] { dotnet, Repo.CliAssembly, "mkdeb", Repo.Example("hello-pair"), "-o", _temp.Combine("out"), "--maintainer", "'T <t@example.org>'" }
            .Select(a => a.StartsWith('\'') ? a : "'" + a + "'")) + (quiet ? " --quiet" : string.Empty);
        string log = _temp.Combine("typescript");

        RealTool.RunChecked(script, "--quiet", "--return", "--command", command, log);

        return File.ReadAllText(log);
    }
}
