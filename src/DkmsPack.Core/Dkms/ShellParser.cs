namespace DkmsPack.Dkms;

/// <summary>
/// A recursive-descent parser for the bash grammar real dkms.conf files use: simple commands, <c>;</c>/<c>&amp;</c>
/// lists, <c>&amp;&amp;</c>/<c>||</c>, pipelines, <c>if</c>, <c>case</c>, loops, groups, subshells, function definitions,
/// <c>[[ … ]]</c> and <c>(( … ))</c>. Reserved words are recognised only unquoted and where a command starts, as in bash.
/// </summary>
internal sealed class ShellParser
{
    // Words that close a list. At the start of a command they end the enclosing list instead of starting a command.
    private static readonly HashSet<string> s_listClosers = new(StringComparer.Ordinal) { "then", "elif", "else", "fi", "do", "done", "esac", "}" };

    private readonly SourceText _source;
    private readonly IReadOnlyList<ShellToken> _tokens;
    private int _index;
    private int _nesting;

    private ShellParser(SourceText source, IReadOnlyList<ShellToken> tokens)
    {
        _source = source;
        _tokens = tokens;
    }

    private ShellToken Current => _tokens[_index];

    /// <summary>
    /// Parses the whole file. Like bash sourcing a file, it keeps every complete top-level command before the first
    /// syntax error and drops the rest, including a compound command the error interrupted.
    /// </summary>
    /// <exception cref="DkmsConfLimitException">Commands or expansions nest deeper than <see cref="DkmsConfLimits.MaxNesting"/>.</exception>
    public static ShellScript Parse(SourceText source)
    {
        (IReadOnlyList<ShellToken> tokens, ShellSyntaxError? lexerError) = ShellLexer.Tokenize(source.Text);
        var parser = new ShellParser(source, tokens);
        var commands = new List<AndOrList>();
        ShellSyntaxError? error = lexerError;
        try
        {
            while (true)
            {
                parser.SkipNewlines();
                if (parser.Current.Kind == ShellTokenKind.End)
                {
                    break;
                }

                commands.Add(parser.ParseAndOrWithSeparator());
            }
        }
        catch (ShellSyntaxException e)
        {
            // A lexer error cuts the token list short; the parser then trips over the early end. Report the cause.
            error = lexerError ?? new ShellSyntaxError(e.Offset, e.Message);
        }

        return new ShellScript(commands, error);
    }

    private AndOrList ParseAndOrWithSeparator()
    {
        AndOrList list = ParseAndOr();
        if (Current.IsOperator("&"))
        {
            _index++;
            return list with { IsBackground = true };
        }

        if (Current.IsOperator(";") || Current.Kind == ShellTokenKind.Newline)
        {
            _index++;
        }
        else if (!IsListEnd())
        {
            throw Unexpected();
        }

        return list;
    }

    private List<AndOrList> ParseList()
    {
        var list = new List<AndOrList>();
        while (true)
        {
            SkipNewlines();
            if (IsListEnd())
            {
                return list;
            }

            list.Add(ParseAndOrWithSeparator());
        }
    }

    private bool IsListEnd()
    {
        ShellToken token = Current;
        return token.Kind == ShellTokenKind.End
            || token.IsOperator(")") || token.IsOperator(";;") || token.IsOperator(";&") || token.IsOperator(";;&")
            || (token.Kind == ShellTokenKind.Word && s_listClosers.Any(token.Word!.IsUnquoted));
    }

    private AndOrList ParseAndOr()
    {
        int start = Current.Span.Start;
        var pipelines = new List<Pipeline> { ParsePipeline() };
        var operators = new List<ShellToken>();
        while (Current.IsOperator("&&") || Current.IsOperator("||"))
        {
            operators.Add(Current);
            _index++;
            SkipNewlines();
            pipelines.Add(ParsePipeline());
        }

        return new AndOrList(pipelines, operators, IsBackground: false, TextSpan.FromBounds(start, pipelines[^1].Span.End));
    }

