using DkmsPack.Diagnostics;

namespace DkmsPack.Cli;

/// <summary>
/// The one place that turns the engine's diagnostics into text: compiler-style lines on stderr, with the
/// engine's option keys (<see cref="OptionRef"/>) spelled as this command line spells them.
/// </summary>
internal static class DiagnosticRenderer
{
    /// <summary>Engine keys whose option is spelled otherwise than <c>--KEY</c>.</summary>
    private static readonly Dictionary<string, string> s_spellings = new(StringComparer.Ordinal)
    {
        ["output"] = "-o",
        ["module"] = "-m",
        ["module-version"] = "-v",
        ["release"] = "--release",
        ["revision"] = "--revision",
        ["signing-passphrase"] = "--signing-passphrase-file (or DKMSPACK_SIGNING_PASSPHRASE)",
    };

    public static string SpellOption(string key) => s_spellings.GetValueOrDefault(key) ?? "--" + key;

    public static string Render(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return diagnostic.Format(SpellOption);
    }

    public static void WriteAll(TextWriter error, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (Diagnostic diagnostic in diagnostics)
        {
            error.WriteLine(Render(diagnostic));
        }
    }
}
