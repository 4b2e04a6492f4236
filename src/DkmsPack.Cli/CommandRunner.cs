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
    public static int Run(ParseResult parse, Func<ConsoleChannels, int> body)
    {
        var console = new ConsoleChannels(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        try
        {
            return body(console);
        }
        catch (DkmsPackException ex)
        {
            DiagnosticRenderer.WriteAll(console.Error, ex.Diagnostics);
            return ex.ExitCode;
        }
        catch (InvalidDataException ex)
        {
            // A source file changed size while it was being packaged.
            console.Error.WriteLine($"dkmspack: error: {ex.Message}");
            return ExitCode.InvalidInput;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            console.Error.WriteLine($"dkmspack: error: {ex.Message}");
            return ExitCode.OutputFailed;
        }
#pragma warning disable CA1031 // The last line of defence: a bug must still end in one line and a documented code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            console.Error.WriteLine($"dkmspack: internal error: {ex.GetType().Name}: {ex.Message} (please report this)");
            return ExitCode.InternalError;
        }
    }
}
