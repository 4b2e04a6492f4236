using DkmsPack.IO;
using DkmsPack.Archives;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace DkmsPack.Archives.Rpm;

/// <summary>
/// Writes a v4 package file: lead, signature header, zero padding to 8, main header, payload
/// (docs/rpm-format.md, "File layout"). It computes the signature header itself, the set rpmbuild 4.16+
/// writes minus RESERVEDSPACE (docs/rpm-format.md, "Signature header"): 62 region, 269 SHA1 and 273
/// SHA256 of the main header (hex STRING), 1000 SIZE (INT32, header + compressed payload), 1004 MD5
/// (BIN 16, header + compressed payload) and 1007 PAYLOADSIZE (INT32, uncompressed cpio).
/// </summary>
/// <remarks>
/// <para>
/// RPM needs a two-phase write, because everything before the payload depends on the payload: the main
/// header holds the payload digests, and the signature header holds digests of the main header and the
/// payload's length. The caller therefore:
/// </para>
/// <list type="number">
/// <item>streams the cpio archive through the compressor into a temporary file, hashing the uncompressed
/// bytes (PAYLOADDIGESTALT 5097, and the byte count for PAYLOADSIZE) and the compressed bytes
/// (PAYLOADDIGEST 5092) on the way with two <see cref="HashingWriteStream"/>s;</item>
/// <item>builds the main header with those digests (<see cref="RpmHeaderBuilder"/>, region 63);</item>
/// <item>rewinds the temporary file and calls <see cref="Write"/>, which reads it once for MD5 and once
/// more to copy it, so memory stays bounded by the headers whatever the payload's size.</item>
/// </list>
/// <code>
/// using var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
/// var compressed = new HashingWriteStream(temp, leaveOpen: true);
/// var compressor = Compressor.Create(CompressionMethod.Gzip, null, compressed);
/// var raw = new HashingWriteStream(compressor, leaveOpen: true);
/// using (var cpio = new CpioNewcWriter(raw, leaveOpen: true)) { /* entries */ }
/// raw.Dispose(); compressor.Dispose(); compressed.Dispose();
/// byte[] header = BuildMainHeader(payloadDigest: compressed.GetSha256Hex(), payloadDigestAlt: raw.GetSha256Hex());
/// temp.Position = 0;
/// RpmPackageAssembler.Write(output, "name-1.0-1", header, temp, raw.BytesWritten);
/// </code>
/// <para>
/// SIZE and PAYLOADSIZE are INT32, so header + payload and the uncompressed payload must each stay below
/// 4 GiB; the LONGSIZE/LONGARCHIVESIZE variants are out of scope.
/// </para>
/// </remarks>
public static class RpmPackageAssembler
{
    private const int CopyBufferSize = 64 * 1024;
    private const int Md5Length = 16;

    /// <summary>
    /// Writes the whole package to <paramref name="output"/>, streaming the payload.
    /// </summary>
    /// <param name="output">Where the package goes; need not be seekable.</param>
    /// <param name="leadName">The NEVR for the lead, e.g. <c>foo-dkms-1.0-1</c>.</param>
    /// <param name="mainHeader">The serialized main header (<see cref="RpmHeaderBuilder.Build"/> with region 63).</param>
    /// <param name="compressedPayload">
    /// The finished compressed payload, read from its current position to its end; it must be readable
    /// and seekable (a temporary file), and is left positioned at its end.
    /// </param>
    /// <param name="uncompressedPayloadSize">The size of the cpio archive before compression.</param>
    /// <exception cref="ArgumentException">The main header does not start with the header magic or its length disagrees with its intro; the payload stream cannot read and seek.</exception>
    /// <exception cref="ArchiveLimitException">Header + payload or the uncompressed payload reaches 4 GiB.</exception>
    /// <exception cref="IOException">The payload changed length while being copied.</exception>
    /// <param name="headerSignature">An OpenPGP signature of the main header for the signature header, or null.</param>
    /// <param name="leadType">The lead's package type: <see cref="RpmLeadLayout.TypeSource"/> for a source RPM.</param>
    public static void Write(Stream output, string leadName, ReadOnlySpan<byte> mainHeader, Stream compressedPayload, long uncompressedPayloadSize, RpmHeaderSignature? headerSignature = null, ushort leadType = RpmLeadLayout.TypeBinary)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(compressedPayload);
        byte[] lead = RpmLead.Create(leadName, leadType);
        byte[] signature = BuildSignatureHeader(mainHeader, compressedPayload, uncompressedPayloadSize, headerSignature);
        long payloadStart = compressedPayload.Position;
        long payloadLength = compressedPayload.Length - payloadStart;

        output.Write(lead);
        output.Write(signature);
        Span<byte> padding = stackalloc byte[RpmHeaderLayout.SignatureAlignment];
        padding.Clear();
        output.Write(padding[..RpmHeaderBuilder.SignaturePadding(signature.Length)]);
        output.Write(mainHeader);

