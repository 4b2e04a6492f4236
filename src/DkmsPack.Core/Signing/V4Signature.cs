using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;

namespace DkmsPack.Signing;

/// <summary>
/// Makes one OpenPGP v4 signature packet (RFC 9580 §5.2.3) with SHA-256: hashed subpackets creation time and issuer
/// fingerprint, unhashed the issuer key ID. The data is hashed by the platform's SHA-256 (OpenSSL on Linux, with the
/// CPU's SHA instructions), an order of magnitude faster than a managed digest on a package of many megabytes, and so
/// is the RSA private-key operation; BouncyCastle's Ed25519 signs the 32-byte digest. Same key, data and time give the same bytes.
/// </summary>
internal static class V4Signature
{
    private const int Version = 4;

    /// <summary>The hash trailer's marker after the version (RFC 9580 §5.2.4: 0x04 0xFF, then the hashed length).</summary>
    private const byte TrailerMarker = 0xFF;

    /// <summary>The hash trailer: version, marker and the four-octet length of the hashed part.</summary>
    private const int TrailerLength = 2 + sizeof(uint);

    /// <summary>Old-format packet header (RFC 9580 §4.2.2) as gpg writes signatures: tag in bits 5-2, length type in bits 1-0.</summary>
    private const byte OldFormatBit = 0x80;
    private const int OldFormatTagShift = 2;
    private const byte OneOctetLength = 0;
    private const byte TwoOctetLength = 1;

    /// <summary>The hash the signed data goes into before <see cref="Create"/>: SHA-256, the only one dkmspack signs with.</summary>
    public static IncrementalHash CreateHash() => IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Signs the data <paramref name="hash"/> (from <see cref="CreateHash"/>) has taken in; returns the packet, header included.</summary>
    public static byte[] Create(int signatureType, long creationTime, PgpPublicKey signer, PgpPrivateKey privateKey, SigningKeyAlgorithm algorithm, IncrementalHash hash)
    {
        byte[] hashedPart = HashedPart(signatureType, (int)signer.Algorithm, creationTime, signer.GetFingerprint());
        hash.AppendData(hashedPart);
        Span<byte> trailer = stackalloc byte[TrailerLength];
        trailer[0] = Version;
        trailer[1] = TrailerMarker;
        BinaryPrimitives.WriteUInt32BigEndian(trailer[2..], (uint)hashedPart.Length);
        hash.AppendData(trailer);
        byte[] digest = hash.GetHashAndReset();

        using var body = new MemoryStream();
        body.Write(hashedPart);
        byte[] issuerKeyId = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(issuerKeyId, unchecked((ulong)signer.KeyId));
        byte[] unhashed = Subpacket(OpenPgp.SubpacketType.IssuerKeyId, issuerKeyId);
        WriteUInt16(body, unhashed.Length);
        body.Write(unhashed);
        body.Write(digest.AsSpan(0, 2));
        foreach (byte[] value in SignatureValues(algorithm, privateKey.Key, digest))
        {
            WriteMpi(body, value);
        }

        return Packet(OpenPgp.PacketTag.Signature, body.ToArray());
    }

    /// <summary>Version, type, algorithms and the hashed subpackets: the part of the packet the signature covers.</summary>
    private static byte[] HashedPart(int signatureType, int publicKeyAlgorithm, long creationTime, byte[] fingerprint)
    {
        byte[] time = new byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(time, checked((uint)creationTime));
        byte[] issuer = [Version, .. fingerprint];
        byte[] subpackets = [.. Subpacket(OpenPgp.SubpacketType.CreationTime, time), .. Subpacket(OpenPgp.SubpacketType.IssuerFingerprint, issuer)];
        using var part = new MemoryStream();
        part.WriteByte(Version);
        part.WriteByte(checked((byte)signatureType));
        part.WriteByte(checked((byte)publicKeyAlgorithm));
        part.WriteByte(OpenPgp.HashAlgorithm.Sha256);
        WriteUInt16(part, subpackets.Length);
        part.Write(subpackets);
        return part.ToArray();
    }

