using System.Globalization;
using System.Text;

namespace DkmsPack.Source;

/// <summary>
/// Cleans a value found in the module's files (a copyright holder, a licence tag) into one line that every package
/// field can carry. Such values were never typed by the user, so a stray byte in them must not fail the command
/// line: CR (CRLF files are common), tabs and other control characters, invisible format characters (bidi
/// overrides, BOMs), runs of spaces and the comment punctuation a regex drags along are dropped.
/// </summary>
public static class DerivedText
{
    /// <summary>Comment and list punctuation that ends a line in a C, shell or Makefile comment, not the value.</summary>
    private static readonly char[] s_trailingPunctuation = [' ', '*', '/', ',', ';', '.', '#', '-', '>', '<', '!'];

    /// <summary>The cleaned one-line text, or null when nothing is left.</summary>
    public static string? OneLine(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                // Tabs, CR, LF and the other control characters separate words at most.
                if (text.Length > 0 && text[^1] != ' ')
                {
                    text.Append(' ');
                }
            }
            else if (category is not (UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse) && c != '\uFFFD')
            {
                text.Append(c);
            }
        }

        string cleaned = TrimTrailingPunctuation(text.ToString().Trim());
        return cleaned.Length > 0 ? cleaned : null;
    }

    /// <summary>Drops trailing comment closers and list punctuation ("Jane Doe */", "Jane Doe,", "--&gt;"), keeping the "&gt;" that closes an e-mail address.</summary>
    private static string TrimTrailingPunctuation(string text)
    {
        string trimmed = text;
        while (trimmed.Length > 0 && s_trailingPunctuation.Contains(trimmed[^1]))
        {
            if (trimmed.EndsWith("-->", StringComparison.Ordinal))
            {
                trimmed = trimmed[..^3];
                continue;
            }

            int open = trimmed.LastIndexOf('<');
            if (trimmed[^1] == '>' && open >= 0 && trimmed.IndexOf('>', open) == trimmed.Length - 1)
            {
                break;
            }

            trimmed = trimmed[..^1];
        }

        return trimmed.TrimEnd();
    }
}
