using System.Security.Cryptography;
using System.Text;
using DkmsPack.Diagnostics;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace DkmsPack.Signing;

/// <summary>The public-key algorithms this engine signs with.</summary>
public enum SigningKeyAlgorithm
{
    /// <summary>RSA (algorithm 1 or 3), PKCS#1 v1.5 signatures; rpm stores them in RSAHEADER (268).</summary>
    Rsa,

    /// <summary>Ed25519 as EdDSA legacy (algorithm 22); rpm 4.18+ stores them in DSAHEADER (267).</summary>
    Ed25519,
}

/// <summary>
/// An OpenPGP v4 secret key, unlocked and ready to sign: the signing-capable subkey valid at the signature time
/// (the newest, when several are), else the primary key when it may sign. Load it with <see cref="Load"/>;
/// dispose it when done. Every failure is a <see cref="DkmsPackException"/> with one line that names the key by
/// its ID and never shows key material or the passphrase.
/// </summary>
public sealed class SigningKey : IDisposable
{
    /// <summary>The option key (<see cref="OptionRef"/>) that gives the key.</summary>
    public const string KeyOption = "signing-key";

    /// <summary>The option key (<see cref="OptionRef"/>) that gives its passphrase.</summary>
    public const string PassphraseOption = "signing-passphrase";

    private const string ExportRemedy = "export it with `gpg --export-secret-keys --armor KEYID` (or --export-secret-subkeys)";

    private readonly string? _origin;
    private readonly PgpPublicKey _primary;
    private readonly PgpPublicKey _signer;
    private readonly List<PgpPublicKey> _publicKeys;
    private PgpPrivateKey? _privateKey;

    private SigningKey(string? origin, PgpPublicKey primary, PgpPublicKey signer, List<PgpPublicKey> publicKeys, PgpPrivateKey privateKey, SigningKeyAlgorithm algorithm)
    {
        _origin = origin;
        _primary = primary;
        _signer = signer;
        _publicKeys = publicKeys;
        _privateKey = privateKey;
        Algorithm = algorithm;
    }

    /// <summary>RSA or Ed25519.</summary>
    public SigningKeyAlgorithm Algorithm { get; }

    /// <summary>The modulus size for RSA, 256 for Ed25519.</summary>
    public int KeyBits => _signer.BitStrength;

    /// <summary>The 64-bit key ID of the key that signs (the subkey when one signs), as 16 upper-case hex digits.</summary>
    public string KeyId => OpenPgp.KeyIdHex(_signer.KeyId);

    /// <summary>The v4 fingerprint of the key that signs, 40 upper-case hex digits.</summary>
    public string Fingerprint => OpenPgp.Hex(_signer.GetFingerprint());

    /// <summary>The v4 fingerprint of the primary key (what <c>gpg --list-keys</c> and apt show).</summary>
    public string PrimaryFingerprint => OpenPgp.Hex(_primary.GetFingerprint());

    /// <summary>True when a subkey signs rather than the primary key.</summary>
    public bool IsSubkey => _signer != _primary;

    /// <summary>The user IDs of the primary key, e.g. <c>Name &lt;mail&gt;</c>.</summary>
    public IReadOnlyList<string> UserIds => [.. _primary.GetUserIds()];

