using System.Diagnostics;

namespace DkmsPack.Tests.Support;

/// <summary>Runs the real dkmspack executable as a child process, as a pipeline would.</summary>
internal static class DkmsPackProcess
{
    /// <summary>Variables cleared in the child, so nothing leaks in from the developer's shell.</summary>
    private static readonly string[] s_cleared =
    [
        "SOURCE_DATE_EPOCH", "DEBFULLNAME", "DEBEMAIL", "NAME", "EMAIL",
        "TZ", "LANG", "LANGUAGE", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "DOTNET_PROCESSOR_COUNT",
    ];

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <param name="args">The command line after "dkmspack".</param>
    /// <param name="environment">Variables to set (null value: remove) in the child's environment.</param>
    /// <param name="asUser">Run as this uid/gid (via setpriv) when the tests run as root, e.g. 65534 for nobody.</param>
    /// <param name="workingDirectory">The child's working directory (default: the current one).</param>
    /// <param name="umask">Run under this umask (through <c>sh -c 'umask …; exec …'</c>).</param>
    public static Result Run(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        int? asUser = null,
        string? workingDirectory = null,
        string? umask = null)
    {
        string[] arguments = [.. args];
        using Process process = Process.Start(StartInfo(arguments, environment, asUser, workingDirectory, umask))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dkmspack " + string.Join(' ', arguments) + " did not finish in 5 minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts dkmspack without waiting (for tests that signal it); the caller reads its redirected output.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        Process.Start(StartInfo([.. args], environment, asUser: null, workingDirectory, umask: null))!;

    private static ProcessStartInfo StartInfo(
        string[] arguments,
        IReadOnlyDictionary<string, string?>? environment,
        int? asUser,
        string? workingDirectory,
        string? umask)
    {
        List<string> command = [DotnetHost(), Repo.CliAssembly, .. arguments];
        if (umask is not null)
        {
            // $1 is the umask, the rest is the command: no quoting problems whatever the paths hold.
            command = [RealTool.Require("sh"), "-c", "umask \"$1\" && shift && exec \"$@\"", "sh", umask, .. command];
        }

        if (asUser is { } uid && Environment.UserName == "root")
        {
            command = [RealTool.Require("setpriv"), $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. command];
        }

        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("LC_", StringComparison.Ordinal) || s_cleared.Contains(k, StringComparer.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (asUser is not null)
        {
            // The unprivileged child cannot write root's home; give the host a harmless one.
            start.Environment["HOME"] = "/tmp";
            start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
