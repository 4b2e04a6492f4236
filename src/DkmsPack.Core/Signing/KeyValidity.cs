using System.Runtime.CompilerServices;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace DkmsPack.Signing;

/// <summary>Why a key cannot make (or could not have made) a signature at a given time.</summary>
internal enum KeyProblem
{
    None,
    CreatedLater,
    Expired,
    Revoked,
    NotForSigning,
    UnsupportedAlgorithm,
}

/// <summary>The outcome of <see cref="KeyValidity.Evaluate"/>: a problem, and for messages its detail (no key material).</summary>
internal readonly record struct KeyStatus(KeyProblem Problem, string Detail, long? ExpirationTime)
{
    public bool IsUsable => Problem == KeyProblem.None;
}

/// <summary>
/// Whether a v4 key may sign at a time, from its self-signatures (each verified against the primary key):
/// creation time, key flags (RFC 9580 §5.2.3.29), key expiration (§5.2.3.13) and revocation (§5.2.1.11,
/// §5.2.3.31). A subkey is usable only while its primary key is, and only with a binding signature (§5.2.1).
/// </summary>
internal static class KeyValidity
{
    public static KeyStatus Evaluate(PgpPublicKey primary, PgpPublicKey key, long at)
    {
        KeyStatus primaryStatus = EvaluateOne(primary, primary, at, requireSign: key == primary);
        if (!primaryStatus.IsUsable || key == primary)
        {
            return primaryStatus;
        }

        return EvaluateOne(primary, key, at, requireSign: true);
    }

    /// <summary>The algorithm this engine signs with, or null with a reason when it does not.</summary>
    public static SigningKeyAlgorithm? AlgorithmOf(PgpPublicKey key, out string reason)
    {
        switch ((int)key.Algorithm)
        {
            case OpenPgp.PublicKeyAlgorithm.RsaEncryptOrSign or OpenPgp.PublicKeyAlgorithm.RsaSignOnly:
                if (key.BitStrength < OpenPgp.MinimumRsaBits || key.BitStrength > OpenPgp.MaximumRsaBits)
                {
                    reason = $"RSA of {key.BitStrength} bits (RSA needs {OpenPgp.MinimumRsaBits} to {OpenPgp.MaximumRsaBits} bits)";
                    return null;
                }

                reason = string.Empty;
                return SigningKeyAlgorithm.Rsa;
            case OpenPgp.PublicKeyAlgorithm.EdDsaLegacy:
                if (key.PublicKeyPacket.Key is EdDsaPublicBcpgKey edKey && string.Equals(edKey.CurveOid.Id, OpenPgp.Ed25519LegacyCurveOid, StringComparison.Ordinal))
                {
                    reason = string.Empty;
                    return SigningKeyAlgorithm.Ed25519;
                }

                reason = "EdDSA on a curve other than Ed25519";
                return null;
            default:
                reason = AlgorithmName((int)key.Algorithm);
                return null;
        }
    }

    public static string AlgorithmName(int algorithm) => algorithm switch
    {
        OpenPgp.PublicKeyAlgorithm.RsaEncryptOrSign or OpenPgp.PublicKeyAlgorithm.RsaSignOnly => "RSA",
        OpenPgp.PublicKeyAlgorithm.Dsa => "DSA",
        OpenPgp.PublicKeyAlgorithm.ElGamalEncryptOnly or OpenPgp.PublicKeyAlgorithm.ElGamalEncryptOrSign => "ElGamal",
        OpenPgp.PublicKeyAlgorithm.Ecdsa => "ECDSA",
        OpenPgp.PublicKeyAlgorithm.Ecdh => "ECDH (encryption only)",
        OpenPgp.PublicKeyAlgorithm.EdDsaLegacy => "EdDSA",
        OpenPgp.PublicKeyAlgorithm.Ed25519 => "Ed25519 in the RFC 9580 form (algorithm 27), which gpg 2.2 and rpm 4 do not read",
        _ => "public-key algorithm " + algorithm.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static KeyStatus EvaluateOne(PgpPublicKey primary, PgpPublicKey key, long at, bool requireSign)
    {
        long created = OpenPgp.ToUnixSeconds(key.CreationTime);
        if (created > at)
        {
            return new KeyStatus(KeyProblem.CreatedLater, $"was created on {OpenPgp.FormatTime(created)}, after the signature time {OpenPgp.FormatTime(at)}", null);
        }

        if (Revocation(primary, key, at) is { } revoked)
        {
            return new KeyStatus(KeyProblem.Revoked, revoked, null);
        }

        if (requireSign && key != primary && !AnyBindingMaySign(primary, key))
        {
            // Decided before any signature is verified: verifying one costs a modulus check (see s_verified), and a
            // binding that does not claim signing could not make the subkey a signing key even if it verified.
            return new KeyStatus(KeyProblem.NotForSigning, "is not marked for signing (key flags)", null);
        }

        PgpSignature? selfSignature = LatestSelfSignature(primary, key);
        if (key != primary && selfSignature is null)
        {
            return new KeyStatus(KeyProblem.NotForSigning, "has no valid binding signature from its primary key", null);
        }

        PgpSignatureSubpacketVector? hashed = selfSignature?.GetHashedSubPackets();
        long? expires = null;
        if (hashed is not null && hashed.HasKeyExpirationTime() && hashed.GetKeyExpirationTime() > 0)
        {
            expires = created + hashed.GetKeyExpirationTime();
            if (expires <= at)
            {
                return new KeyStatus(KeyProblem.Expired, $"expired on {OpenPgp.FormatTime(expires.Value)}, before the signature time {OpenPgp.FormatTime(at)}", expires);
            }
        }

        if (requireSign)
        {
            // RFC 9580 §5.2.3.29: without a key flags subpacket the algorithm alone says what the key may do.
            bool hasFlags = hashed?.HasSubpacket(SignatureSubpacketTag.KeyFlags) == true;
            if (hasFlags && (hashed!.GetKeyFlags() & OpenPgp.KeyFlag.Sign) == 0)
            {
                return new KeyStatus(KeyProblem.NotForSigning, "is not marked for signing (key flags)", expires);
            }

            if (AlgorithmOf(key, out string reason) is null)
            {
                return new KeyStatus(KeyProblem.UnsupportedAlgorithm, reason, expires);
            }
        }

        return new KeyStatus(KeyProblem.None, string.Empty, expires);
    }

    /// <summary>Whether some binding signature of the subkey, verified or not, leaves it free to sign (key flags with Sign, or none).</summary>
    private static bool AnyBindingMaySign(PgpPublicKey primary, PgpPublicKey key) =>
        key.GetSignaturesOfType(OpenPgp.SignatureType.SubkeyBinding).Any(s => s.KeyId == primary.KeyId
            && (s.GetHashedSubPackets() is not { } hashed || !hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) || (hashed.GetKeyFlags() & OpenPgp.KeyFlag.Sign) != 0));

