using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DkmsPack.Diagnostics;

namespace DkmsPack.Modules;

/// <summary>The public-key algorithms a module signature can use (the kernel verifies RSA and, since 5.13, ECDSA).</summary>
public enum ModuleSigningKeyAlgorithm
{
    /// <summary>RSA, PKCS#1 v1.5 signatures (what DKMS's mok.key and the kernel's default key are).</summary>
    Rsa,

    /// <summary>ECDSA on a NIST curve (CONFIG_MODULE_SIG_KEY_TYPE_ECDSA).</summary>
    Ecdsa,
}

/// <summary>
/// A private key and the X.509 certificate of its public key, ready to sign kernel modules as the kernel's
/// <c>scripts/sign-file</c> does. The key is PEM ("PRIVATE KEY" PKCS#8, "RSA PRIVATE KEY" PKCS#1, "EC PRIVATE KEY"
/// SEC 1) or DER; the certificate DER or PEM. Both may be one PEM file (the kernel's own signing_key.pem holds
/// both). DKMS's <c>/var/lib/dkms/mok.key</c> and <c>mok.pub</c> (a DER certificate) work as they are. Every
/// failure is a one-line <see cref="DkmsPackException"/> naming the file; no message ever shows key material.
/// </summary>
public sealed class ModuleSigningKey : IDisposable
{
    /// <summary>Key and certificate files are small; anything larger is not one (and is not read whole).</summary>
    public const int MaxFileBytes = 1 << 20;

    private const string KeyRemedy = "give the unencrypted private key in PEM or DER, e.g. DKMS's /var/lib/dkms/mok.key, or one made with `openssl req -new -x509 -nodes -newkey rsa:2048 -keyout mok.key -outform DER -out mok.der -subj '/CN=module signing key'`";
    private const string CertificateRemedy = "give the X.509 certificate (DER or PEM) made with the key, e.g. DKMS's /var/lib/dkms/mok.pub";

    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private RSA? _rsa;
    private ECDsa? _ecdsa;

    private ModuleSigningKey(RSA? rsa, ECDsa? ecdsa, CertificateFields certificate, string keyOrigin, string certificateOrigin)
    {
        _rsa = rsa;
        _ecdsa = ecdsa;
        Certificate = certificate;
        KeyOrigin = keyOrigin;
        CertificateOrigin = certificateOrigin;
    }

    /// <summary>RSA or ECDSA.</summary>
    public ModuleSigningKeyAlgorithm Algorithm => _rsa is not null ? ModuleSigningKeyAlgorithm.Rsa : ModuleSigningKeyAlgorithm.Ecdsa;

    /// <summary>The modulus size (RSA) or the curve's size (ECDSA), in bits.</summary>
    public int KeySize => (_rsa as AsymmetricAlgorithm ?? _ecdsa ?? throw new ObjectDisposedException(nameof(ModuleSigningKey))).KeySize;

    /// <summary>Where the private key came from (its file), for messages.</summary>
    public string KeyOrigin { get; }

    /// <summary>Where the certificate came from (its file), for messages.</summary>
    public string CertificateOrigin { get; }

    /// <summary>
    /// The issuer's common name: what <c>modinfo</c> shows as <c>signer</c> (the kernel names a CMS signer by
    /// the certificate's issuer and serial number). For DKMS's self-signed key, "DKMS module signing key".
    /// </summary>
    public string Signer => Certificate.IssuerCommonName;

    /// <summary>The certificate's serial number as <c>modinfo</c> shows <c>sig_key</c>: upper-case hex bytes joined by colons.</summary>
    public string SerialNumber => ColonHex(SerialMagnitude(Certificate.SerialNumber.Span));

    /// <summary>The certificate as DER (for a package that installs it for <c>mokutil --import</c>).</summary>
    public ReadOnlyMemory<byte> CertificateDer => Certificate.Der;