    private Pipeline ParsePipeline()
    {
        int start = Current.Span.Start;
        if (IsReservedWord("!"))
        {
            _index++;
        }

        var commands = new List<ShellCommand> { ParseCommand() };
        while (Current.IsOperator("|") || Current.IsOperator("|&"))
        {
            _index++;
            SkipNewlines();
            commands.Add(ParseCommand());
        }

        return new Pipeline(commands, TextSpan.FromBounds(start, commands[^1].Span.End));
    }

    // Every compound command recurses through here, so this bounds the depth of the recursion (and of the evaluator's).
    private ShellCommand ParseCommand()
    {
        if (++_nesting > DkmsConfLimits.MaxNesting)
        {
            throw DkmsConfLimitException.Nesting(Current.Span.Start);
        }

        ShellCommand command = ParseCommandUnguarded();
        _nesting--;
        return command;
    }

    private ShellCommand ParseCommandUnguarded()
    {
        ShellToken token = Current;
        ShellCommand command;
        if (token.Kind == ShellTokenKind.Word)
        {
            command = ParseCommandStartingWithWord(token);
        }
        else if (token.IsOperator("("))
        {
            // "((" with nothing between is an arithmetic command; "( (" is a subshell in a subshell.
            ShellToken next = _tokens[_index + 1];
            command = next.IsOperator("(") && next.Span.Start == token.Span.End ? ParseArithmeticCommand() : ParseSubshell();
        }
        else if (token.Kind == ShellTokenKind.Redirection)
        {
            return ParseSimpleCommand();
        }
        else
        {
            throw Unexpected();
        }

        if (command is not SimpleCommand and not FunctionDefinition)
        {
            SkipRedirections();
        }

        return command;
    }

    private ShellCommand ParseCommandStartingWithWord(ShellToken token)
    {
        ShellWord word = token.Word!;
        if (word.IsUnquoted("if"))
        {
            return ParseIf();
        }

        if (word.IsUnquoted("case"))
        {
            return ParseCase();
        }

        if (word.IsUnquoted("for") || word.IsUnquoted("select"))
        {
            return ParseFor();
        }

        if (word.IsUnquoted("while") || word.IsUnquoted("until"))
        {
            return ParseWhile();
        }

        if (word.IsUnquoted("{"))
        {
            return ParseGroup();
        }

        if (word.IsUnquoted("[["))
        {
            return ParseConditionalExpression();
        }

        if (word.IsUnquoted("function"))
        {
            return ParseFunctionKeyword();
        }

        if (s_listClosers.Any(word.IsUnquoted))
        {
            throw Unexpected();
        }

        if (word.LiteralText is { } name && IsName(name) && _tokens[_index + 1].IsOperator("(") && _tokens[_index + 2].IsOperator(")"))
        {
            return ParseFunctionAfterName(name, token.Span.Start, skip: 3);
        }

        return ParseSimpleCommand();
    }

    private SimpleCommand ParseSimpleCommand()
    {
        int start = Current.Span.Start;
        int end = start;
        var assignments = new List<ShellWord>();
        var words = new List<ShellWord>();
        while (true)
        {
            ShellToken token = Current;
            if (token.Kind == ShellTokenKind.Word)
            {
                (words.Count == 0 && token.Word!.Assignment is not null ? assignments : words).Add(token.Word!);
            }
            else if (token.Kind == ShellTokenKind.Redirection)
            {
                _index++;
                if (Current.Kind != ShellTokenKind.Word)
                {
                    throw Unexpected();
                }
            }
            else
            {
                break;
            }

            end = Current.Span.End;
            _index++;
        }

        return new SimpleCommand(assignments, words, TextSpan.FromBounds(start, end));
    }

