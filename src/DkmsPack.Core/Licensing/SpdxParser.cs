using System.Globalization;

namespace DkmsPack.Licensing;

/// <summary>
/// A recursive-descent parser for the SPDX licence-expression grammar (SPDX specification, annex "SPDX license
/// expressions", https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/):
/// <code>
/// expression = and-expr *( "OR" and-expr )            ; OR binds loosest
/// and-expr   = with-expr *( "AND" with-expr )
/// with-expr  = simple [ "WITH" exception-id ] / "(" expression ")"
/// simple     = license-id [ "+" ] / [ "DocumentRef-" idstring ":" ] "LicenseRef-" idstring
/// idstring   = 1*( ALPHA / DIGIT / "-" / "." )
/// </code>
/// Operators are all upper case or all lower case (AND, and); identifiers match in any case.
/// </summary>
internal sealed class SpdxParser
{
    private const string LicenseRefPrefix = "LicenseRef-";
    private const string DocumentRefPrefix = "DocumentRef-";

    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;

    private SpdxParser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private enum TokenKind
    {
        Open,
        Close,
        And,
        Or,
        With,
        Word,
        End,
    }

    public static SpdxExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > SpdxExpression.MaxLength)
        {
            throw new SpdxSyntaxException($"is longer than {SpdxExpression.MaxLength.ToString(CultureInfo.InvariantCulture)} characters");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SpdxSyntaxException("is empty");
        }

        var parser = new SpdxParser(Tokenize(text));
        SpdxExpression expression = parser.ParseOr();
        Token next = parser.Peek();
        if (next.Kind == TokenKind.Close)
        {
            throw Error(next, "has a ')' without a matching '('");
        }

        if (next.Kind != TokenKind.End)
        {
            throw Error(next, $"has \"{next.Text}\" where AND, OR or the end was expected");
        }

        return expression;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t')
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString(), i));
                i++;
            }
            else if (IsWordCharacter(c))
            {
                int start = i;
                while (i < text.Length && IsWordCharacter(text[i]))
                {
                    i++;
                }

                string word = text[start..i];
                tokens.Add(new Token(OperatorKind(word, start), word, start));
            }
            else
            {
                string shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new SpdxSyntaxException($"has '{shown}' at column {(i + 1).ToString(CultureInfo.InvariantCulture)}, which no SPDX expression holds (identifiers use letters, digits, '.' and '-'; operators AND, OR, WITH; brackets)");
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        return tokens;
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or ':';

    private static TokenKind OperatorKind(string word, int start)
    {
        foreach ((string upper, string lower, TokenKind kind) in (ReadOnlySpan<(string, string, TokenKind)>)[("AND", "and", TokenKind.And), ("OR", "or", TokenKind.Or), ("WITH", "with", TokenKind.With)])
        {
            if (string.Equals(word, upper, StringComparison.Ordinal) || string.Equals(word, lower, StringComparison.Ordinal))
            {
                return kind;
            }

            if (word.Equals(upper, StringComparison.OrdinalIgnoreCase))
            {
                throw new SpdxSyntaxException($"has \"{word}\" at column {(start + 1).ToString(CultureInfo.InvariantCulture)}; SPDX operators are all upper or all lower case: write {upper} or {lower}");
            }
        }

        return TokenKind.Word;
    }

    private Token Peek() => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private SpdxExpression ParseOr()
    {
        var operands = new List<SpdxExpression> { ParseAnd() };
        while (Peek().Kind == TokenKind.Or)
        {
            Next();
            operands.Add(ParseAnd());
        }

        return SpdxExpression.Combine(SpdxOperator.Or, operands);
    }

    private SpdxExpression ParseAnd()
    {
        var operands = new List<SpdxExpression> { ParseWith() };
        while (Peek().Kind == TokenKind.And)
        {
            Next();
            operands.Add(ParseWith());
        }

        return SpdxExpression.Combine(SpdxOperator.And, operands);
    }

    private SpdxExpression ParseWith()
    {
        Token token = Next();
        switch (token.Kind)
        {
            case TokenKind.Open:
                if (++_depth > SpdxExpression.MaxDepth)
                {
                    throw Error(token, $"nests brackets deeper than {SpdxExpression.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels");
                }

                SpdxExpression inner = ParseOr();
                Token close = Next();
                if (close.Kind != TokenKind.Close)
                {
                    throw close.Kind == TokenKind.End
                        ? Error(token, "has a '(' that is never closed")
                        : Error(close, $"has \"{close.Text}\" where AND, OR or ')' was expected");
                }

                _depth--;
                if (Peek().Kind == TokenKind.With)
                {
                    throw Error(Peek(), "has WITH after a bracket; an exception applies to one licence: write (A WITH X) OR B");
                }

                return inner;
            case TokenKind.Word:
                SpdxLicense license = License(token);
                if (Peek().Kind != TokenKind.With)
                {
                    return license;
                }

                Next();
                Token exception = Next();
                if (exception.Kind != TokenKind.Word)
                {
                    throw Error(exception, "has WITH without a licence exception after it (e.g. GPL-2.0-only WITH Linux-syscall-note)");
                }

                return new SpdxLicense(license.Id, license.OrLater, Exception(exception), license.IsKnown);
            case TokenKind.End:
                throw Error(token, _position == 1 ? "is empty" : "ends where a licence was expected");
            case TokenKind.Close:
                throw Error(token, "has ')' where a licence was expected");
            default:
                throw Error(token, $"has {token.Text} where a licence was expected");
        }
    }

    private static SpdxLicense License(Token token)
    {
        string word = token.Text;
        bool plus = word.EndsWith('+');
        string id = plus ? word[..^1] : word;
        if (id.Contains('+', StringComparison.Ordinal) || id.Length == 0)
        {
            throw Error(token, $"has \"{word}\", which is not a licence identifier ('+' may only end one)");
        }

        if (Reference(id, LicenseRefPrefix) is { } reference)
        {
            return plus
                ? throw Error(token, $"has \"{word}\"; a LicenseRef cannot take '+'")
                : new SpdxLicense(reference, orLater: false, exception: null, isKnown: true);
        }

        if (id.StartsWith(LicenseRefPrefix, StringComparison.OrdinalIgnoreCase) || id.StartsWith(DocumentRefPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Error(token, $"has \"{word}\", which is not a licence reference (LicenseRef-NAME or DocumentRef-DOC:LicenseRef-NAME)");
        }

        if (id.Contains(':', StringComparison.Ordinal))
        {
            throw Error(token, $"has \"{word}\"; ':' only separates DocumentRef-x:LicenseRef-y");
        }

        if (SpdxIdentifiers.CanonicalException(id) is { } exceptionId)
        {
            throw Error(token, $"has the exception {exceptionId} used as a licence; write it after WITH (e.g. GPL-2.0-only WITH {exceptionId})");
        }

        string? canonical = SpdxIdentifiers.Canonical(id, plus, out bool orLater);
        return new SpdxLicense(canonical ?? id, orLater, exception: null, isKnown: canonical is not null);
    }

    private static string Exception(Token token)
    {
        string id = token.Text;
        if (Reference(id, "AdditionRef-") is { } reference)
        {
            return reference;
        }

        if (id.Contains('+', StringComparison.Ordinal) || id.Contains(':', StringComparison.Ordinal))
        {
            throw Error(token, $"has \"{id}\" after WITH, which is not an exception identifier");
        }

        if (SpdxIdentifiers.CanonicalException(id) is { } known)
        {
            return known;
        }

        if (SpdxIdentifiers.IsKnownLicense(id))
        {
            throw Error(token, $"has the licence {id} after WITH, where an exception belongs; join two licences with AND or OR");
        }

        return id;
    }

    /// <summary>
    /// LicenseRef-x (or DocumentRef-d:LicenseRef-x) with any idstring, its prefixes spelt canonically (identifiers
    /// match in any case); null when <paramref name="id"/> is not such a reference.
    /// </summary>
    private static string? Reference(string id, string prefix)
    {
        string document = string.Empty;
        string local = id;
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!id.StartsWith(DocumentRefPrefix, StringComparison.OrdinalIgnoreCase) || colon == DocumentRefPrefix.Length)
            {
                return null;
            }

            document = DocumentRefPrefix + id[DocumentRefPrefix.Length..(colon + 1)];
            local = id[(colon + 1)..];
        }

        return local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && local.Length > prefix.Length && !local.Contains(':', StringComparison.Ordinal)
            ? document + prefix + local[prefix.Length..]
            : null;
    }

    private static SpdxSyntaxException Error(Token token, string message)
    {
        string at = token.Kind == TokenKind.End ? string.Empty : $" (column {(token.Start + 1).ToString(CultureInfo.InvariantCulture)})";
        return new SpdxSyntaxException(message + at);
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Start);
}
