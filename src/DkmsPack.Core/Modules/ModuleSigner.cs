using System.Formats.Asn1;
using System.Security.Cryptography;
using DkmsPack.Diagnostics;

namespace DkmsPack.Modules;

/// <summary>How the CMS SignerInfo names the certificate whose key signed (RFC 5652 section 5.3, SignerIdentifier).</summary>
public enum ModuleSignerIdentifier
{
    /// <summary>The certificate's issuer and serial number: <c>sign-file</c>'s default, and what <c>modinfo</c> shows.</summary>
    IssuerAndSerialNumber,

    /// <summary>The certificate's subjectKeyIdentifier: <c>sign-file -k</c>.</summary>
    SubjectKeyIdentifier,
}

/// <summary>
/// Signs kernel modules in process, byte for byte as the kernel's <c>scripts/sign-file</c> does with OpenSSL's CMS
/// (https://www.kernel.org/doc/html/latest/admin-guide/module-signing.html; docs/module-signing.md): a detached CMS
/// SignedData (RFC 5652) over the whole module, with no certificates, no signed attributes and no S/MIME
/// capabilities, then <c>struct module_signature</c> and the magic string. RSA signatures are deterministic, so the
/// same module, key and hash give the same bytes; ECDSA signatures are randomised.
/// </summary>
public static class ModuleSigner
{
    /// <summary>The hash sign-file and DKMS use unless told otherwise (CONFIG_MODULE_SIG_SHA256).</summary>
    public static readonly HashAlgorithmName DefaultHash = HashAlgorithmName.SHA256;

    // Object identifiers (RFC 5652 section 14; RFC 5754 for SHA-2; RFC 3279 and RFC 5758 for the signatures).
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    // SignedData and SignerInfo versions (RFC 5652 sections 5.1 and 5.3): 1 when the signer is named by issuer
    // and serial number, 3 when by subjectKeyIdentifier.
    private const int VersionIssuerAndSerial = 1;
    private const int VersionSubjectKeyIdentifier = 3;

    private static readonly Asn1Tag ExplicitContent = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag SubjectKeyIdentifierTag = new(TagClass.ContextSpecific, 0, isConstructed: false);

    /// <summary>The hash names sign-file takes (its first argument) that dkmspack signs with.</summary>
    public static IReadOnlyList<string> HashNames { get; } = ["sha256", "sha384", "sha512", "sha1"];