    private ControlBlock ParseIf()
    {
        ShellToken opener = Advance();
        var body = new List<AndOrList>();
        body.AddRange(ParseList());
        ExpectReservedWord("then", opener);
        body.AddRange(ParseList());
        while (IsReservedWord("elif"))
        {
            _index++;
            body.AddRange(ParseList());
            ExpectReservedWord("then", opener);
            body.AddRange(ParseList());
        }

        if (IsReservedWord("else"))
        {
            _index++;
            body.AddRange(ParseList());
        }

        int end = ExpectReservedWord("fi", opener);
        return new ControlBlock("if", body, null, TextSpan.FromBounds(opener.Span.Start, end));
    }

    // case WORD in [(]PATTERN[|PATTERN]…) LIST ;; … esac
    private ControlBlock ParseCase()
    {
        ShellToken opener = Advance();
        ExpectWord(opener);
        SkipNewlines();
        ExpectReservedWord("in", opener);
        var body = new List<AndOrList>();
        while (true)
        {
            SkipNewlines();
            if (IsReservedWord("esac"))
            {
                break;
            }

            if (Current.Kind == ShellTokenKind.End)
            {
                throw Unclosed(opener, "case", "esac");
            }

            if (Current.IsOperator("("))
            {
                _index++;
            }

            ExpectWord(opener);
            while (Current.IsOperator("|"))
            {
                _index++;
                ExpectWord(opener);
            }

            ExpectOperator(")", opener);
            body.AddRange(ParseList());
            if (Current.IsOperator(";;") || Current.IsOperator(";&") || Current.IsOperator(";;&"))
            {
                _index++;
            }
            else if (!IsReservedWord("esac"))
            {
                throw Unexpected();
            }
        }

        int end = ExpectReservedWord("esac", opener);
        return new ControlBlock("case", body, null, TextSpan.FromBounds(opener.Span.Start, end));
    }

    // for NAME [in WORDS…] ; do LIST done, and the C-style for (( … )) ; do LIST done.
    private ControlBlock ParseFor()
    {
        ShellToken opener = Advance();
        ShellWord? variable = null;
        if (Current.IsOperator("("))
        {
            ParseArithmeticCommand();
        }
        else
        {
            variable = ExpectWord(opener);
            SkipNewlines();
            if (IsReservedWord("in"))
            {
                _index++;
                while (Current.Kind == ShellTokenKind.Word)
                {
                    _index++;
                }
            }
        }

        if (Current.IsOperator(";"))
        {
            _index++;
        }

        SkipNewlines();
        ExpectReservedWord("do", opener);
        List<AndOrList> body = ParseList();
        int end = ExpectReservedWord("done", opener);
        return new ControlBlock(opener.Word!.LiteralText!, body, variable, TextSpan.FromBounds(opener.Span.Start, end));
    }

    private ControlBlock ParseWhile()
    {
        ShellToken opener = Advance();
        List<AndOrList> body = ParseList();
        ExpectReservedWord("do", opener);
        body.AddRange(ParseList());
        int end = ExpectReservedWord("done", opener);
        return new ControlBlock(opener.Word!.LiteralText!, body, null, TextSpan.FromBounds(opener.Span.Start, end));
    }

    private GroupCommand ParseGroup()
    {
        ShellToken opener = Advance();
        List<AndOrList> body = ParseList();
        int end = ExpectReservedWord("}", opener);
        return new GroupCommand(body, TextSpan.FromBounds(opener.Span.Start, end));
    }

    private SubshellCommand ParseSubshell()
    {
        ShellToken opener = Advance();
        List<AndOrList> body = ParseList();
        int end = ExpectOperator(")", opener);
        return new SubshellCommand(body, TextSpan.FromBounds(opener.Span.Start, end));
    }

    // (( … )): whatever the tokens inside are, skip to the parenthesis that balances the first one.
    private OpaqueCommand ParseArithmeticCommand()
    {
        ShellToken opener = Current;
        int depth = 0;
        do
        {
            if (Current.Kind == ShellTokenKind.End)
            {
                throw Unclosed(opener, "((", "))");
            }

            depth += Current.IsOperator("(") ? 1 : Current.IsOperator(")") ? -1 : 0;
            _index++;
        }
        while (depth > 0);

        return new OpaqueCommand(TextSpan.FromBounds(opener.Span.Start, _tokens[_index - 1].Span.End));
    }

