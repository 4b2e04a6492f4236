namespace DkmsPack.Diagnostics;

/// <summary>
/// A failure the user can act on. Its message is one line that names the file and says what to do;
/// <see cref="ExitCode"/> is the process exit code the CLI returns for it.
/// </summary>
public class DkmsPackException : Exception
{
    public DkmsPackException()
        : this("dkmspack failed.")
    {
    }

    public DkmsPackException(string message)
        : this(message, DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
    }

    public DkmsPackException(string message, Exception innerException)
        : this(message, DkmsPack.Diagnostics.ExitCode.InvalidInput, innerException)
    {
    }

    public DkmsPackException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}

/// <summary>Input (dkms.conf, the source tree) broke one or more rules; every finding is listed, errors and warnings.</summary>
public sealed class InvalidInputException : DkmsPackException
{
    public InvalidInputException()
        : this([])
    {
    }

    public InvalidInputException(string message)
        : base(message, DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
        Diagnostics = [];
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, DkmsPack.Diagnostics.ExitCode.InvalidInput, innerException)
    {
        Diagnostics = [];
    }

    public InvalidInputException(IReadOnlyList<Diagnostic> diagnostics)
        : base(Summarise(diagnostics), DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Summarise(IReadOnlyList<Diagnostic> diagnostics)
    {
        Diagnostic? first = diagnostics.FirstOrDefault(d => d.IsError);
        return first?.ToString() ?? "invalid input";
    }
}
