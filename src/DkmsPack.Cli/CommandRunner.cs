using System.CommandLine;
using DkmsPack.Diagnostics;

namespace DkmsPack.Cli;

/// <summary>Where a command writes: the invocation's output and error writers.</summary>
internal sealed record ConsoleChannels(TextWriter Out, TextWriter Error);

/// <summary>
/// Runs a command body and turns every failure into one stderr line per problem and an exit code
/// (<see cref="ExitCode"/>), never a stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <param name="parse">The parsed command line.</param>
    /// <param name="body">The command; it returns the exit code.</param>
    /// <param name="onFailure">Called with the diagnostics of a failure after they are printed (build --json prints them as JSON too).</param>
    public static int Run(ParseResult parse, Func<ConsoleChannels, int> body, Action<ConsoleChannels, IReadOnlyList<Diagnostic>>? onFailure = null)
    {
        var console = new ConsoleChannels(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        try
        {
            return body(console);
        }
#pragma warning disable CA1031 // The last line of defence: every failure, a bug included, ends in diagnostics and a documented code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (IReadOnlyList<Diagnostic> diagnostics, int exitCode) = Classify(ex);
            DiagnosticRenderer.WriteAll(console.Error, diagnostics);
            onFailure?.Invoke(console, diagnostics);
            return exitCode;
        }
    }

    /// <summary>The engine's own failures carry their diagnostics; anything else becomes one.</summary>
    private static (IReadOnlyList<Diagnostic> Diagnostics, int ExitCode) Classify(Exception ex) => ex switch
    {
        DkmsPackException known => (known.Diagnostics, known.ExitCode),

        // A source file changed size while it was being packaged.
        InvalidDataException => ([Diagnostic.Error(null, 0, ex.Message, code: DiagnosticCode.SourceTree)], ExitCode.InvalidInput),
        UnauthorizedAccessException or IOException => ([Diagnostic.Error(null, 0, ex.Message.TrimEnd('.'), code: DiagnosticCode.Output)], ExitCode.OutputFailed),
        _ => ([Diagnostic.Error(null, 0, $"internal error: {ex.GetType().Name}: {ex.Message.TrimEnd('.')}", "please report this with the command line", DiagnosticCode.Internal)], ExitCode.InternalError),
    };
}