    /// <summary>True when the certificate has a subjectKeyIdentifier, which <see cref="ModuleSignerIdentifier.SubjectKeyIdentifier"/> needs.</summary>
    public bool HasSubjectKeyIdentifier => !Certificate.SubjectKeyIdentifier.IsEmpty;

    internal CertificateFields Certificate { get; }

    /// <summary>Reads the private key from <paramref name="keyPath"/> and the certificate from <paramref name="certificatePath"/> (may be the same PEM file).</summary>
    public static ModuleSigningKey Load(string keyPath, string certificatePath)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        ArgumentNullException.ThrowIfNull(certificatePath);
        byte[] key = ReadSmallFile(keyPath, "the module signing key", KeyRemedy);
        try
        {
            byte[] certificate = ReadSmallFile(certificatePath, "the module signing certificate", CertificateRemedy);
            return FromBytes(key, keyPath, certificate, certificatePath);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// As <see cref="Load"/>, from bytes; <paramref name="keyOrigin"/> and <paramref name="certificateOrigin"/>
    /// name them in messages (their files, or e.g. an environment variable).
    /// </summary>
    public static ModuleSigningKey FromBytes(ReadOnlySpan<byte> key, string keyOrigin, ReadOnlySpan<byte> certificate, string certificateOrigin)
    {
        ArgumentNullException.ThrowIfNull(keyOrigin);
        ArgumentNullException.ThrowIfNull(certificateOrigin);
        CertificateFields fields = ReadCertificate(certificate, certificateOrigin);
        (RSA? rsa, ECDsa? ecdsa) = ReadPrivateKey(key, keyOrigin);
        try
        {
            CheckKeyMatchesCertificate(rsa, ecdsa, fields, keyOrigin, certificateOrigin);
            var result = new ModuleSigningKey(rsa, ecdsa, fields, keyOrigin, certificateOrigin);
            rsa = null;
            ecdsa = null;
            return result;
        }
        finally
        {
            rsa?.Dispose();
            ecdsa?.Dispose();
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
        _rsa = null;
        _ecdsa = null;
    }

    /// <summary>
    /// Signs <paramref name="digest"/> (already hashed with <paramref name="hash"/>): RSA with PKCS#1 v1.5 (a
    /// DigestInfo, deterministic), ECDSA as a DER Ecdsa-Sig-Value (RFC 3279), as OpenSSL's CMS does.
    /// </summary>
    internal byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash)
    {
        if (_rsa is { } rsa)
        {
            return rsa.SignHash(digest, hash, RSASignaturePadding.Pkcs1);
        }

        ECDsa ecdsa = _ecdsa ?? throw new ObjectDisposedException(nameof(ModuleSigningKey));
        return ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    // An INTEGER's content, without the 0x00 that keeps a positive number's top bit clear: the number's magnitude,
    // as OpenSSL's ASN1_INTEGER (and so modinfo) holds it.
    private static ReadOnlySpan<byte> SerialMagnitude(ReadOnlySpan<byte> encodedInteger)
    {
        ReadOnlySpan<byte> content = AsnDecoder.ReadIntegerBytes(encodedInteger, AsnEncodingRules.BER, out _);
        return content.Length > 1 && content[0] == 0 ? content[1..] : content;
    }

    internal static string ColonHex(ReadOnlySpan<byte> bytes) =>
        string.Join(':', bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static byte[] ReadSmallFile(string path, string what, string remedy)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw DkmsPackException.Input(path, $"is {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes, too large for {what}", remedy);
            }

            byte[] bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Input(path, $"{what} cannot be read: {ex.Message}", remedy, inner: ex);
        }
    }

    // ---- The private key ----------------------------------------------------------------------------------

    private static (RSA? Rsa, ECDsa? Ecdsa) ReadPrivateKey(ReadOnlySpan<byte> key, string origin)
    {
        if (LooksLikePem(key))
        {
            char[] text = Encoding.ASCII.GetChars(key.ToArray());
            try
            {
                return ReadPemPrivateKey(text, origin);
            }
            finally
            {
                Array.Clear(text);
            }
        }

        return ReadDerPrivateKey(key, origin);
    }