    /// <summary>The newest self-signature that verifies: a subkey's binding, or the primary's user ID certifications and direct-key signatures.</summary>
    private static PgpSignature? LatestSelfSignature(PgpPublicKey primary, PgpPublicKey key)
    {
        IEnumerable<PgpSignature> candidates;
        if (key == primary)
        {
            var own = new List<PgpSignature>();
            foreach (string userId in primary.GetUserIds())
            {
                own.AddRange(primary.GetSignaturesForId(userId).Where(s => s.IsCertification() && s.KeyId == primary.KeyId && Verifies(s, primary, () => s.VerifyCertification(userId, primary))));
            }

            own.AddRange(primary.GetSignaturesOfType(OpenPgp.SignatureType.DirectKey).Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, () => s.VerifyCertification(primary))));
            candidates = own;
        }
        else
        {
            candidates = key.GetSignaturesOfType(OpenPgp.SignatureType.SubkeyBinding).Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, () => s.VerifyCertification(primary, key)));
        }

        return candidates.OrderBy(s => s.CreationTime).LastOrDefault();
    }

    /// <summary>A revocation that applies at <paramref name="at"/>: hard ones always, "superseded" and "retired" from their own time on.</summary>
    private static string? Revocation(PgpPublicKey primary, PgpPublicKey key, long at)
    {
        bool isPrimary = key == primary;
        int type = isPrimary ? OpenPgp.SignatureType.KeyRevocation : OpenPgp.SignatureType.SubkeyRevocation;
        foreach (PgpSignature revocation in key.GetSignaturesOfType(type))
        {
            if (revocation.KeyId != primary.KeyId
                || !Verifies(revocation, primary, () => isPrimary ? revocation.VerifyCertification(primary) : revocation.VerifyCertification(primary, key)))
            {
                continue;
            }

            long when = OpenPgp.ToUnixSeconds(revocation.CreationTime);
            int reason = (int?)revocation.GetHashedSubPackets()?.GetRevocationReason()?.GetRevocationReason() ?? 0;
            bool soft = reason is OpenPgp.RevocationReason.KeySuperseded or OpenPgp.RevocationReason.KeyRetired;
            if (!soft || when <= at)
            {
                return $"is revoked (revocation of {OpenPgp.FormatTime(when)})";
            }
        }

        return null;
    }

    /// <summary>
    /// Verdicts on self-signatures already checked: a key's validity is asked for at loading and again for each
    /// signature made, and each check makes BouncyCastle validate the RSA modulus anew (a probabilistic primality
    /// test: tens of milliseconds for a 3072-bit key).
    /// </summary>
    private static readonly ConditionalWeakTable<PgpSignature, StrongBox<bool>> s_verified = [];

    private static bool Verifies(PgpSignature signature, PgpPublicKey signer, Func<bool> verify)
    {
        if (s_verified.TryGetValue(signature, out StrongBox<bool>? known))
        {
            return known.Value;
        }

        bool verifies = VerifiesOnce(signature, signer, verify);
        s_verified.AddOrUpdate(signature, new StrongBox<bool>(verifies));
        return verifies;
    }

    private static bool VerifiesOnce(PgpSignature signature, PgpPublicKey signer, Func<bool> verify)
    {
        try
        {
            signature.InitVerify(signer);
            return verify();
        }
        catch (PgpException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
