using DkmsPack.Diagnostics;
using DkmsPack.Signing;

namespace DkmsPack.Verification;

/// <summary>Checks one detached signature with <see cref="SignatureVerifier"/> and words the result for a verify line.</summary>
internal static class DetachedSignature
{
    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="data"/> (concatenated). Good: adds
    /// "<paramref name="what"/> ALGORITHM/HASH by FINGERPRINT (TIME) over <paramref name="over"/>" (when given) to
    /// <paramref name="checkedParts"/>; bad: adds the reason to <paramref name="findings"/>.
    /// </summary>
    public static void Check(VerificationKeys keys, ReadOnlySpan<byte> signature, IReadOnlyList<Stream> data, string what, string? over, List<string> checkedParts, Findings findings)
    {
        SignatureCheck check;
        try
        {
            check = SignatureVerifier.VerifyDetached(keys.Keyring, signature, data);
        }
        catch (DkmsPackException ex)
        {
            // The signature packet itself is unreadable; the verifier's message starts with "is ...".
            findings.Add($"{what} {ex.Diagnostics[0].Message}", VerificationRemedy.Damaged);
            return;
        }

        if (check.IsValid)
        {
            string subkey = string.Equals(check.Fingerprint, check.PrimaryFingerprint, StringComparison.Ordinal) ? string.Empty : $", a subkey of {check.PrimaryFingerprint}";
            checkedParts.Add($"{what} {check.PublicKeyAlgorithm}/{check.HashAlgorithm} by {check.Fingerprint}{subkey} ({OpenPgp.FormatTime(check.CreationTime)}){(over is null ? string.Empty : " over " + over)}");
        }
        else if (check.IsKeyMissing)
        {
            findings.Add($"{what}: not signed by a key given ({check.Problem})", VerificationRemedy.KeyNotGiven);
        }
        else
        {
            findings.Add($"{what}: {check.Problem}", check.IsMismatch ? VerificationRemedy.Changed : VerificationRemedy.Untrusted);
        }
    }
}
