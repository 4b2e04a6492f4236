namespace DkmsPack.Dkms;

/// <summary>
/// Template placeholders that stand where a release script later writes the real value (docs/dkms-conf.md, "Placeholders"):
/// <c>#MODULE_VERSION#</c> (dh_dkms -V), <c>#VERSION#</c> (xone), <c>@VERSION@</c>/<c>@FULL_VERSION@</c> (autoconf style),
/// <c>__VERSION_STRING</c> (NVIDIA). In general <c>#WORD#</c>, <c>@WORD@</c> and <c>__WORD</c> with WORD in capitals.
/// </summary>
internal static class Placeholder
{
    /// <summary>True when <paramref name="value"/> is exactly one placeholder.</summary>
    public static bool IsPlaceholder(string value) => value.Length > 0 && MatchAt(value, 0) == value.Length;

    /// <summary>The first placeholder inside <paramref name="value"/>, or null.</summary>
    public static string? FindIn(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            int length = MatchAt(value, i);
            if (length > 0)
            {
                return value.Substring(i, length);
            }
        }

        return null;
    }

    /// <summary>
    /// The first token shaped like an unfilled release-script placeholder in a value (<c>@WORD@</c>, <c>#WORD#</c> or
    /// <c>__WORD__</c>), other than <paramref name="filled"/>; null when there is none. <c>__WORD__</c> right after
    /// <c>-D</c> or <c>-U</c> is a C macro (<c>-D__KERNEL__</c>), not a placeholder.
    /// </summary>
    public static string? FindLeftoverIn(string value, string? filled)
    {
        for (int i = 0; i < value.Length; i++)
        {
            int length = MatchAt(value, i);
            if (length == 0)
            {
                continue;
            }

            string token = value.Substring(i, length);
            bool cMacro = token[0] == '_' && i >= 2 && value[i - 2] == '-' && value[i - 1] is 'D' or 'U';
            bool closed = token[0] != '_' || (token.Length > 4 && token.EndsWith("__", StringComparison.Ordinal));
            if (closed && !cMacro && !string.Equals(token, filled, StringComparison.Ordinal))
            {
                return token;
            }

            i += length - 1;
        }

        return null;
    }

    /// <summary>Where the placeholder <paramref name="token"/> occurs in <paramref name="text"/> as a whole placeholder (not inside a longer one).</summary>
    public static IEnumerable<int> Occurrences(string text, string token)
    {
        if (token.Length == 0)
        {
            yield break;
        }

        for (int at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + token.Length, StringComparison.Ordinal))
        {
            if (MatchAt(text, at) == token.Length)
            {
                yield return at;
            }
        }
    }

    /// <summary>The length of the placeholder starting at <paramref name="start"/>, or 0 when none starts there.</summary>
    private static int MatchAt(string text, int start)
    {
        if (start >= text.Length)
        {
            return 0;
        }

        char first = text[start];
        if (first is '#' or '@')
        {
            int end = WordEnd(text, start + 1);
            return end > start + 1 && end < text.Length && text[end] == first ? end + 1 - start : 0;
        }

        // "__WORD" must not be the tail of an identifier (MY__X) and takes the whole WORD (__VERSION_STRING, not __VERSION).
        bool startsIdentifier = start == 0 || !ShellLexer.IsNameChar(text[start - 1]);
        if (first == '_' && startsIdentifier && start + 1 < text.Length && text[start + 1] == '_')
        {
            int end = WordEnd(text, start + 2);
            bool endsIdentifier = end == text.Length || !ShellLexer.IsNameChar(text[end]);
            return end > start + 2 && endsIdentifier ? end - start : 0;
        }

        return 0;
    }

    // WORD = [A-Z][A-Z0-9_]*
    private static int WordEnd(string text, int start)
    {
        if (start >= text.Length || !char.IsAsciiLetterUpper(text[start]))
        {
            return start;
        }

        int end = start + 1;
        while (end < text.Length && (char.IsAsciiLetterUpper(text[end]) || char.IsAsciiDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end;
    }
}
