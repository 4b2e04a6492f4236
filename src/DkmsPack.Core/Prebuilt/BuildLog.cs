using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DkmsPack.Prebuilt;

/// <summary>
/// The make.log of one kernel's build: every command's output appended to one file, as DKMS keeps
/// <c>build/make.log</c>, and the first error line in it for the one-line message.
/// </summary>
internal sealed partial class BuildLog(string path)
{
    public string Path { get; } = path;

    /// <summary>
    /// Runs a program (argv, never through a shell of ours) in <paramref name="workingDirectory"/> with stdin closed,
    /// appending its stdout and stderr to the log. Returns its exit status.
    /// </summary>
    public int Run(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using var log = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var writer = new StreamWriter(log) { AutoFlush = true };
        writer.WriteLine($"+ {program} {string.Join(' ', start.ArgumentList)}");
        var gate = new Lock();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (gate)
                {
                    writer.WriteLine(line);
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            writer.WriteLine($"cannot run {program}: {ex.Message}");
            return 127;
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>
    /// The line a reader wants first: the compiler's first <c>error:</c>, else make's first <c>***</c> line, else the
    /// last line of the log.
    /// </summary>
    public string FirstError()
    {
        string? makeError = null;
        string? last = null;
        foreach (string line in File.ReadLines(Path))
        {
            if (CompilerError().IsMatch(line))
            {
                return line.Trim();
            }

            if (makeError is null && line.Contains("*** ", StringComparison.Ordinal))
            {
                makeError = line.Trim();
            }

            if (line.Trim().Length > 0)
            {
                last = line.Trim();
            }
        }

        return makeError ?? last ?? "(the log is empty)";
    }

    // gcc and clang: "file.c:12:5: error: …" and "fatal error: …"; ld: "… undefined reference"; modpost: "ERROR: modpost: …".
    [GeneratedRegex(@"(\berror:|^ERROR: |undefined reference to)")]
    private static partial Regex CompilerError();
}