        compressedPayload.Position = payloadStart;
        long copied = Copy(compressedPayload, output);
        if (copied != payloadLength)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"The payload was {payloadLength} bytes when hashed but {copied} bytes when copied; it changed while the package was written."));
        }

        output.Flush();
    }

    /// <summary>
    /// Computes the signature header for a main header and its compressed payload (read from the current
    /// position to the end, then the position is restored).
    /// </summary>
    /// <returns>The serialized signature header, without the padding that follows it in the file.</returns>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    /// <exception cref="ArchiveLimitException">See <see cref="Write"/>.</exception>
    public static byte[] BuildSignatureHeader(ReadOnlySpan<byte> mainHeader, Stream compressedPayload, long uncompressedPayloadSize, RpmHeaderSignature? headerSignature = null)
    {
        ArgumentNullException.ThrowIfNull(compressedPayload);
        ArgumentOutOfRangeException.ThrowIfNegative(uncompressedPayloadSize);
        if (!compressedPayload.CanRead || !compressedPayload.CanSeek)
        {
            throw new ArgumentException("The compressed payload must be a readable, seekable stream (a finished temporary file).", nameof(compressedPayload));
        }

        CheckMainHeader(mainHeader);
        long start = compressedPayload.Position;
        long payloadLength = compressedPayload.Length - start;
        uint size = CheckInt32("header + compressed payload", mainHeader.Length + payloadLength);
        uint payloadSize = CheckInt32("uncompressed payload (cpio)", uncompressedPayloadSize);

        // MD5 (tag 1004) covers the main header followed by the compressed payload. rpm < 4.14 and
        // EL7 can verify only this and SHA1; rpm 4.14-4.20 still verify both, rpm 6 disables both by
        // default (%_pkgverify_flags; docs/rpm-format.md, "Signature header"). Not used for security here.
#pragma warning disable CA5351 // MD5 is what the format's tag 1004 is defined as; kept for EL7 compatibility.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        md5.AppendData(mainHeader);
        long hashed = Hash(compressedPayload, md5);
        compressedPayload.Position = start;
        if (hashed != payloadLength)
        {
            throw new IOException("The payload's length changed while it was being hashed.");
        }

        byte[] md5Digest = md5.GetHashAndReset();
#pragma warning disable CA5350 // SHA-1 is what the format's tag 269 is defined as; rpm 4.11 (EL7) checks only it and MD5.
        string sha1 = Convert.ToHexStringLower(SHA1.HashData(mainHeader));
#pragma warning restore CA5350
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(mainHeader));
        System.Diagnostics.Debug.Assert(md5Digest.Length == Md5Length, "MD5 is 16 bytes");

        // Types and counts must equal the main-header twins' (SHA1HEADER/SHA256HEADER s, SIGSIZE i,
        // SIGMD5 x[16], ARCHIVESIZE i) or rpm rejects the package: docs/rpm-format.md, "Legacy signature
        // tags in the main header".
        var header = new RpmHeaderBuilder()
            .AddString(RpmSignatureTag.Sha1, sha1)
            .AddString(RpmSignatureTag.Sha256, sha256)
            .AddInt32(RpmSignatureTag.Size, size)
            .AddBinary(RpmSignatureTag.Md5, md5Digest)
            .AddInt32(RpmSignatureTag.PayloadSize, payloadSize);
        if (headerSignature is not null)
        {
            header.AddBinary(headerSignature.Tag, headerSignature.Packet);
        }

        return header.Build(RpmTag.HeaderSignatures);
    }

    // A cheap guard against passing the wrong buffer: magic, and length = 16 + 16 × il + dl.
    private static void CheckMainHeader(ReadOnlySpan<byte> mainHeader)
    {
        if (mainHeader.Length < RpmHeaderLayout.IntroLength || !mainHeader[..RpmHeaderLayout.IntroMagicLength].SequenceEqual(RpmHeaderLayout.Magic))
        {
            throw new ArgumentException("The main header does not start with the rpm header magic 8E AD E8 01.", nameof(mainHeader));
        }

        long il = BinaryPrimitives.ReadUInt32BigEndian(mainHeader[RpmHeaderLayout.IntroIndexCount..]);
        long dl = BinaryPrimitives.ReadUInt32BigEndian(mainHeader[RpmHeaderLayout.IntroDataLength..]);
        if (RpmHeaderLayout.IntroLength + (il * RpmHeaderLayout.EntryLength) + dl != mainHeader.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The main header is {mainHeader.Length} bytes but its intro says il={il}, dl={dl}."),
                nameof(mainHeader));
        }
    }

    private static uint CheckInt32(string what, long value)
    {
        if (value > uint.MaxValue)
        {
            throw new ArchiveLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"The {what} is {value} bytes; packages of 4 GiB or more are not supported (they need rpm's 64-bit size tags)."));
        }

        return (uint)value;
    }

    private static long Hash(Stream input, IncrementalHash hash) => Pump(input, (buffer, count) => hash.AppendData(buffer, 0, count));

    private static long Copy(Stream input, Stream output) => Pump(input, (buffer, count) => output.Write(buffer, 0, count));

    /// <summary>Reads <paramref name="input"/> to its end in large blocks, handing each to <paramref name="sink"/>.</summary>
    private static long Pump(Stream input, Action<byte[], int> sink)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                sink(buffer, read);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// A header-only OpenPGP signature: the binary signature packet over the main header, and the signature-header tag
/// rpm reads it from. The payload needs no signature of its own: the signed header holds its SHA-256 (PAYLOADDIGEST).
/// rpm 4.14 to 6.x read RSA from RSAHEADER (268) and, since 4.16, EdDSA from DSAHEADER (267), the tag rpmsign 4.18+
/// writes for it (sign/rpmgensig.c, makeSigTag); docs/rpm-format.md, "Signature header".
/// </summary>
public sealed record RpmHeaderSignature(RpmTag Tag, byte[] Packet);
