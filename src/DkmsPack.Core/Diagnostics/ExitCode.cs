namespace DkmsPack.Diagnostics;

/// <summary>
/// The process exit codes of dkmspack. Append only: release pipelines branch on these numbers,
/// and the README documents each one.
/// </summary>
public static class ExitCode
{
    /// <summary>The packages were written.</summary>
    public const int Success = 0;

    /// <summary>The command line was wrong: unknown option, missing argument, bad option value.</summary>
    public const int InvalidOptions = 1;

    /// <summary>The module tree or its dkms.conf is unusable: missing, unreadable, or invalid by DKMS's rules.</summary>
    public const int InvalidInput = 2;

    /// <summary>The package could not be written: output directory not writable, disk full, template error.</summary>
    public const int OutputFailed = 3;

    /// <summary>A user template failed to parse or render.</summary>
    public const int TemplateFailed = 4;

    /// <summary>Interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it. Nothing new was left in the output directory.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM: 128 + 15. Nothing new was left in the output directory.</summary>
    public const int Terminated = 143;

    /// <summary>A bug in dkmspack: an unexpected exception. Please report it.</summary>
    public const int InternalError = 70;
}
