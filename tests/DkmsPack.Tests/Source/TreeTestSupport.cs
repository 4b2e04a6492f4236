using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Source;

/// <summary>Runs dkmspack on a module tree and judges its one-line errors in the <c>PATH: error: MESSAGE; REMEDY</c> form.</summary>
internal static class TreeTestSupport
{
    public const string Maintainer = "Tree Test <tree@example.org>";

    /// <summary>Builds one package (<paramref name="command"/> is mkdeb or mkrpm) of <paramref name="tree"/> into <paramref name="output"/>.</summary>
    public static DkmsPackProcess.Result Package(string command, string tree, string output, IReadOnlyDictionary<string, string?>? environment = null) =>
        DkmsPackProcess.Run([command, tree, "-o", output, "--maintainer", Maintainer], environment);

    /// <summary>Exit 2, and exactly one line on stderr: the error about <paramref name="path"/>, containing every one of <paramref name="expected"/>.</summary>
    public static void AssertTreeError(DkmsPackProcess.Result result, string path, params string[] expected)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}, stderr: {result.StdErr}");
        string[] lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + result.StdErr);
        Assert.StartsWith(path + ": error: ", lines[0], StringComparison.Ordinal);
        foreach (string text in expected)
        {
            Assert.Contains(text, lines[0], StringComparison.Ordinal);
        }
    }

    public static void AssertNothingWritten(string output) =>
        Assert.True(
            !Directory.Exists(output) || Directory.GetFileSystemEntries(output).Length == 0,
            "files left in " + output + ": " + (Directory.Exists(output) ? string.Join(", ", Directory.GetFileSystemEntries(output)) : string.Empty));

    /// <summary>The single package in <paramref name="output"/>, after asserting that the run succeeded.</summary>
    public static string AssertOnePackage(DkmsPackProcess.Result result, string output)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}, stderr: {result.StdErr}");
        return Assert.Single(Directory.GetFiles(output));
    }

    /// <summary><c>dpkg-deb -c</c>'s listing of <paramref name="deb"/>, one line per member.</summary>
    public static string[] DebListing(string deb) =>
        RealTool.RunChecked("dpkg-deb", "-c", deb).TrimEnd('\n').Split('\n');

    /// <summary>Runs <c>sh -c</c> in <paramref name="directory"/>: the only way to name files with bytes that are not UTF-8.</summary>
    public static void Shell(string directory, string script) =>
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: directory), "sh", "-c", script);
}

/// <summary>A copy of the example module to spoil, and an output directory beside it; both deleted after the test.</summary>
public abstract class ModuleTreeTest : IDisposable
{
    private protected ModuleTreeTest()
    {
        Temp = new TempDirectory();
        Tree = Temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
        Output = Temp.Combine("out");
    }

    private protected TempDirectory Temp { get; }

    /// <summary>The module tree (apple-gmux 0.1: dkms.conf, Makefile, apple-gmux.c).</summary>
    protected string Tree { get; }

    protected string Output { get; }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
