using System.Text;

namespace DkmsPack.Signing;

/// <summary>
/// The cleartext signature framework (RFC 9580 §7; RFC 4880 §7): the text between a <c>-----BEGIN PGP SIGNED
/// MESSAGE-----</c> block with its <c>Hash:</c> header and an armoured signature, lines that start with '-'
/// dash-escaped (§7.2). The signature (type 0x01) covers the canonical text: lines without trailing spaces and
/// tabs, joined by CR LF, without the line ending that precedes the signature.
/// </summary>
internal static class ClearSignedText
{
    /// <summary>The armour header that names the hash (RFC 9580 §7.1); it must match the signature's.</summary>
    public const string HashHeader = "Hash: SHA256";

    private const string DashEscape = "- ";

    /// <summary>The text's lines, a final line ending not counting as an empty last line; CR before LF dropped.</summary>
    public static string[] Lines(string text)
    {
        string[] lines = text.Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }

        return lines;
    }

    /// <summary>What the canonical-text signature covers (RFC 9580 §7.2, §5.2.4), as UTF-8.</summary>
    public static byte[] CanonicalBytes(string text) => CanonicalBytes(Lines(text));

    public static byte[] CanonicalBytes(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes(string.Join("\r\n", lines.Select(WithoutTrailingBlanks)));

    /// <summary>A line as the signature sees it: without trailing spaces and tabs (RFC 9580 §7.2).</summary>
    public static string WithoutTrailingBlanks(string line) => line.TrimEnd(' ', '\t');

    /// <summary>The whole clear-signed message: header, dash-escaped text, armoured <paramref name="signature"/>.</summary>
    public static string Frame(string text, ReadOnlySpan<byte> signature)
    {
        var output = new StringBuilder();
        output.Append("-----BEGIN ").Append(OpenPgpArmor.SignedMessageLabel).Append("-----\n");
        output.Append(HashHeader).Append("\n\n");
        foreach (string line in Lines(text))
        {
            if (line.StartsWith('-'))
            {
                output.Append(DashEscape);
            }

            output.Append(line).Append('\n');
        }

        output.Append(OpenPgpArmor.Encode(signature, OpenPgpArmor.SignatureLabel));
        return output.ToString();
    }

    /// <summary>
    /// Splits a clear-signed message into its text lines (dash-escaping undone) and the signature packets;
    /// false with a reason when it is not one.
    /// </summary>
    public static bool TryParse(string message, out string[] lines, out byte[] signature, out string? error)
    {
        lines = [];
        signature = [];
        string[] all = message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string begin = "-----BEGIN " + OpenPgpArmor.SignedMessageLabel + "-----";
        int index = Array.FindIndex(all, l => string.Equals(l.TrimEnd(), begin, StringComparison.Ordinal));
        if (index < 0)
        {
            error = "no " + begin + " line";
            return false;
        }

        // Armour headers (Hash: …) up to the blank line.
        for (index++; index < all.Length && all[index].Trim().Length > 0; index++)
        {
        }

        string signatureBegin = "-----BEGIN " + OpenPgpArmor.SignatureLabel + "-----";
        var text = new List<string>();
        for (index++; index < all.Length && !string.Equals(all[index].TrimEnd(), signatureBegin, StringComparison.Ordinal); index++)
        {
            string line = all[index];
            text.Add(line.StartsWith(DashEscape, StringComparison.Ordinal) ? line[DashEscape.Length..] : line);
        }

        if (index >= all.Length)
        {
            error = "no " + signatureBegin + " line";
            return false;
        }

        if (!OpenPgpArmor.TryDecodeBody(all, index + 1, OpenPgpArmor.SignatureLabel, out signature, out error))
        {
            return false;
        }

        lines = [.. text];
        return true;
    }
}
