using DkmsPack.Diagnostics;

namespace DkmsPack.Archives;

/// <summary>
/// A value does not fit an archive format: a cpio newc field (8 hex digits, so sizes, times and inodes stop at
/// 0xFFFFFFFF), an RPM header over rpm's tag-count or size limits, or an INT32 RPM size of 4 GiB or more.
/// Files of 4 GiB or more are out of scope for dkmspack (they would need rpm's "stripped" 07070X cpio and
/// LONGFILESIZES, docs/rpm-format.md, "Limits").
/// </summary>
public sealed class ArchiveLimitException : DkmsPackException
{
    public ArchiveLimitException()
        : this("a value exceeds the archive format's limits")
    {
    }

    public ArchiveLimitException(string message)
        : base(Diagnostic.Error(null, 0, message, code: DiagnosticCode.Limit), DkmsPack.Diagnostics.ExitCode.InvalidInput)
    {
    }

    public ArchiveLimitException(string message, Exception innerException)
        : base(Diagnostic.Error(null, 0, message, code: DiagnosticCode.Limit), DkmsPack.Diagnostics.ExitCode.InvalidInput, innerException)
    {
    }
}