    /// <summary>RSA: s = PKCS#1 v1.5 of the DigestInfo (RFC 9580 §5.2.2). EdDSA legacy: R and S of Ed25519 over the digest (§5.2.3.3).</summary>
    private static IEnumerable<byte[]> SignatureValues(SigningKeyAlgorithm algorithm, AsymmetricKeyParameter key, byte[] digest)
    {
        if (algorithm == SigningKeyAlgorithm.Rsa)
        {
            // PKCS#1 v1.5 is deterministic, so the platform's RSA (OpenSSL on Linux) gives the bytes BouncyCastle's
            // would, several times faster: on a 3072-bit key its managed arithmetic took longer than packaging a
            // small tree.
            using RSA rsa = PlatformRsa((RsaPrivateCrtKeyParameters)key);
            return [rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)];
        }

        var ed25519 = new Ed25519Signer();
        ed25519.Init(forSigning: true, (Ed25519PrivateKeyParameters)key);
        ed25519.BlockUpdate(digest, 0, digest.Length);
        byte[] signature = ed25519.GenerateSignature();
        int half = signature.Length / 2;
        return [signature[..half], signature[half..]];
    }

    /// <summary>
    /// The unlocked OpenPGP RSA key (n, e, d, p, q and the CRT values BouncyCastle derives) as the platform's key.
    /// The platform wants d as long as n and the CRT values half as long, zero-padded (RSAParameters); the copies of
    /// the secret values are wiped once imported.
    /// </summary>
    private static RSA PlatformRsa(RsaPrivateCrtKeyParameters key)
    {
        byte[] modulus = key.Modulus.ToByteArrayUnsigned();
        int half = (modulus.Length + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = modulus,
            Exponent = key.PublicExponent.ToByteArrayUnsigned(),
            D = BigIntegers.AsUnsignedByteArray(modulus.Length, key.Exponent),
            P = BigIntegers.AsUnsignedByteArray(half, key.P),
            Q = BigIntegers.AsUnsignedByteArray(half, key.Q),
            DP = BigIntegers.AsUnsignedByteArray(half, key.DP),
            DQ = BigIntegers.AsUnsignedByteArray(half, key.DQ),
            InverseQ = BigIntegers.AsUnsignedByteArray(half, key.QInv),
        };

        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            foreach (byte[]? secret in (byte[]?[])[parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ])
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }

    /// <summary>A subpacket with a one-octet length (RFC 9580 §5.2.3.7): every one written here is shorter than 192.</summary>
    private static byte[] Subpacket(int type, byte[] data) => [checked((byte)(data.Length + 1)), checked((byte)type), .. data];

    /// <summary>A multiprecision integer (RFC 9580 §3.2): the bit count, then the big-endian value without leading zeros.</summary>
    private static void WriteMpi(Stream output, byte[] value)
    {
        int start = 0;
        while (start < value.Length && value[start] == 0)
        {
            start++;
        }

        int bits = start == value.Length ? 0 : ((value.Length - start - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[start]));
        WriteUInt16(output, bits);
        output.Write(value.AsSpan(start));
    }

    private static byte[] Packet(int tag, byte[] body)
    {
        byte lengthType = body.Length <= byte.MaxValue ? OneOctetLength : TwoOctetLength;
        var packet = new List<byte>(body.Length + 3) { (byte)(OldFormatBit | (tag << OldFormatTagShift) | lengthType) };
        if (lengthType == OneOctetLength)
        {
            packet.Add((byte)body.Length);
        }
        else
        {
            packet.Add(checked((byte)(body.Length >> 8)));
            packet.Add((byte)(body.Length & 0xFF));
        }

        packet.AddRange(body);
        return [.. packet];
    }

    private static void WriteUInt16(Stream output, int value)
    {
        output.WriteByte(checked((byte)(value >> 8)));
        output.WriteByte((byte)(value & 0xFF));
    }
}
