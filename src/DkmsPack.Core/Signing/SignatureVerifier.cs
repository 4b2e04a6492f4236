using System.Text;
using DkmsPack.Diagnostics;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace DkmsPack.Signing;

/// <summary>
/// What <see cref="SignatureVerifier"/> found. <see cref="IsValid"/> is true only when the signature verifies
/// over the data with a key of the keyring that was valid for signing at <see cref="CreationTime"/>;
/// otherwise <see cref="Problem"/> says why. The other fields are what the signature claims, filled as far as
/// the signature could be read (the key fields once its issuer was found in the keyring).
/// </summary>
public sealed record SignatureCheck(
    bool IsValid,
    string? Problem,
    string? KeyId,
    string? Fingerprint,
    string? PrimaryFingerprint,
    string PublicKeyAlgorithm,
    string HashAlgorithm,
    long CreationTime,
    int SignatureType)
{
    /// <summary>True when the problem is that no key of the keyring made the signature (its issuer is not there).</summary>
    public bool IsKeyMissing { get; init; }

    /// <summary>True when the key was found and usable, and the signature does not match the data (BAD signature).</summary>
    public bool IsMismatch { get; init; }
}

/// <summary>
/// Verifies v4 signatures of the kinds <see cref="SigningKey"/> makes: detached binary-document signatures
/// (binary or armoured) and clear-signed text, against a public keyring (binary or armoured, one or more keys).
/// Unreadable input throws a <see cref="DkmsPackException"/>; a signature that does not hold is a result with
/// <see cref="SignatureCheck.IsValid"/> false.
/// </summary>
public static class SignatureVerifier
{
    /// <summary>Checks a detached signature of the concatenation of <paramref name="data"/> (each read to its end).</summary>
    public static SignatureCheck VerifyDetached(ReadOnlySpan<byte> publicKeys, ReadOnlySpan<byte> signature, IReadOnlyList<Stream> data, string? keyOrigin = null, string? signatureOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        PgpPublicKeyRingBundle keyring = ReadKeyring(publicKeys, keyOrigin);
        byte[] packets = Unarmor(signature, OpenPgpArmor.SignatureLabel, signatureOrigin, "signature");
        PgpSignature parsed = ReadSignature(packets, signatureOrigin);
        return Check(keyring, parsed, OpenPgp.SignatureType.BinaryDocument, sig => SignedData.Feed([.. data], sig.Update));
    }

    /// <summary>
    /// Checks a clear-signed message (<c>InRelease</c>) and returns the signed text in <paramref name="text"/>
    /// (what the signature covers: its lines without trailing blanks, each ending in LF, dash-escaping undone).
    /// </summary>
    public static SignatureCheck VerifyClearSigned(ReadOnlySpan<byte> publicKeys, string message, out string text, string? keyOrigin = null, string? messageOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        PgpPublicKeyRingBundle keyring = ReadKeyring(publicKeys, keyOrigin);
        if (!ClearSignedText.TryParse(message, out string[] lines, out byte[] packets, out string? error))
        {
            throw DkmsPackException.Input(messageOrigin, $"is not a clear-signed OpenPGP message ({error})");
        }

        text = string.Concat(lines.Select(l => ClearSignedText.WithoutTrailingBlanks(l) + "\n"));
        PgpSignature parsed = ReadSignature(packets, messageOrigin);
        byte[] canonical = ClearSignedText.CanonicalBytes(lines);
        return Check(keyring, parsed, OpenPgp.SignatureType.CanonicalText, sig => sig.Update(canonical));
    }

