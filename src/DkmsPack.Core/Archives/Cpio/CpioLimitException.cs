using DkmsPack.Diagnostics;
using ExitCodes = DkmsPack.Diagnostics.ExitCode;

namespace DkmsPack.Archives.Cpio;

/// <summary>
/// A value does not fit the cpio newc format: every numeric field is 8 hex digits, so sizes, times and
/// inode numbers stop at 0xFFFFFFFF. Files of 4 GiB or more are out of scope for dkmspack (they would
/// need rpm's "stripped" 07070X cpio and LONGFILESIZES, formats.md §7.8, §7.10).
/// </summary>
public sealed class CpioLimitException : DkmsPackException
{
    public CpioLimitException()
        : this("A value exceeds the cpio newc format's limits.")
    {
    }

    public CpioLimitException(string message)
        : base(message, ExitCodes.InvalidInput)
    {
    }

    public CpioLimitException(string message, Exception innerException)
        : base(message, ExitCodes.InvalidInput, innerException)
    {
    }
}
