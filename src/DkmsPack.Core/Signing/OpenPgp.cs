namespace DkmsPack.Signing;

/// <summary>
/// The OpenPGP numbers this engine reads and writes, named. Section numbers are those of RFC 9580 (which
/// obsoletes RFC 4880 and keeps v4 packets as they were); RFC 4880's section is given where it differs.
/// </summary>
internal static class OpenPgp
{
    /// <summary>Packet tags (RFC 9580 §5, table 3; RFC 4880 §4.3).</summary>
    internal static class PacketTag
    {
        public const int Signature = 2;
        public const int SecretKey = 5;
        public const int PublicKey = 6;
        public const int SecretSubkey = 7;
        public const int PublicSubkey = 14;
    }

    /// <summary>
    /// The version octet that opens a key packet (RFC 9580 §5.5.2) or a signature packet (§5.2.3): v4 is the
    /// only one written and read here.
    /// </summary>
    internal static class PacketVersion
    {
        public const int V4 = 4;

        /// <summary>RFC 9580 §5.5.2.3: v6 keys, which gpg 2.2/2.4, rpm 4 and apt's gpgv do not read.</summary>
        public const int V6 = 6;
    }

    /// <summary>Public-key algorithm IDs (RFC 9580 §9.1; RFC 4880 §9.1; EdDSA legacy: RFC 9580 §9.1, id 22).</summary>
    internal static class PublicKeyAlgorithm
    {
        public const int RsaEncryptOrSign = 1;
        public const int RsaSignOnly = 3;
        public const int ElGamalEncryptOnly = 16;
        public const int Dsa = 17;
        public const int Ecdh = 18;
        public const int Ecdsa = 19;
        public const int ElGamalEncryptOrSign = 20;

        /// <summary>"EdDSALegacy" (RFC 9580 §5.5.5.5): Ed25519 as gpg 2.2+ and rpm 4.16+ know it.</summary>
        public const int EdDsaLegacy = 22;

        /// <summary>RFC 9580 §5.5.5.9: the new Ed25519 id, unknown to gpg 2.2 and rpm 4.</summary>
        public const int Ed25519 = 27;
    }

    /// <summary>Signature types (RFC 9580 §5.2.1).</summary>
    internal static class SignatureType
    {
        /// <summary>0x00: a signature of a binary document.</summary>
        public const int BinaryDocument = 0x00;

        /// <summary>0x01: a signature of a canonical text document (lines end in CR LF).</summary>
        public const int CanonicalText = 0x01;

        /// <summary>0x18: subkey binding signature.</summary>
        public const int SubkeyBinding = 0x18;

        /// <summary>0x1F: signature directly on a key.</summary>
        public const int DirectKey = 0x1F;

        /// <summary>0x20: key revocation signature.</summary>
        public const int KeyRevocation = 0x20;

        /// <summary>0x28: subkey revocation signature.</summary>
        public const int SubkeyRevocation = 0x28;
    }

    /// <summary>Key flags, the first octet of subpacket 27 (RFC 9580 §5.2.3.29).</summary>
    internal static class KeyFlag
    {
        public const int Sign = 0x02;
    }

    /// <summary>Reasons for revocation (RFC 9580 §5.2.3.31): 1 and 3 are "soft", effective from the revocation's time only.</summary>
    internal static class RevocationReason
    {
        public const int KeySuperseded = 1;
        public const int KeyRetired = 3;
    }

    /// <summary>Hash algorithm IDs (RFC 9580 §9.5).</summary>
    /// <summary>Signature subpacket types (RFC 9580 §5.2.3.7).</summary>
    internal static class SubpacketType
    {
        public const int CreationTime = 2;
        public const int IssuerKeyId = 16;
        public const int IssuerFingerprint = 33;
    }

    internal static class HashAlgorithm
    {
        public const int Sha256 = 8;
        public const int Sha384 = 9;
        public const int Sha512 = 10;
    }

    /// <summary>The curve OID of Ed25519 in an EdDSA legacy key (RFC 9580 §9.2, 1.3.6.1.4.1.11591.15.1).</summary>
    public const string Ed25519LegacyCurveOid = "1.3.6.1.4.1.11591.15.1";

    /// <summary>The smallest RSA modulus accepted for signing (RFC 9580 §12.4 asks implementations not to make smaller).</summary>
    public const int MinimumRsaBits = 2048;

    /// <summary>The largest RSA modulus accepted: gpg's own limit.</summary>
    public const int MaximumRsaBits = 16384;

    /// <summary>Key ID and fingerprint in the upper-case hex that gpg prints.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string KeyIdHex(long keyId) => unchecked((ulong)keyId).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A UTC instant, for messages, without the culture or time zone of the machine.</summary>
    public static string FormatTime(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static long ToUnixSeconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    public static DateTime FromUnixSeconds(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
}
