using System.Globalization;

namespace DkmsPack.Diagnostics;

/// <summary>How serious a finding about the user's input is.</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One finding about the user's input, printed compiler style: <c>dkms.conf:12: error: …</c>.
/// Line 0 means the finding is about the file as a whole.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string File, int Line, string Message)
{
    public static Diagnostic Error(string file, int line, string message) => new(DiagnosticSeverity.Error, file, line, message);

    public static Diagnostic Warning(string file, int line, string message) => new(DiagnosticSeverity.Warning, file, line, message);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        string kind = IsError ? "error" : "warning";
        return Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: {kind}: {Message}")
            : $"{File}: {kind}: {Message}";
    }
}