    /// <summary>
    /// Reads a transferable secret key (<c>gpg --export-secret-keys</c>, armoured or binary), chooses the key that
    /// may sign at <paramref name="signatureTime"/> (Unix seconds, e.g. SOURCE_DATE_EPOCH) and unlocks it with
    /// <paramref name="passphrase"/> (empty: none). <paramref name="origin"/> names the key's source in
    /// diagnostics (its file, or <c>DKMSPACK_SIGNING_KEY</c>).
    /// </summary>
    public static SigningKey Load(ReadOnlySpan<byte> key, ReadOnlySpan<char> passphrase, long signatureTime, string? origin)
    {
        byte[] binary = Dearmor(key, origin);
        using OwnRsaKeyScope ownKey = OwnRsaKeyScope.Enter();
        try
        {
            PgpSecretKeyRing ring = ParseRing(binary, origin);
            var publicKeys = ring.GetPublicKeys().ToList();
            PgpPublicKey primary = ring.GetPublicKey();
            (PgpSecretKey secret, SigningKeyAlgorithm algorithm) = Choose(ring, primary, signatureTime, origin);
            PgpPrivateKey privateKey = Unlock(secret, passphrase, origin);
            return new SigningKey(origin, primary, secret.PublicKey, publicKeys, privateKey, algorithm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(binary);
        }
    }

    /// <summary>
    /// A detached v4 signature of the concatenation of <paramref name="parts"/> (read to their ends) as one binary
    /// packet (type 0x00, SHA-256; hashed: creation time, issuer fingerprint; unhashed: issuer key ID), the form
    /// rpm's signature header and <c>gpg --detach-sign</c> use. Same key, data and time give the same bytes.
    /// </summary>
    public byte[] SignDetached(long creationTime, params ReadOnlySpan<Stream> parts)
    {
        PgpPrivateKey privateKey = UsableKeyAt(creationTime);
        using IncrementalHash hash = V4Signature.CreateHash();
        SignedData.Feed(parts, hash.AppendData);
        return Sign(OpenPgp.SignatureType.BinaryDocument, creationTime, privateKey, hash);
    }

    /// <summary>As <see cref="SignDetached(long, ReadOnlySpan{Stream})"/>, of bytes in memory.</summary>
    public byte[] SignDetached(long creationTime, ReadOnlySpan<byte> data)
    {
        PgpPrivateKey privateKey = UsableKeyAt(creationTime);
        using IncrementalHash hash = V4Signature.CreateHash();
        hash.AppendData(data);
        return Sign(OpenPgp.SignatureType.BinaryDocument, creationTime, privateKey, hash);
    }

    /// <summary>As <see cref="SignDetached(long, ReadOnlySpan{Stream})"/>, ASCII-armoured (<c>gpg --armor --detach-sign</c>, for <c>.asc</c> files).</summary>
    public string SignDetachedArmored(long creationTime, params ReadOnlySpan<Stream> parts) =>
        OpenPgpArmor.Encode(SignDetached(creationTime, parts), OpenPgpArmor.SignatureLabel);

    /// <summary>
    /// <paramref name="text"/> in the cleartext signature framework (RFC 9580 §7, <c>gpg --clearsign</c>), as an
    /// APT <c>InRelease</c> file is: a canonical-text signature (type 0x01) over the dash-escaped lines.
    /// </summary>
    public string ClearSign(string text, long creationTime)
    {
        ArgumentNullException.ThrowIfNull(text);
        PgpPrivateKey privateKey = UsableKeyAt(creationTime);
        using IncrementalHash hash = V4Signature.CreateHash();
        hash.AppendData(ClearSignedText.CanonicalBytes(text));
        return ClearSignedText.Frame(text, Sign(OpenPgp.SignatureType.CanonicalText, creationTime, privateKey, hash));
    }

    /// <summary>
    /// The transferable public key (primary, user IDs, subkeys and their signatures) as binary packets: a keyring
    /// file for <c>gpgv --keyring</c> and for apt's <c>Signed-By</c> (a <c>.gpg</c> file).
    /// </summary>
    public byte[] ExportPublicKey()
    {
        using var output = new MemoryStream();
        foreach (PgpPublicKey key in _publicKeys)
        {
            key.Encode(output);
        }

        return output.ToArray();
    }

    /// <summary>As <see cref="ExportPublicKey"/>, ASCII-armoured (<c>KEY.asc</c>; apt takes <c>.asc</c> in Signed-By too).</summary>
    public string ExportPublicKeyArmored() => OpenPgpArmor.Encode(ExportPublicKey(), OpenPgpArmor.PublicKeyLabel);

    /// <summary>Drops the unlocked private key (BouncyCastle's big integers cannot be wiped; they are left to the collector).</summary>
    public void Dispose() => _privateKey = null;

    /// <summary>The private key, once the signature time is one OpenPGP can carry and the key may sign at it (checked before any data is read).</summary>
    private PgpPrivateKey UsableKeyAt(long creationTime)
    {
        PgpPrivateKey privateKey = _privateKey ?? throw new ObjectDisposedException(nameof(SigningKey));
        if (creationTime is < 0 or > uint.MaxValue)
        {
            throw DkmsPackException.Options($"the signature time {creationTime.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside the range of OpenPGP timestamps (0 to 2^32-1 seconds)");
        }

        KeyStatus status;
        using (OwnRsaKeyScope.Enter())
        {
            status = KeyValidity.Evaluate(_primary, _signer, creationTime);
        }

        if (!status.IsUsable)
        {
            throw KeyError(_origin, _signer, status);
        }

        return privateKey;
    }

    /// <summary>
    /// Completes the signature over what <paramref name="hash"/> holds. RFC 9580 §5.2.3.11 (creation time, 2) and
    /// §5.2.3.35 (issuer fingerprint, 33) hashed; §5.2.3.12 (issuer key ID, 16) unhashed and not critical, where rpm
    /// 4.16 and older look for the key.
    /// </summary>
    private byte[] Sign(int signatureType, long creationTime, PgpPrivateKey privateKey, IncrementalHash hash) =>
        V4Signature.Create(signatureType, creationTime, _signer, privateKey, Algorithm, hash);

    private static byte[] Dearmor(ReadOnlySpan<byte> key, string? origin)
    {
        if (!OpenPgpArmor.LooksArmored(key))
        {
            return key.ToArray();
        }

        string text = Encoding.UTF8.GetString(key);
        if (!OpenPgpArmor.TryDecode(text, out string label, out byte[] packets, out string? error))
        {
            throw DkmsPackException.Input(origin, $"is not a readable ASCII-armoured OpenPGP key ({error})", ExportRemedy);
        }

        if (string.Equals(label, OpenPgpArmor.PublicKeyLabel, StringComparison.Ordinal))
        {
            Array.Clear(packets);
            throw PublicKeyGiven(origin);
        }

        if (!string.Equals(label, OpenPgpArmor.PrivateKeyLabel, StringComparison.Ordinal) && !string.Equals(label, "PGP SECRET KEY BLOCK", StringComparison.Ordinal))
        {
            Array.Clear(packets);
            throw DkmsPackException.Input(origin, $"holds a \"{label}\" block, not an OpenPGP secret key", ExportRemedy);
        }

        return packets;
    }

    private static PgpSecretKeyRing ParseRing(byte[] binary, string? origin)
    {
        List<PacketInfo> packets = PacketScanner.Scan(binary)
            ?? throw DkmsPackException.Input(origin, "is not an OpenPGP key (neither ASCII armour nor binary OpenPGP packets)", ExportRemedy);
        PacketInfo first = packets[0];
        if (!first.IsPrimaryKey)
        {
            throw DkmsPackException.Input(origin, "is OpenPGP data but not a key (it does not start with a key packet)", ExportRemedy);
        }

        foreach (PacketInfo packet in packets.Where(p => p.IsKey))
        {
            int version = PacketScanner.VersionOf(binary, packet);
            if (version != OpenPgp.PacketVersion.V4)
            {
                string which = version == OpenPgp.PacketVersion.V6 ? "a version 6 (RFC 9580) key" : $"a version {version.ToString(System.Globalization.CultureInfo.InvariantCulture)} key";
                throw DkmsPackException.Input(origin, $"holds {which}; dkmspack signs with OpenPGP version 4 keys, the kind gpg 2.2, apt and rpm 4 verify", "create an RSA or Ed25519 key with gpg 2.2 or later");
            }
        }

        if (first.Tag == OpenPgp.PacketTag.PublicKey)
        {
            throw PublicKeyGiven(origin);
        }

        int secretKeys = packets.Count(p => p.Tag == OpenPgp.PacketTag.SecretKey);
        if (secretKeys > 1)
        {
            throw DkmsPackException.Input(origin, $"holds {secretKeys.ToString(System.Globalization.CultureInfo.InvariantCulture)} secret keys, and signing needs exactly one", "export only the key to sign with: gpg --export-secret-keys --armor KEYID");
        }

        try
        {
            return new PgpSecretKeyRing(binary);
        }
        catch (Exception ex) when (ex is IOException or PgpException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // The exception's text may quote packet contents: it is not shown, nor kept as the inner exception.
            throw DkmsPackException.Input(origin, "is an OpenPGP secret key that cannot be read (damaged, or a form dkmspack does not know)", ExportRemedy);
        }
    }

    private static (PgpSecretKey Secret, SigningKeyAlgorithm Algorithm) Choose(PgpSecretKeyRing ring, PgpPublicKey primary, long signatureTime, string? origin)
    {
        // The newest signing subkey valid at the signature time, as gpg chooses; else the primary key.
        var candidates = ring.GetSecretKeys().Where(k => !k.IsMasterKey).OrderByDescending(k => k.PublicKey.CreationTime).ToList();
        candidates.AddRange(ring.GetSecretKeys().Where(k => k.IsMasterKey));
        (PgpSecretKey Key, KeyStatus Status)? firstRejected = null;
        bool sawStub = false;
        foreach (PgpSecretKey candidate in candidates)
        {
            KeyStatus status = KeyValidity.Evaluate(primary, candidate.PublicKey, signatureTime);
            if (status.IsUsable && candidate.IsPrivateKeyEmpty)
            {
                sawStub = true;
                continue;
            }

            if (status.IsUsable)
            {
                return (candidate, KeyValidity.AlgorithmOf(candidate.PublicKey, out _)!.Value);
            }

            // Remember the most telling refusal: a signing key that is expired, revoked or of another
            // algorithm says more than a key that was never meant to sign.
            if (status.Problem != KeyProblem.NotForSigning && (firstRejected is null || firstRejected.Value.Status.Problem == KeyProblem.NotForSigning))
            {
                firstRejected = (candidate, status);
            }
            else
            {
                firstRejected ??= (candidate, status);
            }
        }

        if (firstRejected is { } rejected && rejected.Status.Problem != KeyProblem.NotForSigning)
        {
            throw KeyError(origin, rejected.Key.PublicKey, rejected.Status);
        }

        if (sawStub)
        {
            throw DkmsPackException.Input(origin, $"holds no secret part of its signing key (key {OpenPgp.KeyIdHex(primary.KeyId)}: a stub for an offline key or a smartcard)", "export the signing subkey's secret part: gpg --export-secret-subkeys --armor KEYID!");
        }

        throw DkmsPackException.Input(origin, $"has no key that may sign (key {OpenPgp.KeyIdHex(primary.KeyId)}: no signing subkey, and the primary key is not for signing)", "add a signing subkey: gpg --quick-add-key FINGERPRINT rsa3072 sign");
    }

    private static PgpPrivateKey Unlock(PgpSecretKey secret, ReadOnlySpan<char> passphrase, string? origin)
    {
        string keyId = OpenPgp.KeyIdHex(secret.KeyId);
        bool isProtected = secret.KeyEncryptionAlgorithm != SymmetricKeyAlgorithmTag.Null;
        if (isProtected && passphrase.IsEmpty)
        {
            throw DkmsPackException.Input(origin, $"the signing key {keyId} is protected by a passphrase, and none was given", $"give it with {OptionRef.To(PassphraseOption)}");
        }

        // gpg turns the passphrase into UTF-8 octets for the S2K (RFC 9580 §3.7); the copy is wiped after use.
        byte[] raw = isProtected ? new byte[Encoding.UTF8.GetByteCount(passphrase)] : [];
        try
        {
            if (isProtected)
            {
                Encoding.UTF8.GetBytes(passphrase, raw);
            }

            return secret.ExtractPrivateKeyRaw(raw)
                ?? throw DkmsPackException.Input(origin, $"holds no secret part of the signing key {keyId}", ExportRemedy);
        }
        catch (PgpException)
        {
            // A wrong passphrase shows as a failed checksum of the decrypted key (RFC 9580 §5.5.3).
            throw DkmsPackException.Input(origin, $"the passphrase for the signing key {keyId} is wrong (or the key is damaged)", $"check {OptionRef.To(PassphraseOption)}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    private static DkmsPackException PublicKeyGiven(string? origin) =>
        DkmsPackException.Input(origin, "holds a public key, and signing needs the secret key", $"pass {OptionRef.To(KeyOption)} the output of `gpg --export-secret-keys --armor KEYID`");

    internal static DkmsPackException KeyError(string? origin, PgpPublicKey key, KeyStatus status)
    {
        string keyId = OpenPgp.KeyIdHex(key.KeyId);
        return status.Problem switch
        {
            KeyProblem.UnsupportedAlgorithm => DkmsPackException.Input(origin, $"the signing key {keyId} uses {status.Detail}; dkmspack signs with RSA ({OpenPgp.MinimumRsaBits} bits or more) or Ed25519 (EdDSA) keys", "create one: gpg --quick-gen-key 'NAME <MAIL>' rsa3072 sign (or ed25519)"),
            KeyProblem.Expired => DkmsPackException.Input(origin, $"the signing key {keyId} {status.Detail}", "extend it (gpg --quick-set-expire) and export it again, or sign at a time when it was valid (SOURCE_DATE_EPOCH)"),
            KeyProblem.Revoked => DkmsPackException.Input(origin, $"the signing key {keyId} {status.Detail}", "sign with another key"),
            KeyProblem.CreatedLater => DkmsPackException.Input(origin, $"the signing key {keyId} {status.Detail}", "sign at a later time (SOURCE_DATE_EPOCH), or with an older key"),
            _ => DkmsPackException.Input(origin, $"the key {keyId} {status.Detail}", "sign with a key that has a signing subkey"),
        };
    }
}
