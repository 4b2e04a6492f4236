namespace DkmsPack.Diagnostics;

/// <summary>
/// A failure the user can act on, carried as data: one or more <see cref="Diagnostic"/>s (every error found,
/// and the warnings found with them) and the process exit code (<see cref="Diagnostics.ExitCode"/>) for it.
/// </summary>
public class DkmsPackException : Exception
{
    public DkmsPackException()
        : this(Diagnostic.Error(null, 0, "dkmspack failed", code: DiagnosticCode.Internal), DkmsPack.Diagnostics.ExitCode.InternalError)
    {
    }

    public DkmsPackException(string message)
        : this(Diagnostic.Error(null, 0, message), DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
    }

    public DkmsPackException(string message, Exception innerException)
        : this(Diagnostic.Error(null, 0, message), DkmsPack.Diagnostics.ExitCode.InvalidInput, innerException)
    {
    }

    public DkmsPackException(Diagnostic diagnostic, int exitCode, Exception? innerException = null)
        : this([diagnostic], exitCode, innerException)
    {
    }

    public DkmsPackException(IReadOnlyList<Diagnostic> diagnostics, int exitCode, Exception? innerException = null)
        : base(Summarise(diagnostics), innerException)
    {
        Diagnostics = diagnostics;
        ExitCode = exitCode;
    }

    /// <summary>Every finding, errors and warnings, in the order to show them.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public int ExitCode { get; }

    /// <summary>The module tree or its inputs are unusable (exit 2).</summary>
    public static DkmsPackException Input(string? file, string message, string? remedy = null, string code = DiagnosticCode.Input, Exception? inner = null) =>
        new(Diagnostic.Error(file, 0, message, remedy, code), DkmsPack.Diagnostics.ExitCode.InvalidInput, inner);

    /// <summary>The module tree or its inputs are unusable (exit 2), at a line of <paramref name="file"/>.</summary>
    public static DkmsPackException Input(string? file, int line, string message, string? remedy = null) =>
        new(Diagnostic.Error(file, line, message, remedy), DkmsPack.Diagnostics.ExitCode.InvalidInput);

    /// <summary>A command-line value or the environment is wrong (exit 1).</summary>
    public static DkmsPackException Options(string message, string? remedy = null, Exception? inner = null) =>
        new(Diagnostic.Error(null, 0, message, remedy, DiagnosticCode.Option), DkmsPack.Diagnostics.ExitCode.InvalidOptions, inner);

    /// <summary>The output cannot be written (exit 3).</summary>
    public static DkmsPackException Output(string? file, string message, string? remedy = null, Exception? inner = null) =>
        new(Diagnostic.Error(file, 0, message, remedy, DiagnosticCode.Output), DkmsPack.Diagnostics.ExitCode.OutputFailed, inner);

    /// <summary>A template failed (exit 4).</summary>
    public static DkmsPackException Template(string? file, int line, string message, string? remedy = null, Exception? inner = null) =>
        new(Diagnostic.Error(file, line, message, remedy, DiagnosticCode.Template), DkmsPack.Diagnostics.ExitCode.TemplateFailed, inner);

    private static string Summarise(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        Diagnostic? first = diagnostics.FirstOrDefault(d => d.IsError) ?? (diagnostics.Count > 0 ? diagnostics[0] : null);
        return first?.ToString() ?? "dkmspack failed";
    }
}

/// <summary>Input (dkms.conf, the source tree) broke one or more rules; every finding is listed, errors and warnings.</summary>
public sealed class InvalidInputException : DkmsPackException
{
    public InvalidInputException()
        : this([])
    {
    }

    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidInputException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics, DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
    }
}
