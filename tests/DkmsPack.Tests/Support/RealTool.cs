using System.Diagnostics;
using System.Text;
using Xunit;

namespace DkmsPack.Tests.Support;

/// <summary>
/// Runs real system tools (cpio, rpm, dpkg-deb...) from tests as oracles. A missing tool skips the
/// test, unless <c>DKMSPACK_REQUIRE_TOOLS=1</c> (set it in CI), where it fails instead. Commands run
/// without a shell, with <c>LC_ALL=C</c> so their messages can be parsed, and fail the test after
/// 60 seconds.
/// </summary>
internal static class RealTool
{
    public const string RequireToolsVariable = "DKMSPACK_REQUIRE_TOOLS";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The full path of <paramref name="program"/> on PATH; skips (or fails) the test when it is missing.</summary>
    public static string Require(string program)
    {
        string? path = Find(program);
        if (path is not null)
        {
            return path;
        }

        if (Environment.GetEnvironmentVariable(RequireToolsVariable) == "1")
        {
            Assert.Fail($"{program} is required ({RequireToolsVariable}=1) but is not installed.");
        }

        Assert.Skip($"{program} is not installed");
        return program; // not reached: Assert.Skip throws
    }

    /// <summary>Runs <paramref name="program"/> (found with <see cref="Require"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string program, params string[] args) =>
        Run(new RealToolOptions(), program, args);

    /// <summary>As <see cref="Run(string, string[])"/>, with a working directory, stdin file or stdout file.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(RealToolOptions options, string program, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        var startInfo = new ProcessStartInfo(Require(program))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANG"] = "C";

        string commandLine = string.Join(' ', [program, .. args]);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {commandLine}");

        // Drain both pipes concurrently so neither can fill up and block the child.
        Task<string> stdErr = process.StandardError.ReadToEndAsync();
        Task<string> stdOut;
        if (options.StdOutFile is { } outFile)
        {
            stdOut = Task.Run(() =>
            {
                using FileStream file = File.Create(outFile);
                process.StandardOutput.BaseStream.CopyTo(file);
                return string.Empty;
            });
        }
        else
        {
            stdOut = process.StandardOutput.ReadToEndAsync();
        }

        Task stdIn = Task.Run(() =>
        {
            try
            {
                if (options.StdInFile is { } inFile)
                {
                    using FileStream file = File.OpenRead(inFile);
                    file.CopyTo(process.StandardInput.BaseStream);
                }
            }
            catch (IOException)
            {
                // The tool exited without reading all of its input; its exit code tells the story.
            }
            finally
            {
                process.StandardInput.Close();
            }
        });

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"`{commandLine}` did not finish within {Timeout.TotalSeconds:0} s. stderr:{Environment.NewLine}{Completed(stdErr)}");
        }

        Task.WaitAll(stdIn, stdOut, stdErr);
        return (process.ExitCode, stdOut.Result, stdErr.Result);
    }

    /// <summary>Like <see cref="Run(string, string[])"/>, but fails the test with the command line and stderr unless the exit code is 0.</summary>
    public static string RunChecked(string program, params string[] args) => RunChecked(new RealToolOptions(), program, args);

    public static string RunChecked(RealToolOptions options, string program, params string[] args)
    {
        (int exitCode, string stdOut, string stdErr) = Run(options, program, args);
        if (exitCode != 0)
        {
            Assert.Fail($"`{string.Join(' ', [program, .. args])}` exited with {exitCode}. stderr:{Environment.NewLine}{stdErr}{Environment.NewLine}stdout:{Environment.NewLine}{stdOut}");
        }

        return stdOut;
    }

    public static string? Find(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
    }

    private static string Completed(Task<string> task) => task.Wait(TimeSpan.FromSeconds(1)) ? task.Result : "(unavailable)";
}

/// <summary>Optional settings for <see cref="RealTool.Run(RealToolOptions, string, string[])"/>.</summary>
/// <param name="WorkingDirectory">The tool's working directory (default: the current one).</param>
/// <param name="StdInFile">A file whose bytes are sent to the tool's stdin (default: empty stdin).</param>
/// <param name="StdOutFile">A file that receives the tool's stdout as raw bytes (for binary output); StdOut is then empty.</param>
internal sealed record RealToolOptions(string? WorkingDirectory = null, string? StdInFile = null, string? StdOutFile = null);
