using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DkmsPack.Modules;

/// <summary>
/// The three things <c>modinfo</c> shows about a module's CMS signature, read from the first SignerInfo
/// (RFC 5652 section 5): its digest algorithm, the issuer's common name and the serial number (or the
/// subjectKeyIdentifier). Not a verifier: nothing here checks the signature.
/// </summary>
internal sealed record ModuleCmsSummary(string HashAlgorithm, string? Signer, string KeyId)
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string CommonNameOid = "2.5.4.3";

    private static readonly Asn1Tag ExplicitContent = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag CertificatesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag CrlsTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag SubjectKeyIdentifierTag = new(TagClass.ContextSpecific, 0, isConstructed: false);

    /// <summary>The summary, or null when <paramref name="cms"/> is not a SignedData with a SignerInfo.</summary>
    public static ModuleCmsSummary? TryRead(byte[] cms)
    {
        try
        {
            var contentInfo = new AsnReader(cms, AsnEncodingRules.BER).ReadSequence();
            if (contentInfo.ReadObjectIdentifier() != SignedDataOid)
            {
                return null;
            }

            AsnReader signedData = contentInfo.ReadSequence(ExplicitContent).ReadSequence();
            signedData.ReadInteger(); // version
            signedData.ReadSetOf(); // digestAlgorithms
            signedData.ReadSequence(); // encapContentInfo
            if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(CertificatesTag))
            {
                signedData.ReadEncodedValue();
            }

            if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(CrlsTag))
            {
                signedData.ReadEncodedValue();
            }

            AsnReader signerInfo = signedData.ReadSetOf().ReadSequence();
            signerInfo.ReadInteger(); // version
            string? signer = null;
            string keyId;
            if (signerInfo.PeekTag().HasSameClassAndValue(SubjectKeyIdentifierTag))
            {
                keyId = ModuleSigningKey.ColonHex(signerInfo.ReadOctetString(SubjectKeyIdentifierTag));
            }
            else
            {
                AsnReader issuerAndSerial = signerInfo.ReadSequence();
                var issuer = new X500DistinguishedName(issuerAndSerial.ReadEncodedValue().Span);
                signer = issuer.EnumerateRelativeDistinguishedNames()
                    .Where(n => n.GetSingleElementType().Value == CommonNameOid)
                    .Select(n => n.GetSingleElementValue())
                    .FirstOrDefault(v => v is not null);
                ReadOnlySpan<byte> serial = issuerAndSerial.ReadIntegerBytes().Span;
                keyId = ModuleSigningKey.ColonHex(serial.Length > 1 && serial[0] == 0 ? serial[1..] : serial);
            }

            string digestOid = signerInfo.ReadSequence().ReadObjectIdentifier();
            return new ModuleCmsSummary(HashName(digestOid), signer, keyId);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or InvalidOperationException)
        {
            return null;
        }
    }

    // The names kmod's modinfo prints for sig_hashalgo.
    private static string HashName(string oid) => oid switch
    {
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.4" => "sha224",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        "2.16.840.1.101.3.4.2.8" => "sha3-256",
        "2.16.840.1.101.3.4.2.9" => "sha3-384",
        "2.16.840.1.101.3.4.2.10" => "sha3-512",
        _ => oid,
    };
}
