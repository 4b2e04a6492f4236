namespace DkmsPack.Signing;

/// <summary>One top-level OpenPGP packet: its tag and body, as found by <see cref="PacketScanner"/>.</summary>
internal readonly record struct PacketInfo(int Tag, int BodyOffset, int BodyLength)
{
    public bool IsKey => Tag is OpenPgp.PacketTag.SecretKey or OpenPgp.PacketTag.PublicKey or OpenPgp.PacketTag.SecretSubkey or OpenPgp.PacketTag.PublicSubkey;

    public bool IsPrimaryKey => Tag is OpenPgp.PacketTag.SecretKey or OpenPgp.PacketTag.PublicKey;
}

/// <summary>
/// Walks the top-level packet headers of binary OpenPGP data (RFC 9580 §4.2: OpenPGP and legacy formats)
/// without interpreting bodies, so that a key's version and kind can be told, and garbage refused, before
/// BouncyCastle parses it.
/// </summary>
internal static class PacketScanner
{
    /// <summary>Bit 7 of a packet's first octet is always set (RFC 9580 §4.2).</summary>
    private const int PacketMarker = 0x80;

    /// <summary>Bit 6 set: OpenPGP (new) format header; clear: legacy (old) format (RFC 9580 §4.2.1, §4.2.2).</summary>
    private const int NewFormatBit = 0x40;

    /// <summary>Returns the packets, or null when <paramref name="data"/> is not a sequence of whole OpenPGP packets.</summary>
    public static List<PacketInfo>? Scan(ReadOnlySpan<byte> data)
    {
        var packets = new List<PacketInfo>();
        int position = 0;
        while (position < data.Length)
        {
            int first = data[position++];
            if ((first & PacketMarker) == 0)
            {
                return null;
            }

            int tag;
            long length;
            if ((first & NewFormatBit) != 0)
            {
                tag = first & 0x3F;
                if (!TryReadNewLength(data, ref position, out length))
                {
                    return null;
                }
            }
            else
            {
                tag = (first >> 2) & 0x0F;
                int lengthType = first & 0x03;
                if (lengthType == 3 || !TryReadOldLength(data, ref position, 1 << lengthType, out length))
                {
                    return null; // indeterminate length: never used for keys or signatures
                }
            }

            if (length > data.Length - position)
            {
                return null;
            }

            packets.Add(new PacketInfo(tag, position, (int)length));
            position += (int)length;
        }

        return packets.Count == 0 ? null : packets;
    }

    /// <summary>The version octet that opens a key or signature packet body.</summary>
    public static int VersionOf(ReadOnlySpan<byte> data, PacketInfo packet) => packet.BodyLength > 0 ? data[packet.BodyOffset] : -1;

    private static bool TryReadOldLength(ReadOnlySpan<byte> data, ref int position, int octets, out long length)
    {
        length = 0;
        if (position + octets > data.Length)
        {
            return false;
        }

        for (int i = 0; i < octets; i++)
        {
            length = (length << 8) | data[position++];
        }

        return true;
    }

    /// <summary>RFC 9580 §4.2.1.1–4.2.1.3; partial lengths (224–254) are refused: keys and signatures never use them.</summary>
    private static bool TryReadNewLength(ReadOnlySpan<byte> data, ref int position, out long length)
    {
        length = 0;
        if (position >= data.Length)
        {
            return false;
        }

        int octet = data[position++];
        if (octet < 192)
        {
            length = octet;
            return true;
        }

        if (octet < 224)
        {
            if (position >= data.Length)
            {
                return false;
            }

            length = ((octet - 192) << 8) + data[position++] + 192;
            return true;
        }

        return octet == 255 && TryReadOldLength(data, ref position, 4, out length);
    }
}
