using System.Text;

namespace DkmsPack.Dkms;

internal enum ShellTokenKind
{
    Word,

    /// <summary><c>;</c> <c>&amp;</c> <c>&amp;&amp;</c> <c>||</c> <c>|</c> <c>|&amp;</c> <c>(</c> <c>)</c> <c>;;</c> <c>;&amp;</c> <c>;;&amp;</c>.</summary>
    Operator,

    /// <summary><c>&lt;</c> <c>&gt;</c> <c>&gt;&gt;</c> <c>2&gt;&amp;</c> <c>&lt;&lt;</c> … (the target word follows as its own token).</summary>
    Redirection,

    Newline,
    End,
}

internal sealed record ShellToken(ShellTokenKind Kind, string Text, TextSpan Span, ShellWord? Word = null)
{
    public bool IsOperator(string text) => Kind == ShellTokenKind.Operator && string.Equals(Text, text, StringComparison.Ordinal);
}

/// <summary>Where bash would stop reading the file, and why.</summary>
internal sealed record ShellSyntaxError(int Offset, string Message);

/// <summary>Thrown inside the lexer and parser to abandon the input at its first syntax error.</summary>
#pragma warning disable CA1064 // Never escapes this assembly: the lexer and parser turn it into a ShellSyntaxError.
internal sealed class ShellSyntaxException(int offset, string message) : Exception(message)
#pragma warning restore CA1064
{
    public int Offset { get; } = offset;
}

/// <summary>
/// Splits dkms.conf into bash tokens: words (with quotes, escapes and expansions resolved into parts),
/// operators, redirections and newlines. Comments, line continuations and here-document bodies vanish here.
/// It never evaluates anything: <c>$(…)</c> and friends are only delimited, so their text can be quoted in messages.
/// </summary>
internal sealed class ShellLexer
{
    private readonly string _text;
    private readonly List<ShellToken> _tokens = [];
    private readonly List<(string Delimiter, bool StripTabs)> _pendingHereDocuments = [];
    private (bool StripTabs, bool Pending) _hereDocumentDelimiterExpected;
    private int _pos;
    private int _nesting;