    private static SignatureCheck Check(PgpPublicKeyRingBundle keyring, PgpSignature signature, int expectedType, Action<PgpSignature> feed)
    {
        long created = OpenPgp.ToUnixSeconds(signature.CreationTime);
        string hash = HashName(signature.HashAlgorithm);
        string algorithm = KeyValidity.AlgorithmName((int)signature.KeyAlgorithm);
        var result = new SignatureCheck(false, null, OpenPgp.KeyIdHex(signature.KeyId), null, null, algorithm, hash, created, signature.SignatureType);

        if (signature.Version != OpenPgp.PacketVersion.V4)
        {
            return result with { Problem = $"a version {signature.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)} signature (only version 4 is checked)" };
        }

        if (signature.SignatureType != expectedType)
        {
            return result with { Problem = $"a signature of type 0x{signature.SignatureType.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)}, where 0x{expectedType.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)} was expected" };
        }

        if ((int)signature.HashAlgorithm is not (OpenPgp.HashAlgorithm.Sha256 or OpenPgp.HashAlgorithm.Sha384 or OpenPgp.HashAlgorithm.Sha512))
        {
            return result with { Problem = $"the hash {hash} is not accepted (SHA-256, SHA-384 or SHA-512 are)" };
        }

        byte[]? issuerFingerprint = signature.GetHashedSubPackets()?.GetIssuerFingerprint() is { KeyVersion: OpenPgp.PacketVersion.V4 } fp ? fp.GetFingerprint() : null;
        PgpPublicKey? key = keyring.GetPublicKey(signature.KeyId);
        if (key is null || (issuerFingerprint is not null && !issuerFingerprint.AsSpan().SequenceEqual(key.GetFingerprint())))
        {
            string who = issuerFingerprint is not null ? OpenPgp.Hex(issuerFingerprint) : result.KeyId!;
            return result with { Problem = $"the signing key {who} is not in the keyring", IsKeyMissing = true };
        }

        PgpPublicKey primary = keyring.GetPublicKeyRing(signature.KeyId).GetPublicKey();
        result = result with { Fingerprint = OpenPgp.Hex(key.GetFingerprint()), PrimaryFingerprint = OpenPgp.Hex(primary.GetFingerprint()) };
        if ((int)signature.KeyAlgorithm != (int)key.Algorithm)
        {
            return result with { Problem = "the signature's algorithm is not the key's" };
        }

        KeyStatus status = KeyValidity.Evaluate(primary, key, created);
        if (!status.IsUsable)
        {
            return result with { Problem = $"the signing key {result.KeyId} {status.Detail}" };
        }

        bool good;
        try
        {
            signature.InitVerify(key);
            feed(signature);
            good = signature.Verify();
        }
        catch (PgpException)
        {
            good = false;
        }

        return good ? result with { IsValid = true } : result with { Problem = "the signature does not match the data (BAD signature)", IsMismatch = true };
    }

    /// <summary>Reads a public keyring (binary, or the first armoured block), refusing garbage and secret keys.</summary>
    internal static PgpPublicKeyRingBundle ReadKeyring(ReadOnlySpan<byte> publicKeys, string? origin)
    {
        byte[] binary = Unarmor(publicKeys, OpenPgpArmor.PublicKeyLabel, origin, "public key");
        if (PacketScanner.Scan(binary) is not { } packets || !packets[0].IsPrimaryKey)
        {
            throw DkmsPackException.Input(origin, "is not an OpenPGP public key (neither ASCII armour nor binary OpenPGP packets)");
        }

        if (packets[0].Tag == OpenPgp.PacketTag.SecretKey)
        {
            throw DkmsPackException.Input(origin, "holds a secret key; verification takes the public key", "export it with `gpg --export --armor KEYID`");
        }

        try
        {
            return new PgpPublicKeyRingBundle(binary);
        }
        catch (Exception ex) when (ex is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw DkmsPackException.Input(origin, "is an OpenPGP public key that cannot be read (damaged, or a form dkmspack does not know)", inner: ex);
        }
    }

    private static PgpSignature ReadSignature(byte[] packets, string? origin)
    {
        if (PacketScanner.Scan(packets) is not { } scanned || scanned[0].Tag != OpenPgp.PacketTag.Signature)
        {
            throw DkmsPackException.Input(origin, "is not an OpenPGP signature");
        }

        try
        {
            if (new PgpObjectFactory(packets).NextPgpObject() is PgpSignatureList { Count: > 0 } list)
            {
                return list[0];
            }
        }
        catch (Exception ex) when (ex is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw DkmsPackException.Input(origin, "is an OpenPGP signature that cannot be read", inner: ex);
        }

        throw DkmsPackException.Input(origin, "is not an OpenPGP signature");
    }

    private static byte[] Unarmor(ReadOnlySpan<byte> input, string expectedLabel, string? origin, string what)
    {
        if (!OpenPgpArmor.LooksArmored(input))
        {
            return input.ToArray();
        }

        if (!OpenPgpArmor.TryDecode(Encoding.UTF8.GetString(input), out string label, out byte[] packets, out string? error))
        {
            throw DkmsPackException.Input(origin, $"is not a readable ASCII-armoured OpenPGP {what} ({error})");
        }

        if (!string.Equals(label, expectedLabel, StringComparison.Ordinal))
        {
            throw DkmsPackException.Input(origin, $"holds a \"{label}\" block, not an OpenPGP {what}");
        }

        return packets;
    }

    private static string HashName(HashAlgorithmTag hash) => (int)hash switch
    {
        OpenPgp.HashAlgorithm.Sha256 => "SHA256",
        OpenPgp.HashAlgorithm.Sha384 => "SHA384",
        OpenPgp.HashAlgorithm.Sha512 => "SHA512",
        _ => hash.ToString(),
    };
}
