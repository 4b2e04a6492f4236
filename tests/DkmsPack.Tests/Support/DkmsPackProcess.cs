using System.Diagnostics;

namespace DkmsPack.Tests.Support;

/// <summary>Runs the real dkmspack executable as a child process, as a pipeline would.</summary>
internal static class DkmsPackProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <param name="args">The command line after "dkmspack".</param>
    /// <param name="environment">Variables to set (null value: remove) in the child's environment.</param>
    /// <param name="asUser">Run as this uid/gid (via setpriv) when the tests run as root, e.g. 65534 for nobody.</param>
    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, int? asUser = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };

        if (asUser is { } uid && Environment.UserName == "root")
        {
            start.FileName = RealTool.Require("setpriv");
            foreach (string a in (string[])[$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--"])
            {
                start.ArgumentList.Add(a);
            }

            start.ArgumentList.Add(DotnetHost());
        }
        else
        {
            start.FileName = DotnetHost();
        }

        start.ArgumentList.Add(Repo.CliAssembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A clean, predictable environment: no maintainer variables leak in from the developer's shell.
        foreach (string name in (string[])["SOURCE_DATE_EPOCH", "DEBFULLNAME", "DEBEMAIL", "NAME", "EMAIL"])
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

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dkmspack " + string.Join(' ', args) + " did not finish in 5 minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