    private ShellLexer(string text)
    {
        _text = text;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    /// <summary>
    /// Tokenizes <paramref name="text"/>. On a syntax error the tokens read so far are kept (bash runs the
    /// commands before the error) and the list ends there; the last token is always <see cref="ShellTokenKind.End"/>.
    /// </summary>
    /// <exception cref="DkmsConfLimitException">Expansions nest deeper than <see cref="DkmsConfLimits.MaxNesting"/>.</exception>
    public static (IReadOnlyList<ShellToken> Tokens, ShellSyntaxError? Error) Tokenize(string text)
    {
        var lexer = new ShellLexer(text);
        ShellSyntaxError? error = null;
        try
        {
            lexer.ReadAll();
        }
        catch (ShellSyntaxException e)
        {
            error = new ShellSyntaxError(e.Offset, e.Message);
        }

        int end = error?.Offset ?? text.Length;
        lexer._tokens.Add(new ShellToken(ShellTokenKind.End, string.Empty, new TextSpan(end, 0)));
        return (lexer._tokens, error);
    }

    private void ReadAll()
    {
        while (true)
        {
            SkipBlanksAndComments();
            if (AtEnd)
            {
                return;
            }

            int start = _pos;
            if (TryReadNewline())
            {
                _tokens.Add(new ShellToken(ShellTokenKind.Newline, "\n", TextSpan.FromBounds(start, _pos)));
                SkipHereDocumentBodies();
            }
            else if (!TryReadOperator())
            {
                ShellWord word = ReadWord(allowAssignment: true);
                _tokens.Add(new ShellToken(ShellTokenKind.Word, _text[start.._pos], word.Span, word));
                if (_hereDocumentDelimiterExpected.Pending)
                {
                    _pendingHereDocuments.Add((HereDocumentDelimiter(word), _hereDocumentDelimiterExpected.StripTabs));
                    _hereDocumentDelimiterExpected = default;
                }
            }
        }
    }

    // Blanks are spaces and tabs; a backslash-newline joins lines (outside single quotes, bash deletes both characters);
    // '#' starts a comment only where a word could start, so "A=#x#" keeps its '#'.
    private void SkipBlanksAndComments()
    {
        while (!AtEnd)
        {
            if (Current is ' ' or '\t')
            {
                _pos++;
            }
            else if (Current == '\\' && NewlineLengthAt(_pos + 1) > 0)
            {
                _pos += 1 + NewlineLengthAt(_pos + 1);
            }
            else if (Current == '#')
            {
                while (!AtEnd && Current != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    // Only LF ends a line. As in bash, a CR is an ordinary character: in a CRLF file "then\r" is no keyword and
    // PACKAGE_NAME="x"\r assigns "x\r" (DKMS's safe_source strips one trailing CR from each value afterwards; docs/dkms-conf.md).
    private int NewlineLengthAt(int pos) => pos < _text.Length && _text[pos] == '\n' ? 1 : 0;

    private bool TryReadNewline()
    {
        int length = NewlineLengthAt(_pos);
        _pos += length;
        return length > 0;
    }

    private bool IsWordEnd(int pos) =>
        pos >= _text.Length || _text[pos] is ' ' or '\t' or ';' or '&' or '|' or '(' or ')' or '<' or '>' || NewlineLengthAt(pos) > 0;

    private bool TryReadOperator()
    {
        int start = _pos;

        // "2>", "10>&": digits directly before a redirection are its file descriptor, not a word.
        int digitsEnd = _pos;
        while (digitsEnd < _text.Length && char.IsAsciiDigit(_text[digitsEnd]))
        {
            digitsEnd++;
        }

        if (digitsEnd > _pos && digitsEnd < _text.Length && _text[digitsEnd] is '<' or '>')
        {
            _pos = digitsEnd;
        }

        string? redirection = MatchLongest("<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">", "&>>", "&>");
        if (redirection is not null)
        {
            _pos += redirection.Length;
            if (redirection is "<<" or "<<-")
            {
                _hereDocumentDelimiterExpected = (StripTabs: redirection == "<<-", Pending: true);
            }

            _tokens.Add(new ShellToken(ShellTokenKind.Redirection, _text[start.._pos], TextSpan.FromBounds(start, _pos)));
            return true;
        }

        _pos = start;
        string? op = MatchLongest(";;&", ";;", ";&", ";", "&&", "&", "||", "|&", "|", "(", ")");
        if (op is null)
        {
            return false;
        }

        _pos += op.Length;
        _tokens.Add(new ShellToken(ShellTokenKind.Operator, op, TextSpan.FromBounds(start, _pos)));
        return true;
    }

    // The candidates are listed longest first, so the first match is the longest.
    private string? MatchLongest(params ReadOnlySpan<string> candidates)
    {
        foreach (string candidate in candidates)
        {
            if (string.CompareOrdinal(_text, _pos, candidate, 0, candidate.Length) == 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private ShellWord ReadWord(bool allowAssignment)
    {
        int start = _pos;
        if (allowAssignment && TryReadAssignmentPrefix(out string name, out string? index, out bool isAppend, out int operatorStart))
        {
            int valueStart = _pos;

            // NAME=( … ) is a compound array assignment; NAME[i]=( … ) is a bash error, so only the plain form counts.
            if (index is null && !AtEnd && Current == '(')
            {
                IReadOnlyList<ShellWord> elements = ReadArrayElements();
                if (!IsWordEnd(_pos))
                {
                    // "A=(a b)x", and "A=(a b)\r" in a CRLF file: bash assigns the string "(a b)x", the elements joined
                    // by single blanks and evaluated like a plain value.
                    return new ShellWord
                    {
                        Parts = ArrayAsString(valueStart, elements, _pos - 1, ReadWordParts()),
                        Span = TextSpan.FromBounds(start, _pos),
                        Assignment = new AssignmentTarget(name, null, isAppend, operatorStart, TextSpan.FromBounds(valueStart, _pos)),
                    };
                }

                return new ShellWord
                {
                    Parts = [],
                    Span = TextSpan.FromBounds(start, _pos),
                    Assignment = new AssignmentTarget(name, null, isAppend, operatorStart, TextSpan.FromBounds(valueStart, _pos)),
                    ArrayElements = elements,
                };
            }

            IReadOnlyList<WordPart> valueParts = ReadWordParts();
            return new ShellWord
            {
                Parts = valueParts,
                Span = TextSpan.FromBounds(start, _pos),
                Assignment = new AssignmentTarget(name, index, isAppend, operatorStart, TextSpan.FromBounds(valueStart, _pos)),
            };
        }

        IReadOnlyList<WordPart> parts = ReadWordParts();
        return new ShellWord { Parts = parts, Span = TextSpan.FromBounds(start, _pos) };
    }

    // NAME=, NAME+=, NAME[index]=, NAME[index]+= (unquoted, at the start of the word). Leaves _pos alone on no match.
    private bool TryReadAssignmentPrefix(out string name, out string? index, out bool isAppend, out int operatorStart)
    {
        name = string.Empty;
        index = null;
        isAppend = false;
        operatorStart = 0;

        int pos = _pos;
        if (pos >= _text.Length || !IsNameStart(_text[pos]))
        {
            return false;
        }

        while (pos < _text.Length && IsNameChar(_text[pos]))
        {
            pos++;
        }

        int nameEnd = pos;
        int indexStart = -1;
        int indexEnd = -1;
        if (pos < _text.Length && _text[pos] == '[')
        {
            indexStart = pos + 1;
            pos = indexStart;
            while (pos < _text.Length && _text[pos] != ']' && !IsWordEnd(pos))
            {
                pos++;
            }

            if (pos >= _text.Length || _text[pos] != ']')
            {
                return false;
            }

            indexEnd = pos;
            pos++;
        }

        int op = pos;
        if (pos < _text.Length && _text[pos] == '+')
        {
            pos++;
        }

        if (pos >= _text.Length || _text[pos] != '=')
        {
            return false;
        }

        name = _text[_pos..nameEnd];
        index = indexStart >= 0 ? _text[indexStart..indexEnd] : null;
        isAppend = pos > op;
        operatorStart = op;
        _pos = pos + 1;
        return true;
    }

    private List<ShellWord> ReadArrayElements()
    {
        int open = _pos;
        _pos++;
        var elements = new List<ShellWord>();
        while (true)
        {
            // Inside ( … ) newlines separate elements like blanks, and comments are allowed.
            SkipBlanksAndComments();
            if (TryReadNewline())
            {
                continue;
            }

            if (AtEnd)
            {
                throw new ShellSyntaxException(open, "syntax error: the array assignment opened here with '(' is never closed");
            }

            if (Current == ')')
            {
                _pos++;
                return elements;
            }

            if (IsWordEnd(_pos))
            {
                throw new ShellSyntaxException(_pos, $"syntax error near unexpected token '{Current}' inside an array assignment");
            }

            elements.Add(ReadWord(allowAssignment: false));
        }
    }

    private static List<WordPart> ArrayAsString(int open, IReadOnlyList<ShellWord> elements, int close, IReadOnlyList<WordPart> rest)
    {
        var parts = new List<WordPart> { new LiteralPart("(", new TextSpan(open, 1), IsQuoted: true) };
        for (int i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                parts.Add(new LiteralPart(" ", new TextSpan(elements[i].Span.Start, 0), IsQuoted: true));
            }

            parts.AddRange(elements[i].Parts);
        }

        parts.Add(new LiteralPart(")", new TextSpan(close, 1), IsQuoted: true));
        parts.AddRange(rest);
        return parts;
    }

    private List<WordPart> ReadWordParts()
    {
        var parts = new PartsBuilder();
        while (!IsWordEnd(_pos))
        {
            int start = _pos;
            switch (Current)
            {
                case '\\':
                    int newline = NewlineLengthAt(_pos + 1);
                    if (newline > 0)
                    {
                        _pos += 1 + newline;
                    }
                    else if (_pos + 1 < _text.Length)
                    {
                        parts.AddLiteral(_text[_pos + 1].ToString(), start, start + 2, quoted: true);
                        _pos += 2;
                    }
                    else
                    {
                        parts.AddLiteral("\\", start, start + 1, quoted: false);
                        _pos++;
                    }

                    break;
                case '\'':
                    ReadSingleQuoted(parts);
                    break;
                case '"':
                    ReadDoubleQuoted(parts);
                    break;
                case '$':
                    ReadDollar(parts, quoted: false);
                    break;
                case '`':
                    SkipBackticks();
                    parts.Add(new UnevaluatedPart(ExpansionKind.BacktickSubstitution, TextSpan.FromBounds(start, _pos), IsQuoted: false));
                    break;
                default:
                    parts.AddLiteral(Current.ToString(), start, start + 1, quoted: false);
                    _pos++;
                    break;
            }
        }

        return parts.Build();
    }

    private void ReadSingleQuoted(PartsBuilder parts)
    {
        int open = _pos;
        int close = SingleQuoteEnd(open);
        parts.AddLiteral(_text[(open + 1)..close], open, close + 1, quoted: true);
        _pos = close + 1;
    }

    // Inside double quotes a backslash escapes only $ ` " \ and newline; before anything else it stays a backslash.
    private void ReadDoubleQuoted(PartsBuilder parts)
    {
        int open = _pos;
        _pos++;
        while (true)
        {
            if (AtEnd)
            {
                throw new ShellSyntaxException(open, "syntax error: the double quote opened here is never closed");
            }

            int start = _pos;
            char c = Current;
            if (c == '"')
            {
                _pos++;
                return;
            }

            if (c == '\\' && _pos + 1 < _text.Length)
            {
                int newline = NewlineLengthAt(_pos + 1);
                char next = _text[_pos + 1];
                if (newline > 0)
                {
                    _pos += 1 + newline;
                }
                else if (next is '$' or '`' or '"' or '\\')
                {
                    parts.AddLiteral(next.ToString(), start, start + 2, quoted: true);
                    _pos += 2;
                }
                else
                {
                    parts.AddLiteral("\\", start, start + 1, quoted: true);
                    _pos++;
                }
            }
            else if (c == '$')
            {
                ReadDollar(parts, quoted: true);
            }
            else if (c == '`')
            {
                SkipBackticks();
                parts.Add(new UnevaluatedPart(ExpansionKind.BacktickSubstitution, TextSpan.FromBounds(start, _pos), IsQuoted: true));
            }
            else
            {
                parts.AddLiteral(c.ToString(), start, start + 1, quoted: true);
                _pos++;
            }
        }
    }

    private void ReadDollar(PartsBuilder parts, bool quoted)
    {
        int start = _pos;
        char next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        if (next == '{')
        {
            _pos += 2;
            SkipToCloser(start, '}', "${");
            parts.Add(ClassifyBracedParameter(TextSpan.FromBounds(start, _pos), quoted));
        }
        else if (next == '(')
        {
            // $(( … )) is arithmetic; the same balanced-parenthesis scan finds its end.
            bool arithmetic = _pos + 2 < _text.Length && _text[_pos + 2] == '(';
            _pos += 2;
            SkipToCloser(start, ')', "$(");
            ExpansionKind kind = arithmetic ? ExpansionKind.Arithmetic : ExpansionKind.CommandSubstitution;
            parts.Add(new UnevaluatedPart(kind, TextSpan.FromBounds(start, _pos), quoted));
        }
        else if (IsNameStart(next))
        {
            _pos++;
            while (!AtEnd && IsNameChar(Current))
            {
                _pos++;
            }

            parts.Add(new ParameterPart(_text[(start + 1).._pos], null, TextSpan.FromBounds(start, _pos), quoted));
        }
        else if (char.IsAsciiDigit(next) || next is '@' or '*' or '#' or '?' or '$' or '!' or '-')
        {
            _pos += 2;
            parts.Add(new UnevaluatedPart(ExpansionKind.SpecialParameter, TextSpan.FromBounds(start, _pos), quoted));
        }
        else if (!quoted && next == '\'')
        {
            _pos++;
            SkipBackslashQuoted(start, "$' quote");
            parts.Add(new UnevaluatedPart(ExpansionKind.AnsiCQuoting, TextSpan.FromBounds(start, _pos), IsQuoted: true));
        }
        else if (!quoted && next == '"')
        {
            // $"…" is a double-quoted string subject to locale translation, which is never configured for DKMS.
            _pos++;
            ReadDoubleQuoted(parts);
        }
        else
        {
            // A '$' before anything else (e.g. the end of "^do_not_build$") is an ordinary character.
            parts.AddLiteral("$", start, start + 1, quoted);
            _pos++;
        }
    }

    // ${NAME} and ${NAME[digits]} are plain references; every other form applies an operator dkmspack does not evaluate.
    // An index with a leading zero is left alone too: bash reads ${A[010]} as octal.
    private WordPart ClassifyBracedParameter(TextSpan span, bool quoted)
    {
        string body = _text[(span.Start + 2)..(span.End - 1)];
        int nameLength = 0;
        while (nameLength < body.Length && (nameLength == 0 ? IsNameStart(body[0]) : IsNameChar(body[nameLength])))
        {
            nameLength++;
        }

        if (nameLength == 0)
        {
            bool special = body.Length > 0 && (body.All(char.IsAsciiDigit) || (body.Length == 1 && "@*#?$!-".Contains(body[0], StringComparison.Ordinal)));
            return new UnevaluatedPart(special ? ExpansionKind.SpecialParameter : ExpansionKind.ParameterOperator, span, quoted);
        }

        string name = body[..nameLength];
        string rest = body[nameLength..];
        if (rest.Length == 0)
        {
            return new ParameterPart(name, null, span, quoted);
        }

        if (rest[0] == '[' && rest[^1] == ']' && TryParseIndex(rest[1..^1], out int index))
        {
            return new ParameterPart(name, index, span, quoted);
        }

        return new UnevaluatedPart(ExpansionKind.ParameterOperator, span, quoted);
    }

    /// <summary>A literal array index as bash reads it: decimal digits, no leading zero (that would be octal).</summary>
    internal static bool TryParseIndex(string text, out int index)
    {
        index = 0;
        bool plainDecimal = text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0');
        return plainDecimal && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
    }

    // Finds the end of a construct kept as written: $( … ) (closer ')'), ${ … } (closer '}') or a double-quoted string
    // inside them (closer '"'). Escapes, quotes and nested $( ${ ` are stepped over so their brackets do not count;
    // inside $( … ) a '(' must be balanced (subshells, extglob @(…)) and '#' after a blank starts a comment.
    private void SkipToCloser(int open, char closer, string what)
    {
        if (++_nesting > DkmsConfLimits.MaxNesting)
        {
            throw DkmsConfLimitException.Nesting(open);
        }

        SkipToCloserUnguarded(open, closer, what);
        _nesting--;
    }

    private void SkipToCloserUnguarded(int open, char closer, string what)
    {
        int depth = 0;
        while (true)
        {
            if (AtEnd)
            {
                throw new ShellSyntaxException(open, $"syntax error: the {what} opened here is never closed");
            }

            int start = _pos;
            char c = Current;
            char next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
            if (c == closer && depth == 0)
            {
                _pos++;
                return;
            }

            switch (c)
            {
                case '\\':
                    _pos += 2;
                    break;
                case '\'' when closer != '"':
                    _pos = SingleQuoteEnd(start) + 1;
                    break;
                case '"' when closer != '"':
                    _pos++;
                    SkipToCloser(start, '"', "double quote");
                    break;
                case '`':
                    SkipBackticks();
                    break;
                case '$' when next is '(' or '{':
                    _pos += 2;
                    SkipToCloser(start, next == '(' ? ')' : '}', next == '(' ? "$(" : "${");
                    break;
                case '#' when closer == ')' && start > 0 && _text[start - 1] is ' ' or '\t' or '\n':
                    int lineEnd = _text.IndexOf('\n', start);
                    _pos = lineEnd < 0 ? _text.Length : lineEnd;
                    break;
                default:
                    depth += closer != ')' ? 0 : c == '(' ? 1 : c == ')' ? -1 : 0;
                    _pos++;
                    break;
            }
        }
    }

    private int SingleQuoteEnd(int open)
    {
        int close = _text.IndexOf('\'', open + 1);
        return close >= 0 ? close : throw new ShellSyntaxException(open, "syntax error: the single quote opened here is never closed");
    }

    private void SkipBackticks() => SkipBackslashQuoted(_pos, "backtick");

    // `…` and $'…': from the opening quote character at _pos to the same character unescaped.
    private void SkipBackslashQuoted(int open, string what)
    {
        char quote = Current;
        _pos++;
        while (true)
        {
            if (AtEnd)
            {
                throw new ShellSyntaxException(open, $"syntax error: the {what} opened here is never closed");
            }

            if (Current == quote)
            {
                _pos++;
                return;
            }

            _pos += Current == '\\' ? 2 : 1;
        }
    }

    // The body lines after "cmd <<EOF" are data, not commands: skip them up to the delimiter line.
    private void SkipHereDocumentBodies()
    {
        foreach ((string delimiter, bool stripTabs) in _pendingHereDocuments)
        {
            while (!AtEnd)
            {
                int lineEnd = _text.IndexOf('\n', _pos);
                int next = lineEnd < 0 ? _text.Length : lineEnd + 1;
                string line = _text[_pos..(lineEnd < 0 ? _text.Length : lineEnd)];
                _pos = next;
                if (string.Equals(stripTabs ? line.TrimStart('\t') : line, delimiter, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        _pendingHereDocuments.Clear();
    }

    private string HereDocumentDelimiter(ShellWord word)
    {
        var delimiter = new StringBuilder();
        foreach (WordPart part in word.Parts)
        {
            if (part is LiteralPart literal)
            {
                delimiter.Append(literal.Text);
            }
            else
            {
                delimiter.Append(_text.AsSpan(part.Span.Start, part.Span.Length));
            }
        }

        return delimiter.ToString();
    }

    internal static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    internal static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Collects word parts, merging neighbouring literal characters of the same quotedness.</summary>
    private sealed class PartsBuilder
    {
        private readonly List<WordPart> _parts = [];
        private readonly StringBuilder _literal = new();
        private int _literalStart;
        private int _literalEnd;
        private bool _literalQuoted;

        public void AddLiteral(string text, int start, int end, bool quoted)
        {
            if (_literal.Length > 0 && quoted != _literalQuoted)
            {
                FlushLiteral();
            }

            if (_literal.Length == 0)
            {
                _literalStart = start;
                _literalQuoted = quoted;
            }

            _literal.Append(text);
            _literalEnd = end;
        }

        public void Add(WordPart part)
        {
            FlushLiteral();
            _parts.Add(part);
        }

        public List<WordPart> Build()
        {
            FlushLiteral();
            return _parts;
        }

        private void FlushLiteral()
        {
            if (_literal.Length > 0)
            {
                _parts.Add(new LiteralPart(_literal.ToString(), TextSpan.FromBounds(_literalStart, _literalEnd), _literalQuoted));
                _literal.Clear();
            }
        }
    }
}
