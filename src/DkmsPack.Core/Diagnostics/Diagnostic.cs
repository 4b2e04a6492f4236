using System.Globalization;
using System.Text;

namespace DkmsPack.Diagnostics;

/// <summary>How serious a finding about the user's input is.</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,

    /// <summary>Information, not a problem (what <c>check</c> tells about DKMS versions).</summary>
    Note,
}

/// <summary>
/// One finding, as data: the engine never formats it for a console. <see cref="File"/> is the file the finding
/// is about (null when it is about the run as a whole), <see cref="Line"/> its 1-based line (0: the whole file),
/// <see cref="Message"/> what is wrong, and <see cref="Remedy"/> what to do about it. Both texts may name a
/// command-line option only through <see cref="OptionRef"/> tokens, which the front end spells in its own way.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string? File, int Line, string Message, string? Remedy = null)
{
    public static Diagnostic Error(string? file, int line, string message, string? remedy = null, string code = DiagnosticCode.Input) =>
        new(DiagnosticSeverity.Error, code, file, line, message, remedy);

    public static Diagnostic Warning(string? file, int line, string message, string? remedy = null, string code = DiagnosticCode.Input) =>
        new(DiagnosticSeverity.Warning, code, file, line, message, remedy);

    public static Diagnostic Note(string? file, int line, string message, string code = DiagnosticCode.Input) =>
        new(DiagnosticSeverity.Note, code, file, line, message);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>"error", "warning" or "note", as lines and JSON spell it.</summary>
    public string SeverityName => Severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Note => "note",
        _ => "warning",
    };

    /// <summary>
    /// The compiler-style line <c>FILE:LINE: error: MESSAGE; REMEDY</c> (<c>FILE: …</c> for line 0,
    /// <c>dkmspack: …</c> without a file), with option tokens spelled by <paramref name="spellOption"/>.
    /// </summary>
    public string Format(Func<string, string> spellOption)
    {
        ArgumentNullException.ThrowIfNull(spellOption);
        var line = new StringBuilder();
        line.Append(File ?? "dkmspack");
        if (File is not null && Line > 0)
        {
            line.Append(':').Append(Line.ToString(CultureInfo.InvariantCulture));
        }

        line.Append(": ").Append(SeverityName).Append(": ").Append(OptionRef.Spell(Message, spellOption));
        if (!string.IsNullOrEmpty(Remedy))
        {
            line.Append("; ").Append(OptionRef.Spell(Remedy, spellOption));
        }

        return line.ToString();
    }

    /// <summary>For tests and logs: options spelled as their key with two dashes.</summary>
    public override string ToString() => Format(OptionRef.DefaultSpelling);
}

/// <summary>
/// Stable, machine-readable kinds of finding (the <c>code</c> of <c>--json</c> diagnostics). Append only.
/// </summary>
public static class DiagnosticCode
{
    /// <summary>dkms.conf breaks a rule of DKMS's or of the shell's, or uses something a static reading cannot know.</summary>
    public const string DkmsConf = "dkms-conf";

    /// <summary>The module tree: a file that cannot be read or packaged.</summary>
    public const string SourceTree = "source-tree";

    /// <summary>Other unusable input (a value that a format cannot carry, a missing licence).</summary>
    public const string Input = "input";

    /// <summary>A command-line value or the environment (SOURCE_DATE_EPOCH) is wrong.</summary>
    public const string Option = "option";

    /// <summary>A value does not fit an archive format's fields or limits.</summary>
    public const string Limit = "limit";

    /// <summary>A template failed to parse or render, or rendered something invalid.</summary>
    public const string Template = "template";

    /// <summary>The output could not be written.</summary>
    public const string Output = "output";

    /// <summary>The run was interrupted by a signal.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>A package, checksum list or signature failed <c>verify</c>: changed, unsigned, or signed by a key not given.</summary>
    public const string Verification = "verification";

    /// <summary>A bug in dkmspack.</summary>
    public const string Internal = "internal";

    /// <summary>The project file (dkmspack.toml), or a file it names, is wrong.</summary>
    public const string Project = "project";
}

/// <summary>
/// How the engine names a command-line option without spelling it: <c>OptionRef.To("version")</c> is a token
/// that the CLI turns into <c>--version</c> (or whatever it calls that setting). Keys are the options' long
/// names without dashes.
/// </summary>
public static class OptionRef
{
    private const string Open = "{{opt:";
    private const string Close = "}}";

    public static string To(string key) => Open + key + Close;

    public static string DefaultSpelling(string key) => "--" + key;

    /// <summary>Replaces every token in <paramref name="text"/> with <paramref name="spell"/>(key).</summary>
    public static string Spell(string text, Func<string, string> spell)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spell);
        int start = text.IndexOf(Open, StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int position = 0;
        while (start >= 0)
        {
            int end = text.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            result.Append(text, position, start - position).Append(spell(text[(start + Open.Length)..end]));
            position = end + Close.Length;
            start = text.IndexOf(Open, position, StringComparison.Ordinal);
        }

        return result.Append(text, position, text.Length - position).ToString();
    }
}
