using DkmsPack.Diagnostics;
using ExitCodes = DkmsPack.Diagnostics.ExitCode;

namespace DkmsPack.Archives.Rpm;

/// <summary>
/// The package exceeds what an rpm v4 package written by dkmspack can hold: a header over rpm's size or
/// tag limits, or a header+payload or payload of 4 GiB or more (the INT32 SIZE/PAYLOADSIZE signature
/// tags; the 64-bit LONGSIZE variants are out of scope).
/// </summary>
public sealed class RpmLimitException : DkmsPackException
{
    public RpmLimitException()
        : this("The package exceeds the rpm format's limits.")
    {
    }

    public RpmLimitException(string message)
        : base(message, ExitCodes.InvalidInput)
    {
    }

    public RpmLimitException(string message, Exception innerException)
        : base(message, ExitCodes.InvalidInput, innerException)
    {
    }
}
