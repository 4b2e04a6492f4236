using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.SourcePackages;

/// <summary>Runs the dkmspack executable with a fixed SOURCE_DATE_EPOCH and maintainer, as a release pipeline would.</summary>
internal static class SourceBuilds
{
    public const string Maintainer = "Test Maintainer <test@example.org>";

    /// <summary>Runs <c>dkmspack COMMAND TREE -o OUTPUT ARGS…</c>, failing the test unless it exits 0; returns the output directory.</summary>
    public static string Run(string command, string tree, string output, params string[] args)
    {
        var result = DkmsPackProcess.Run([command, tree, "-o", output, "--maintainer", Maintainer, "-q", .. args], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(result.ExitCode == 0, $"dkmspack {command} exited with {result.ExitCode}: {result.StdErr}");
        return output;
    }

    /// <summary>The one file in <paramref name="directory"/> matching <paramref name="pattern"/>.</summary>
    public static string Single(string directory, string pattern) => Directory.GetFiles(directory, pattern).Single();
}