    private static (RSA? Rsa, ECDsa? Ecdsa) ReadPemPrivateKey(ReadOnlySpan<char> text, string origin)
    {
        // PKCS#8 EncryptedPrivateKeyInfo, or OpenSSL's traditional form with RFC 1421 headers (Proc-Type,
        // DEK-Info), which PemEncoding does not parse at all. sign-file would ask for the passphrase (or take
        // KBUILD_SIGN_PIN); dkmspack does not hold passphrases for module keys.
        if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw DkmsPackException.Input(origin, "holds a private key encrypted with a passphrase, and module signing needs it unencrypted", "decrypt it into a file only you can read: openssl pkey -in KEY -out KEY.plain");
        }

        var labels = new List<string>();
        int position = 0;
        while (PemEncoding.TryFind(text[position..], out PemFields fields))
        {
            ReadOnlySpan<char> block = text[position..];
            string label = block[fields.Label].ToString();
            labels.Add(label);
            if (label is "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY")
            {
                byte[] der = new byte[fields.DecodedDataLength];
                try
                {
                    if (!Convert.TryFromBase64Chars(block[fields.Base64Data], der, out int written) || written != der.Length)
                    {
                        throw DkmsPackException.Input(origin, $"holds a \"{label}\" block that is not valid base64", KeyRemedy);
                    }

                    return label switch
                    {
                        "RSA PRIVATE KEY" => (ImportOrFail(origin, label, () => ImportRsaPkcs1(der)), null),
                        "EC PRIVATE KEY" => (null, ImportOrFail(origin, label, () => ImportEcSec1(der))),
                        _ => ReadPkcs8(der, origin),
                    };
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(der);
                }
            }

            position += fields.Location.End.Value;
        }

        if (labels.Count == 0)
        {
            throw DkmsPackException.Input(origin, "is PEM text without a complete BEGIN/END block", KeyRemedy);
        }