    /// <summary>
    /// Parses a hash name as sign-file and CONFIG_MODULE_SIG_HASH spell it ("sha256", case-insensitive); an unknown
    /// one is a one-line error naming <paramref name="origin"/> (an option or file).
    /// </summary>
    public static HashAlgorithmName ParseHash(string name, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "SHA256" => HashAlgorithmName.SHA256,
            "SHA384" => HashAlgorithmName.SHA384,
            "SHA512" => HashAlgorithmName.SHA512,
            "SHA1" => HashAlgorithmName.SHA1,
            _ => throw DkmsPackException.Input(origin, $"\"{name}\" is not a module signature hash dkmspack signs with", "use " + string.Join(", ", HashNames) + " (sha256 is the kernel's default)"),
        };
    }

    /// <summary>
    /// The module followed by its signature: CMS || struct module_signature || magic. A module that is signed
    /// already (ends with the magic) is an error naming <paramref name="moduleOrigin"/>: sign-file would append a
    /// second signature that the kernel ignores; strip the first with
    /// <see cref="ModuleSignatureLayout.WithoutSignature"/> to re-sign on purpose.
    /// </summary>
    public static byte[] Sign(ReadOnlySpan<byte> unsignedModule, ModuleSigningKey key, HashAlgorithmName hash, string? moduleOrigin = null, ModuleSignerIdentifier signerIdentifier = ModuleSignerIdentifier.IssuerAndSerialNumber)
    {
        if (ModuleSignatureLayout.EndsWithMagic(unsignedModule))
        {
            throw DkmsPackException.Input(moduleOrigin, "is already signed (it ends with \"~Module signature appended~\")", "give the module as the kernel build wrote it; to replace a signature, strip it first (ModuleSignatureLayout.WithoutSignature)");
        }

        byte[] cms = CreateSignature(unsignedModule, key, hash, signerIdentifier);
        byte[] signed = new byte[checked(unsignedModule.Length + cms.Length + ModuleSignatureLayout.SuffixLength)];
        unsignedModule.CopyTo(signed);
        cms.CopyTo(signed.AsSpan(unsignedModule.Length));
        int trailer = unsignedModule.Length + cms.Length;
        ModuleSignatureLayout.WriteTrailer(signed.AsSpan(trailer), cms.Length);
        ModuleSignatureLayout.Magic.CopyTo(signed.AsSpan(trailer + ModuleSignatureLayout.TrailerLength));
        return signed;
    }

    /// <summary>
    /// The detached CMS signature alone, in DER (what <c>sign-file -d</c> writes to MODULE.pkcs7): a ContentInfo
    /// holding SignedData whose one SignerInfo signs the digest of <paramref name="content"/> directly.
    /// </summary>
    public static byte[] CreateSignature(ReadOnlySpan<byte> content, ModuleSigningKey key, HashAlgorithmName hash, ModuleSignerIdentifier signerIdentifier = ModuleSignerIdentifier.IssuerAndSerialNumber)
    {
        ArgumentNullException.ThrowIfNull(key);
        string digestOid = DigestOid(hash);
        if (signerIdentifier == ModuleSignerIdentifier.SubjectKeyIdentifier && !key.HasSubjectKeyIdentifier)
        {
            throw DkmsPackException.Input(key.CertificateOrigin, "has no subjectKeyIdentifier extension, which naming the signer by key identifier needs", "name the signer by issuer and serial number (the default), or make a certificate with the extension (openssl req -x509 adds it)");
        }

        byte[] digest = CryptographicOperations.HashData(hash, content);
        byte[] signature = key.SignDigest(digest, hash);
        int version = signerIdentifier == ModuleSignerIdentifier.SubjectKeyIdentifier ? VersionSubjectKeyIdentifier : VersionIssuerAndSerial;

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // ContentInfo
        {
            writer.WriteObjectIdentifier(SignedDataOid);
            using (writer.PushSequence(ExplicitContent))
            using (writer.PushSequence()) // SignedData
            {
                writer.WriteInteger(version);
                using (writer.PushSetOf()) // digestAlgorithms
                {
                    WriteDigestAlgorithm(writer, digestOid);
                }

                using (writer.PushSequence()) // encapContentInfo: id-data, content absent (detached)
                {
                    writer.WriteObjectIdentifier(DataOid);
                }

                // certificates [0] and crls [1] absent: sign-file passes CMS_NOCERTS; the kernel finds the key in
                // its keyrings by the signer's identifier.
                using (writer.PushSetOf()) // signerInfos
                using (writer.PushSequence()) // SignerInfo
                {
                    writer.WriteInteger(version);
                    WriteSignerIdentifier(writer, key.Certificate, signerIdentifier);
                    WriteDigestAlgorithm(writer, digestOid);

                    // signedAttrs absent (sign-file's CMS_NOATTR): the signature is over the content's digest.
                    WriteSignatureAlgorithm(writer, key.Algorithm, hash);
                    writer.WriteOctetString(signature);

                    // unsignedAttrs absent.
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSignerIdentifier(AsnWriter writer, CertificateFields certificate, ModuleSignerIdentifier signerIdentifier)
    {
        if (signerIdentifier == ModuleSignerIdentifier.SubjectKeyIdentifier)
        {
            writer.WriteOctetString(certificate.SubjectKeyIdentifier.Span, SubjectKeyIdentifierTag);
            return;
        }

        using (writer.PushSequence()) // IssuerAndSerialNumber
        {
            writer.WriteEncodedValue(certificate.IssuerName.Span);
            writer.WriteEncodedValue(certificate.SerialNumber.Span);
        }
    }

    // OpenSSL writes the SHA-1 and SHA-2 digest AlgorithmIdentifiers without parameters (RFC 5754 section 2:
    // "the parameters field MUST be absent" is what implementations SHOULD generate), which sign-file's output shows.
    private static void WriteDigestAlgorithm(AsnWriter writer, string digestOid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(digestOid);
        }
    }

    // RSA: rsaEncryption with NULL parameters (RFC 3370 section 3.2, as OpenSSL writes it for CMS), not
    // sha256WithRSAEncryption. ECDSA: ecdsa-with-SHAx without parameters (RFC 5758 section 3.2).
    private static void WriteSignatureAlgorithm(AsnWriter writer, ModuleSigningKeyAlgorithm algorithm, HashAlgorithmName hash)
    {
        using (writer.PushSequence())
        {
            if (algorithm == ModuleSigningKeyAlgorithm.Rsa)
            {
                writer.WriteObjectIdentifier(RsaEncryptionOid);
                writer.WriteNull();
            }
            else
            {
                writer.WriteObjectIdentifier(EcdsaOid(hash));
            }
        }
    }

    private static string DigestOid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => "2.16.840.1.101.3.4.2.1",
        "SHA384" => "2.16.840.1.101.3.4.2.2",
        "SHA512" => "2.16.840.1.101.3.4.2.3",
        "SHA1" => "1.3.14.3.2.26",
        _ => throw DkmsPackException.Options($"\"{hash.Name}\" is not a module signature hash dkmspack signs with", "use " + string.Join(", ", HashNames)),
    };

    private static string EcdsaOid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => "1.2.840.10045.4.3.2",
        "SHA384" => "1.2.840.10045.4.3.3",
        "SHA512" => "1.2.840.10045.4.3.4",
        "SHA1" => "1.2.840.10045.4.1",
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };
}
