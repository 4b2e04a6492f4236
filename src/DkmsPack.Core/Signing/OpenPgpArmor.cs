using System.Text;

namespace DkmsPack.Signing;

/// <summary>
/// ASCII armour (RFC 9580 §6; RFC 4880 §6.2): <c>-----BEGIN PGP …-----</c>, a blank line, base64 in lines of
/// 64 characters, the CRC-24 line <c>=XXXX</c> and the END line, with LF line endings. No armour headers are
/// written (no <c>Version:</c>), so the same packets always armour to the same text.
/// </summary>
public static class OpenPgpArmor
{
    /// <summary>The label of a detached signature (<c>.asc</c>, <c>SHA256SUMS.asc</c>).</summary>
    public const string SignatureLabel = "PGP SIGNATURE";

    /// <summary>The label of a transferable public key (<c>KEY.asc</c>).</summary>
    public const string PublicKeyLabel = "PGP PUBLIC KEY BLOCK";

    /// <summary>The label of a transferable secret key, as <c>gpg --export-secret-keys --armor</c> writes it.</summary>
    public const string PrivateKeyLabel = "PGP PRIVATE KEY BLOCK";

    /// <summary>The label that opens a cleartext-signed message (RFC 9580 §7).</summary>
    public const string SignedMessageLabel = "PGP SIGNED MESSAGE";

    /// <summary>RFC 9580 §6.2: the armour body is base64 "with no more than 76 characters" a line; gpg writes 64.</summary>
    private const int LineLength = 64;

    /// <summary>CRC-24 of RFC 9580 §6.1.1: initial value and generator.</summary>
    private const int Crc24Init = 0xB704CE;
    private const int Crc24Poly = 0x1864CFB;
    private const int Crc24Mask = 0xFFFFFF;

    private const string Dashes = "-----";
    private const string BeginPrefix = "-----BEGIN ";
    private const string EndPrefix = "-----END ";

    /// <summary>Armours <paramref name="packets"/> under <paramref name="label"/> (e.g. <see cref="SignatureLabel"/>).</summary>
    public static string Encode(ReadOnlySpan<byte> packets, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = new StringBuilder();
        text.Append(BeginPrefix).Append(label).Append(Dashes).Append('\n');
        text.Append('\n');
        AppendBody(text, packets);
        text.Append(EndPrefix).Append(label).Append(Dashes).Append('\n');
        return text.ToString();
    }

    /// <summary>The base64 lines and the CRC-24 line of an armour body (each ending in LF).</summary>
    internal static void AppendBody(StringBuilder text, ReadOnlySpan<byte> packets)
    {
        string base64 = Convert.ToBase64String(packets);
        for (int i = 0; i < base64.Length; i += LineLength)
        {
            text.Append(base64, i, Math.Min(LineLength, base64.Length - i)).Append('\n');
        }

        Span<byte> crcBytes = stackalloc byte[3];
        Crc24Bytes(packets, crcBytes);
        text.Append('=').Append(Convert.ToBase64String(crcBytes)).Append('\n');
    }

    /// <summary>True when <paramref name="input"/> holds a <c>-----BEGIN PGP</c> line (after optional leading text).</summary>
    public static bool LooksArmored(ReadOnlySpan<byte> input) => input.IndexOf("-----BEGIN PGP "u8) >= 0;

    /// <summary>
    /// Reads the first armoured block of <paramref name="text"/>: its label and the packets in it. Fails (false,
    /// with a short reason) when there is no block, the base64 is broken, or the CRC-24 does not match.
    /// </summary>
    public static bool TryDecode(string text, out string label, out byte[] packets, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        label = string.Empty;
        packets = [];
        string[] lines = text.Split('\n');
        int begin = Array.FindIndex(lines, l => l.TrimEnd().StartsWith(BeginPrefix + "PGP ", StringComparison.Ordinal));
        if (begin < 0)
        {
            error = "no -----BEGIN PGP line";
            return false;
        }

        string beginLine = lines[begin].TrimEnd();
        if (!beginLine.EndsWith(Dashes, StringComparison.Ordinal) || beginLine.Length < BeginPrefix.Length + Dashes.Length)
        {
            error = "a malformed BEGIN line";
            return false;
        }

        label = beginLine[BeginPrefix.Length..^Dashes.Length];
        return TryDecodeBody(lines, begin + 1, label, out packets, out error);
    }

    /// <summary>Decodes the armour headers and body that start at <paramref name="first"/>, up to the END line of <paramref name="label"/>.</summary>
    internal static bool TryDecodeBody(string[] lines, int first, string label, out byte[] packets, out string? error)
    {
        packets = [];
        int index = first;

        // Armour headers (RFC 9580 §6.2.2): "Key: Value" lines up to a blank line.
        while (index < lines.Length && lines[index].TrimEnd().Length > 0 && lines[index].Contains(": ", StringComparison.Ordinal))
        {
            index++;
        }

        var base64 = new StringBuilder();
        string? checksum = null;
        string endLine = EndPrefix + label + Dashes;
        for (; index < lines.Length; index++)
        {
            string line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith(EndPrefix, StringComparison.Ordinal))
            {
                if (!string.Equals(line, endLine, StringComparison.Ordinal))
                {
                    error = "the END line does not match the BEGIN line";
                    return false;
                }

                return Decode(base64.ToString(), checksum, out packets, out error);
            }

            if (line.StartsWith('=') && line.Length == 5)
            {
                checksum = line[1..];
            }
            else
            {
                base64.Append(line);
            }
        }

        error = "no " + endLine + " line";
        return false;
    }

    private static bool Decode(string base64, string? checksum, out byte[] packets, out string? error)
    {
        packets = [];
        try
        {
            packets = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            error = "broken base64";
            return false;
        }

        if (checksum is not null)
        {
            byte[] crcBytes;
            try
            {
                crcBytes = Convert.FromBase64String(checksum);
            }
            catch (FormatException)
            {
                error = "a broken CRC-24 line";
                return false;
            }

            Span<byte> expected = stackalloc byte[3];
            Crc24Bytes(packets, expected);
            if (!expected.SequenceEqual(crcBytes))
            {
                Array.Clear(packets);
                packets = [];
                error = "its CRC-24 checksum does not match (the text was changed or cut)";
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>The CRC-24 of <paramref name="data"/> as the three big-endian octets the armour encodes.</summary>
    private static void Crc24Bytes(ReadOnlySpan<byte> data, Span<byte> octets)
    {
        int crc = Crc24(data);
        octets[0] = (byte)((crc >> 16) & 0xFF);
        octets[1] = (byte)((crc >> 8) & 0xFF);
        octets[2] = (byte)(crc & 0xFF);
    }

    /// <summary>CRC-24 of RFC 9580 §6.1.1.</summary>
    internal static int Crc24(ReadOnlySpan<byte> data)
    {
        int crc = Crc24Init;
        foreach (byte b in data)
        {
            crc ^= b << 16;
            for (int bit = 0; bit < 8; bit++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= Crc24Poly;
                }
            }
        }

        return crc & Crc24Mask;
    }
}