    // [[ … ]]: && || ( ) < > mean something else inside, so skip tokens up to the closing word.
    private OpaqueCommand ParseConditionalExpression()
    {
        ShellToken opener = Advance();
        while (Current.Kind != ShellTokenKind.Word || !Current.Word!.IsUnquoted("]]"))
        {
            if (Current.Kind == ShellTokenKind.End)
            {
                throw Unclosed(opener, "[[", "]]");
            }

            _index++;
        }

        ShellToken closer = Advance();
        return new OpaqueCommand(TextSpan.FromBounds(opener.Span.Start, closer.Span.End));
    }

    private FunctionDefinition ParseFunctionKeyword()
    {
        ShellToken opener = Advance();
        ShellWord name = ExpectWord(opener);
        bool hasParentheses = Current.IsOperator("(") && _tokens[_index + 1].IsOperator(")");
        return ParseFunctionAfterName(name.LiteralText ?? _source.Slice(name.Span), opener.Span.Start, skip: hasParentheses ? 2 : 0);
    }

    private FunctionDefinition ParseFunctionAfterName(string name, int start, int skip)
    {
        _index += skip;
        SkipNewlines();
        ShellCommand body = ParseCommand();
        return new FunctionDefinition(name, body, TextSpan.FromBounds(start, body.Span.End));
    }

    private void SkipRedirections()
    {
        while (Current.Kind == ShellTokenKind.Redirection)
        {
            _index++;
            if (Current.Kind != ShellTokenKind.Word)
            {
                throw Unexpected();
            }

            _index++;
        }
    }

    private void SkipNewlines()
    {
        while (Current.Kind == ShellTokenKind.Newline)
        {
            _index++;
        }
    }

    private ShellToken Advance() => _tokens[_index++];

    private bool IsReservedWord(string word) => Current.Kind == ShellTokenKind.Word && Current.Word!.IsUnquoted(word);

    private int ExpectReservedWord(string word, ShellToken opener)
    {
        if (!IsReservedWord(word))
        {
            throw Current.Kind == ShellTokenKind.End ? Unclosed(opener, Describe(opener), word) : Unexpected($" (expected '{word}')");
        }

        return Advance().Span.End;
    }

    private int ExpectOperator(string op, ShellToken opener)
    {
        if (!Current.IsOperator(op))
        {
            throw Current.Kind == ShellTokenKind.End ? Unclosed(opener, Describe(opener), op) : Unexpected($" (expected '{op}')");
        }

        return Advance().Span.End;
    }

    private ShellWord ExpectWord(ShellToken opener)
    {
        if (Current.Kind != ShellTokenKind.Word)
        {
            throw Current.Kind == ShellTokenKind.End ? Unclosed(opener, Describe(opener), "a word") : Unexpected();
        }

        return Advance().Word!;
    }

    private ShellSyntaxException Unexpected(string expectation = "")
    {
        ShellToken token = Current;
        string what = token.Kind switch
        {
            ShellTokenKind.End => "syntax error: unexpected end of file",
            ShellTokenKind.Newline => "syntax error: unexpected end of line",
            _ => $"syntax error near unexpected token '{Shown(token.Text)}'",
        };
        return new ShellSyntaxException(token.Span.Start, what + expectation);
    }

    private static ShellSyntaxException Unclosed(ShellToken opener, string what, string closer) =>
        new(opener.Span.Start, $"syntax error: '{what}' has no matching '{closer}'");

    private static string Describe(ShellToken token) => Shown(token.Word?.LiteralText ?? token.Text);

    // A token for a message: at most 60 characters, with a CR (from a CRLF file) and other control characters visible.
    private static string Shown(string text)
    {
        string shown = DkmsConfScript.Abbreviate(text.Replace("\r", "\\r", StringComparison.Ordinal));
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    private static bool IsName(string text) =>
        text.Length > 0 && ShellLexer.IsNameStart(text[0]) && text.All(ShellLexer.IsNameChar);
}
