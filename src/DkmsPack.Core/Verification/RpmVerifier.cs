using System.Buffers;
using System.Security.Cryptography;
using DkmsPack.Archives;
using DkmsPack.Archives.Rpm;
using DkmsPack.Signing;

namespace DkmsPack.Verification;

/// <summary>
/// Checks a v4 rpm as <c>rpm -Kv</c> does, without rpm (docs/rpm-format.md, "Signature header"; rpm
/// docs/manual/format_v4.md, lib/package.cc): the OpenPGP header signature in RSAHEADER (268) or DSAHEADER
/// (267) over the main header's bytes as stored (intro, index and data), SHA256HEADER (273) and SHA1HEADER (269)
/// against those bytes, the main header's PAYLOADDIGEST (5092) against the compressed payload, and the signature
/// header's MD5 (1004) against header and payload. Only the headers are held in memory; the payload is read once.
/// </summary>
internal static class RpmVerifier
{
    public static string Verify(Stream file, VerificationKeys keys)
    {
        RpmPackageReader package = RpmPackageReader.Read(file);
        RpmHeaderReader signature = package.Signature;
        RpmHeaderReader header = package.Header;
        byte[] headerBytes = header.Bytes.ToArray();
        var checkedParts = new List<string>();
        var findings = new Findings();

        RpmTag[] signatureTags = [.. new[] { RpmSignatureTag.Rsa, RpmSignatureTag.Dsa }.Where(signature.Contains)];
        if (signatureTags.Length == 0)
        {
            findings.Add("no signature (the signature header has neither RSAHEADER nor DSAHEADER)", VerificationRemedy.Unsigned);
        }

        foreach (RpmTag tag in signatureTags)
        {
            DetachedSignature.Check(keys, signature.GetBinary(tag), [new MemoryStream(headerBytes, writable: false)], "header signature", over: null, checkedParts, findings);
        }

        if (signature.Contains(RpmSignatureTag.Sha256))
        {
            CompareHex(signature.GetString(RpmSignatureTag.Sha256), SHA256.HashData(headerBytes), "header SHA256", checkedParts, findings);
        }

        (HashAlgorithmName payloadAlgorithm, string payloadName, string? payloadExpected) = PayloadDigest(header, findings);
        using IncrementalHash? payloadHash = payloadExpected is null ? null : IncrementalHash.CreateHash(payloadAlgorithm);
        byte[]? md5Expected = signature.Contains(RpmSignatureTag.Md5) ? signature.GetBinary(RpmSignatureTag.Md5) : null;
#pragma warning disable CA5351 // MD5 is what the format's tag 1004 is; checked only to report a mismatch as rpm -K does.
        using IncrementalHash? md5 = md5Expected is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        md5?.AppendData(headerBytes);
        HashPayload(file, payloadHash, md5);
        if (payloadHash is not null)
        {
            CompareHex(payloadExpected!, payloadHash.GetHashAndReset(), "payload " + payloadName, checkedParts, findings);
        }

        if (signature.Contains(RpmSignatureTag.Sha1))
        {
#pragma warning disable CA5350 // SHA-1 is what the format's tag 269 is; checked only to report a mismatch as rpm -K does.
            CompareHex(signature.GetString(RpmSignatureTag.Sha1), SHA1.HashData(headerBytes), "header SHA1", checkedParts, findings);
#pragma warning restore CA5350
        }

        if (md5 is not null)
        {
            Compare(md5Expected!, md5.GetHashAndReset(), "header+payload MD5", checkedParts, findings);
        }

        return findings.ThrowOr(checkedParts);
    }

    /// <summary>The payload digest the signed header promises: algorithm, its name, and the hex value (null when missing).</summary>
    private static (HashAlgorithmName Algorithm, string Name, string? Expected) PayloadDigest(RpmHeaderReader header, Findings findings)
    {
        if (!header.Contains(RpmTag.PayloadDigest))
        {
            findings.Add("the header has no PAYLOADDIGEST, so no signature covers the payload", VerificationRemedy.Unsigned);
            return (default, string.Empty, null);
        }

        // PAYLOADDIGESTALGO holds an OpenPGP hash ID (RFC 9580 §9.5), as rpm's pgpHashAlgo does.
        long algorithm = header.Contains(RpmTag.PayloadDigestAlgo) ? header.GetInt32(RpmTag.PayloadDigestAlgo) : 0;
        (HashAlgorithmName name, string text) = algorithm switch
        {
            OpenPgp.HashAlgorithm.Sha256 => (HashAlgorithmName.SHA256, "SHA256"),
            OpenPgp.HashAlgorithm.Sha384 => (HashAlgorithmName.SHA384, "SHA384"),
            OpenPgp.HashAlgorithm.Sha512 => (HashAlgorithmName.SHA512, "SHA512"),
            _ => (default, string.Empty),
        };
        if (text.Length == 0)
        {
            findings.Add($"the payload digest's algorithm {algorithm.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not one dkmspack checks (SHA256, SHA384, SHA512)", VerificationRemedy.Damaged);
            return (default, string.Empty, null);
        }

        return (name, text, header.GetStringArray(RpmTag.PayloadDigest)[0]);
    }

    /// <summary>Reads the compressed payload, from the current position to the end of the file, into both hashes.</summary>
    private static void HashPayload(Stream file, IncrementalHash? first, IncrementalHash? second)
    {
        if (first is null && second is null)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamCopy.BufferSize);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                first?.AppendData(buffer, 0, read);
                second?.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CompareHex(string expected, byte[] actual, string what, List<string> checkedParts, Findings findings) =>
        Record(string.Equals(expected, Convert.ToHexStringLower(actual), StringComparison.OrdinalIgnoreCase), what, checkedParts, findings);

    private static void Compare(byte[] expected, byte[] actual, string what, List<string> checkedParts, Findings findings) =>
        Record(expected.AsSpan().SequenceEqual(actual), what, checkedParts, findings);

    private static void Record(bool matches, string what, List<string> checkedParts, Findings findings)
    {
        if (matches)
        {
            checkedParts.Add(what);
        }
        else
        {
            findings.Add($"{what} does not match (BAD)", VerificationRemedy.Changed);
        }
    }
}
