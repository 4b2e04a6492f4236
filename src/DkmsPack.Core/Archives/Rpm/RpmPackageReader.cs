using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DkmsPack.Archives.Rpm;

/// <summary>The fields of a package's lead.</summary>
public sealed record RpmLeadInfo(byte Major, byte Minor, ushort Type, ushort ArchNum, string Name, ushort OsNum, ushort SignatureType);

/// <summary>
/// Reads a v4 package's lead, signature header and main header (validated as
/// <see cref="RpmHeaderReader"/> describes) and stops where the payload starts. Read-only; meant for
/// round-trip tests and self-checks.
/// </summary>
public sealed class RpmPackageReader
{
    private RpmPackageReader(RpmLeadInfo lead, RpmHeaderReader signature, RpmHeaderReader header, long headerOffset, long payloadOffset)
    {
        Lead = lead;
        Signature = signature;
        Header = header;
        HeaderOffset = headerOffset;
        PayloadOffset = payloadOffset;
    }

    public RpmLeadInfo Lead { get; }

    /// <summary>The signature header (region 62); it starts right after the 96-byte lead.</summary>
    public RpmHeaderReader Signature { get; }

    /// <summary>The main header (region 63).</summary>
    public RpmHeaderReader Header { get; }

    /// <summary>Where the main header starts in the file (after the signature header and its padding).</summary>
    public long HeaderOffset { get; }

    /// <summary>Where the compressed payload starts in the file; it runs to the end of the file.</summary>
    public long PayloadOffset { get; }

    /// <summary>
    /// Reads from the start of a package up to its payload; <paramref name="input"/> is left positioned at
    /// the payload and need not be seekable.
    /// </summary>
    /// <exception cref="InvalidDataException">The lead or a header is invalid.</exception>
    /// <exception cref="EndOfStreamException">The file ends early.</exception>
    public static RpmPackageReader Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] lead = new byte[RpmLeadLayout.Length];
        input.ReadExactly(lead);
        RpmLeadInfo leadInfo = ParseLead(lead);

        byte[] signatureBytes = ReadHeaderBytes(input);
        RpmHeaderReader signature = RpmHeaderReader.Parse(signatureBytes, RpmTag.HeaderSignatures);
        byte[] padding = new byte[RpmHeaderBuilder.SignaturePadding(signatureBytes.Length)];
        input.ReadExactly(padding);
        if (Array.Exists(padding, b => b != 0))
        {
            throw new InvalidDataException("rpm package: the padding after the signature header is not zero.");
        }

        long headerOffset = RpmLeadLayout.Length + signatureBytes.Length + padding.Length;
        byte[] headerBytes = ReadHeaderBytes(input);
        RpmHeaderReader header = RpmHeaderReader.Parse(headerBytes, RpmTag.HeaderImmutable);
        return new RpmPackageReader(leadInfo, signature, header, headerOffset, headerOffset + headerBytes.Length);
    }

    private static RpmLeadInfo ParseLead(ReadOnlySpan<byte> lead)
    {
        if (!lead[..RpmLeadLayout.MagicLength].SequenceEqual(RpmLeadLayout.Magic))
        {
            throw new InvalidDataException("rpm package: bad lead magic (expected ED AB EE DB).");
        }

        ReadOnlySpan<byte> name = lead.Slice(RpmLeadLayout.Name, RpmLeadLayout.NameLength);
        int nul = name.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new InvalidDataException("rpm package: the lead name is not NUL-terminated.");
        }

        var info = new RpmLeadInfo(
            lead[RpmLeadLayout.Major],
            lead[RpmLeadLayout.Minor],
            BinaryPrimitives.ReadUInt16BigEndian(lead[RpmLeadLayout.Type..]),
            BinaryPrimitives.ReadUInt16BigEndian(lead[RpmLeadLayout.ArchNum..]),
            Encoding.UTF8.GetString(name[..nul]),
            BinaryPrimitives.ReadUInt16BigEndian(lead[RpmLeadLayout.OsNum..]),
            BinaryPrimitives.ReadUInt16BigEndian(lead[RpmLeadLayout.SignatureType..]));
        if (info.SignatureType != RpmLeadLayout.SignatureTypeHeader || info.Major is < 3 or > 4)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"rpm package: lead version {info.Major} / signature type {info.SignatureType}; rpm 4.14-4.19 need version 3 or 4 and signature type 5."));
        }

        return info;
    }

    private static byte[] ReadHeaderBytes(Stream input)
    {
        byte[] intro = new byte[RpmHeaderLayout.IntroLength];
        input.ReadExactly(intro);
        long length = RpmHeaderReader.LengthFromIntro(intro);
        if (length > RpmHeaderLayout.MaxHeaderLength)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"rpm header: {length} bytes exceed rpm's 256 MiB limit."));
        }

        // A damaged intro may claim up to 256 MiB: refuse it before allocating when the file is shorter.
        if (input.CanSeek && length - RpmHeaderLayout.IntroLength > input.Length - input.Position)
        {
            throw new EndOfStreamException(string.Create(CultureInfo.InvariantCulture, $"rpm header: its intro says {length} bytes, but the file ends {input.Length - input.Position + RpmHeaderLayout.IntroLength} bytes on."));
        }

        byte[] header = new byte[length];
        intro.CopyTo(header, 0);
        input.ReadExactly(header, RpmHeaderLayout.IntroLength, header.Length - RpmHeaderLayout.IntroLength);
        return header;
    }
}
