using Org.BouncyCastle.Utilities;

namespace DkmsPack.Signing;

/// <summary>
/// While it is open, on the current thread, BouncyCastle skips the Miller-Rabin rounds it runs on every RSA
/// modulus it turns into key parameters (the public key of each self-signature checked, and the private key when
/// it is unlocked). Those rounds prove a modulus composite, so that a stranger's public key with a prime modulus
/// (a key whose private half anyone could compute) is refused. A signing key is the user's own secret key: its
/// modulus comes with its factors, and on a 3072-bit key the rounds cost about 0.1 s per modulus, more than
/// packaging a small tree. BouncyCastle's cheaper checks (an odd modulus, no factor below 744) still run.
/// </summary>
internal readonly struct OwnRsaKeyScope : IDisposable
{
    /// <summary>The thread's previous setting, put back on dispose (null: it had none).</summary>
    private readonly string? _previous;

    private OwnRsaKeyScope(string? previous) => _previous = previous;

    public static OwnRsaKeyScope Enter()
    {
        string? previous = Properties.GetThreadProperty(Properties.RsaMaxMRTests);
        Properties.SetThreadInt32(Properties.RsaMaxMRTests, 0);
        return new OwnRsaKeyScope(previous);
    }

    public void Dispose()
    {
        if (_previous is null)
        {
            Properties.RemoveThreadProperty(Properties.RsaMaxMRTests);
        }
        else
        {
            Properties.SetThreadProperty(Properties.RsaMaxMRTests, _previous);
        }
    }
}