        string found = string.Join(", ", labels.Distinct(StringComparer.Ordinal).Select(l => $"\"{l}\""));
        throw DkmsPackException.Input(origin, $"holds no private key (only {found})", labels.Contains("CERTIFICATE") ? "this is the certificate; give the private key file as the key" : KeyRemedy);
    }

    private static (RSA? Rsa, ECDsa? Ecdsa) ReadDerPrivateKey(ReadOnlySpan<byte> der, string origin)
    {
        // PKCS#8 PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... };
        // PKCS#1 RSAPrivateKey ::= SEQUENCE { version INTEGER (0), modulus INTEGER, ... };
        // SEC 1 ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING, ... }.
        // The second element tells them apart.
        Asn1Tag second;
        try
        {
            var sequence = new AsnReader(der.ToArray(), AsnEncodingRules.BER).ReadSequence();
            sequence.ReadEncodedValue();
            second = sequence.PeekTag();
        }
        catch (AsnContentException)
        {
            throw DkmsPackException.Input(origin, "is neither a PEM private key nor a DER one (PKCS#8, PKCS#1 or SEC 1)", KeyRemedy);
        }

        byte[] copy = der.ToArray();
        try
        {
            if (second.HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return ReadPkcs8(copy, origin);
            }

            if (second.HasSameClassAndValue(Asn1Tag.Integer))
            {
                return (ImportOrFail(origin, "DER RSA private key", () => ImportRsaPkcs1(copy)), null);
            }

            if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                return (null, ImportOrFail(origin, "DER EC private key", () => ImportEcSec1(copy)));
            }

            throw DkmsPackException.Input(origin, "is DER data but not a private key (PKCS#8, PKCS#1 or SEC 1)", KeyRemedy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private static (RSA? Rsa, ECDsa? Ecdsa) ReadPkcs8(byte[] der, string origin)
    {
        string algorithm;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadEncodedValue(); // version
            algorithm = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw DkmsPackException.Input(origin, "holds a damaged PKCS#8 private key", KeyRemedy);
        }

        return algorithm switch
        {
            RsaEncryptionOid => (ImportOrFail(origin, "PKCS#8 RSA private key", () => ImportPkcs8<RSA>(RSA.Create(), der)), null),
            EcPublicKeyOid => (null, ImportOrFail(origin, "PKCS#8 EC private key", () => ImportPkcs8<ECDsa>(ECDsa.Create(), der))),
            _ => throw DkmsPackException.Input(origin, $"holds a private key of algorithm {algorithm}; the kernel verifies module signatures made with RSA or ECDSA keys", "make an RSA key: openssl req -new -x509 -nodes -newkey rsa:2048 …"),
        };
    }

    private static T ImportPkcs8<T>(T key, byte[] der)
        where T : AsymmetricAlgorithm => Imported(key, k => k.ImportPkcs8PrivateKey(der, out _));

    private static RSA ImportRsaPkcs1(byte[] der) => Imported(RSA.Create(), rsa => rsa.ImportRSAPrivateKey(der, out _));

    private static ECDsa ImportEcSec1(byte[] der) => Imported(ECDsa.Create(), ecdsa => ecdsa.ImportECPrivateKey(der, out _));

    /// <summary>The key after <paramref name="import"/>; disposed (its native handle freed) when the import fails.</summary>
    private static T Imported<T>(T key, Action<T> import)
        where T : AsymmetricAlgorithm
    {
        try
        {
            import(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static T ImportOrFail<T>(string origin, string what, Func<T> import)
    {
        try
        {
            return import();
        }
        catch (CryptographicException)
        {
            // The exception's message may describe the key's content; say only what kind of key failed.
            throw DkmsPackException.Input(origin, $"holds a {what} that cannot be read (damaged, or a curve or form this system's OpenSSL does not support)", KeyRemedy);
        }
    }

    // ---- The certificate ----------------------------------------------------------------------------------

    private static CertificateFields ReadCertificate(ReadOnlySpan<byte> certificate, string origin)
    {
        byte[] der = LooksLikePem(certificate) ? CertificateFromPem(certificate, origin) : certificate.ToArray();
        try
        {
            // Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm, signatureValue }
            // TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber INTEGER, signature
            //   AlgorithmIdentifier, issuer Name, … } (RFC 5280 section 4.1). The issuer is kept as encoded, as
            // OpenSSL copies it into the CMS IssuerAndSerialNumber.
            var outer = new AsnReader(der, AsnEncodingRules.BER);
            AsnReader certificateSequence = outer.ReadSequence();
            if (outer.HasData)
            {
                throw new AsnContentException();
            }

            AsnReader tbs = certificateSequence.ReadSequence();
            var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                tbs.ReadEncodedValue();
            }

            ReadOnlyMemory<byte> serial = tbs.ReadEncodedValue();
            AsnDecoder.ReadIntegerBytes(serial.Span, AsnEncodingRules.BER, out _);
            tbs.ReadEncodedValue(); // signature algorithm
            ReadOnlyMemory<byte> issuer = tbs.ReadEncodedValue();

            using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(der);
            byte[] subjectKeyIdentifier = parsed.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } ski
                ? ski.SubjectKeyIdentifierBytes.ToArray()
                : [];
            string issuerCommonName = parsed.IssuerName.EnumerateRelativeDistinguishedNames()
                .Where(n => n.GetSingleElementType().Value == "2.5.4.3")
                .Select(n => n.GetSingleElementValue())
                .FirstOrDefault(v => v is not null) ?? parsed.Issuer;
            byte[] publicKeyInfo = parsed.PublicKey.ExportSubjectPublicKeyInfo();
            return new CertificateFields(der, issuer.ToArray(), serial.ToArray(), subjectKeyIdentifier, issuerCommonName, publicKeyInfo, parsed.PublicKey.Oid.Value ?? string.Empty);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            throw DkmsPackException.Input(origin, "is not an X.509 certificate in DER or PEM", CertificateRemedy);
        }
    }

    private static byte[] CertificateFromPem(ReadOnlySpan<byte> pem, string origin)
    {
        ReadOnlySpan<char> text = Encoding.ASCII.GetString(pem);
        var labels = new List<string>();
        int position = 0;
        while (PemEncoding.TryFind(text[position..], out PemFields fields))
        {
            ReadOnlySpan<char> block = text[position..];
            string label = block[fields.Label].ToString();
            labels.Add(label);
            if (label == "CERTIFICATE")
            {
                byte[] der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(block[fields.Base64Data], der, out int written) || written != der.Length)
                {
                    throw DkmsPackException.Input(origin, "holds a CERTIFICATE block that is not valid base64", CertificateRemedy);
                }

                return der;
            }

            position += fields.Location.End.Value;
        }

        string found = labels.Count == 0 ? "no complete BEGIN/END block" : "only " + string.Join(", ", labels.Distinct(StringComparer.Ordinal).Select(l => $"\"{l}\""));
        throw DkmsPackException.Input(origin, $"holds no certificate ({found})", labels.Any(l => l.Contains("PRIVATE KEY", StringComparison.Ordinal)) ? "this is the private key; give the certificate file as the certificate" : CertificateRemedy);
    }

    private static void CheckKeyMatchesCertificate(RSA? rsa, ECDsa? ecdsa, CertificateFields certificate, string keyOrigin, string certificateOrigin)
    {
        string? certificateAlgorithm = certificate.PublicKeyAlgorithm switch
        {
            RsaEncryptionOid => "RSA",
            EcPublicKeyOid => "EC",
            _ => null,
        };
        if (certificateAlgorithm is null)
        {
            throw DkmsPackException.Input(certificateOrigin, $"certifies a public key of algorithm {certificate.PublicKeyAlgorithm}; the kernel verifies module signatures made with RSA or ECDSA keys", CertificateRemedy);
        }

        bool matches;
        if (rsa is not null)
        {
            matches = certificateAlgorithm == "RSA" && SameRsaKey(rsa, certificate.SubjectPublicKeyInfo);
        }
        else
        {
            matches = certificateAlgorithm == "EC" && SameEcKey(ecdsa!, certificate.SubjectPublicKeyInfo);
        }

        if (!matches)
        {
            throw DkmsPackException.Input(keyOrigin, $"is not the private key of the certificate {certificateOrigin} (its public key differs)", "give the key and the certificate that were made together (openssl req -keyout KEY -out CERT)");
        }
    }

    private static bool SameRsaKey(RSA key, byte[] subjectPublicKeyInfo)
    {
        using var certified = RSA.Create();
        certified.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        RSAParameters a = key.ExportParameters(includePrivateParameters: false);
        RSAParameters b = certified.ExportParameters(includePrivateParameters: false);
        return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
    }

    private static bool SameEcKey(ECDsa key, byte[] subjectPublicKeyInfo)
    {
        using var certified = ECDsa.Create();
        certified.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        ECParameters a = key.ExportParameters(includePrivateParameters: false);
        ECParameters b = certified.ExportParameters(includePrivateParameters: false);
        return a.Curve.Oid.Value == b.Curve.Oid.Value
            && a.Q.X.AsSpan().SequenceEqual(b.Q.X)
            && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> data) => data.IndexOf("-----BEGIN "u8) >= 0;
}

/// <summary>What signing needs from the certificate, as encoded in it.</summary>
internal sealed record CertificateFields(
    ReadOnlyMemory<byte> Der,
    ReadOnlyMemory<byte> IssuerName,
    ReadOnlyMemory<byte> SerialNumber, // the whole INTEGER, as encoded
    ReadOnlyMemory<byte> SubjectKeyIdentifier,
    string IssuerCommonName,
    byte[] SubjectPublicKeyInfo,
    string PublicKeyAlgorithm);
