using DkmsPack.Dkms;
using Xunit;

namespace DkmsPack.Tests.Dkms;

public class ShellLexerTests
{
    private static List<ShellToken> Tokens(string text)
    {
        (IReadOnlyList<ShellToken> tokens, ShellSyntaxError? error) = ShellLexer.Tokenize(text);
        Assert.Null(error);
        return [.. tokens];
    }

    private static string Describe(ShellToken token) => token.Kind switch
    {
        ShellTokenKind.Word when token.Word!.LiteralText is { } literal => $"word:{literal}",
        ShellTokenKind.Word when token.Word!.Assignment is { } assignment => $"assign:{assignment.Name}",
        ShellTokenKind.Word => $"word*:{token.Text}",
        ShellTokenKind.Newline => "NL",
        ShellTokenKind.End => "END",
        _ => token.Text,
    };

    private static string[] Shape(string text) => [.. Tokens(text).Select(Describe)];

    [Fact]
    public void Tokenize_CommentAtWordStart_IsDropped()
    {
        Assert.Equal(["word:echo", "word:a#b", "NL", "NL", "END"], Shape("echo a#b # trailing comment\n# whole line\n"));
    }

    [Fact]
    public void Tokenize_HashInsideAssignmentValue_IsLiteral()
    {
        ShellWord word = Tokens("PACKAGE_VERSION=#MODULE_VERSION#")[0].Word!;

        Assert.Equal("PACKAGE_VERSION", word.Assignment!.Name);
        Assert.Equal("#MODULE_VERSION#", Assert.IsType<LiteralPart>(Assert.Single(word.Parts)).Text);
    }

    [Fact]
    public void Tokenize_Operators_AreLongestMatch()
    {
        Assert.Equal(
            ["word:a", "&&", "word:b", "||", "word:c", "|", "word:d", ";", "word:e", "&", "END"],
            Shape("a && b || c | d ; e &"));
    }

    [Fact]
    public void Tokenize_Redirections_IncludeTheirFileDescriptor()
    {
        Assert.Equal(["word:echo", "word:x", ">&", "word:2", "2>", "word:/dev/null", "END"], Shape("echo x >&2 2>/dev/null"));
    }

    [Fact]
    public void Tokenize_LineContinuation_JoinsWords()
    {
        Assert.Equal(["word:make", "word:-C", "word:src", "END"], Shape("make \\\n  -C \\\n  src"));
    }

    // bash 5.2: in a CRLF file the backslash escapes the CR, not the line end, so the command ends there.
    [Fact]
    public void Tokenize_BackslashBeforeCrLf_EscapesTheCarriageReturnOnly()
    {
        Assert.Equal(["word:make", "word:-C", "word:\r", "NL", "word:src", "END"], Shape("make -C \\\r\nsrc"));
    }

    [Fact]
    public void Tokenize_CrLf_IsOneNewline()
    {
        Assert.Equal(["assign:A", "NL", "assign:B", "NL", "END"], Shape("A=1\r\nB=2\r\n"));
    }

    [Fact]
    public void Tokenize_SingleQuotes_AreLiteral()
    {
        ShellWord word = Tokens("echo '$HOME \\n \"x\"'")[1].Word!;

        Assert.Equal("$HOME \\n \"x\"", word.LiteralText);
    }

    [Fact]
    public void Tokenize_DoubleQuoteEscapes_RemoveBackslashOnlyBeforeSpecialCharacters()
    {
        ShellWord word = Tokens("echo \"a\\\"b \\\\ \\$c \\` \\n\"")[1].Word!;

        Assert.Equal("a\"b \\ $c ` \\n", word.LiteralText);
    }

    [Fact]
    public void Tokenize_UnquotedBackslash_EscapesNextCharacter()
    {
        ShellWord word = Tokens("echo a\\ b\\$c")[1].Word!;

        Assert.Equal("a b$c", word.LiteralText);
    }

    [Theory]
    [InlineData("$NAME", "NAME", null)]
    [InlineData("${NAME}", "NAME", null)]
    [InlineData("${BUILT_MODULE_NAME[0]}", "BUILT_MODULE_NAME", 0)]
    [InlineData("${A[12]}", "A", 12)]
    public void Tokenize_PlainReference_IsParameterPart(string written, string name, int? index)
    {
        ParameterPart part = Assert.IsType<ParameterPart>(Assert.Single(Tokens($"X=\"{written}\"")[0].Word!.Parts));

        Assert.Equal(name, part.Name);
        Assert.Equal(index, part.Index);
    }

    [Theory]
    [InlineData("$(cat VERSION)", nameof(ExpansionKind.CommandSubstitution))]
    [InlineData("$(echo \"$(nproc)\" ) ", nameof(ExpansionKind.CommandSubstitution))]
    [InlineData("`nproc`", nameof(ExpansionKind.BacktickSubstitution))]
    [InlineData("$((1 + 2))", nameof(ExpansionKind.Arithmetic))]
    [InlineData("${X:-y}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("${kernel_source_dir/%build/source}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("${X,,}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("${#X}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("${A[$i]}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("${A[010]}", nameof(ExpansionKind.ParameterOperator))]
    [InlineData("$1", nameof(ExpansionKind.SpecialParameter))]
    [InlineData("$@", nameof(ExpansionKind.SpecialParameter))]
    public void Tokenize_Expansion_IsUnevaluated(string written, string kind)
    {
        UnevaluatedPart part = Assert.IsType<UnevaluatedPart>(Tokens($"X={written.TrimEnd()}")[0].Word!.Parts[0]);

        Assert.Equal(Enum.Parse<ExpansionKind>(kind), part.Kind);
    }

    [Fact]
    public void Tokenize_CommandSubstitutionSpanningLines_IsOneWord()
    {
        const string Text = "STRIP[0]=\"$(\n  [[ -r ${CONFIG} ]] \\\n  && echo -n no\n)\"\nNEXT=1\n";

        List<ShellToken> tokens = Tokens(Text);

        Assert.Equal(["assign:STRIP", "NL", "assign:NEXT", "NL", "END"], tokens.Select(Describe));
        Assert.Equal(ExpansionKind.CommandSubstitution, Assert.IsType<UnevaluatedPart>(Assert.Single(tokens[0].Word!.Parts)).Kind);
    }

    [Fact]
    public void Tokenize_DollarBeforeNonName_IsLiteral()
    {
        Assert.Equal("^do_not_build$", Tokens("X=\"^do_not_build$\"")[0].Word!.Parts.OfType<LiteralPart>().Single().Text);
    }

    [Theory]
    [InlineData("A=1", "A", null, false)]
    [InlineData("A+=1", "A", null, true)]
    [InlineData("MAKE[3]=x", "MAKE", "3", false)]
    [InlineData("A[$i]+=x", "A", "$i", true)]
    public void Tokenize_AssignmentPrefix_IsRecognised(string text, string name, string? index, bool append)
    {
        AssignmentTarget target = Tokens(text)[0].Word!.Assignment!;

        Assert.Equal((name, index, append), (target.Name, target.Index, target.IsAppend));
    }

    [Theory]
    [InlineData("'A=1'")]
    [InlineData("\\A=1")]
    [InlineData("1A=1")]
    [InlineData("A-B=1")]
    public void Tokenize_QuotedOrInvalidName_IsNotAnAssignment(string text)
    {
        Assert.Null(Tokens(text)[0].Word!.Assignment);
    }

    [Fact]
    public void Tokenize_ArrayAssignment_CollectsElementsAcrossLinesAndComments()
    {
        ShellWord word = Tokens("NAMES=(a \"b c\" # comment\n  'd'\r\n)")[0].Word!;

        // bash 5.2 (declare -p): the CR before the line feed belongs to the element, like any other character.
        Assert.Equal(["a", "b c", "d\r"], word.ArrayElements!.Select(element => element.LiteralText));
    }

    [Fact]
    public void Tokenize_AssignmentValueSpan_CoversQuotes()
    {
        const string Text = "PACKAGE_VERSION=\"1.0\" # x";

        AssignmentTarget target = Tokens(Text)[0].Word!.Assignment!;

        Assert.Equal("\"1.0\"", Text.Substring(target.ValueSpan.Start, target.ValueSpan.Length));
    }

    [Fact]
    public void Tokenize_HereDocument_BodyIsSkipped()
    {
        Assert.Equal(
            ["word:cat", "<<", "word:EOF", "NL", "assign:AFTER", "END"],
            Shape("cat <<'EOF'\nPACKAGE_VERSION=9\nEOF\nAFTER=1"));
    }

    [Theory]
    [InlineData("A=\"abc", 2, "syntax error: the double quote opened here is never closed")]
    [InlineData("A='abc", 2, "syntax error: the single quote opened here is never closed")]
    [InlineData("A=$(cat x", 2, "syntax error: the $( opened here is never closed")]
    [InlineData("A=${X", 2, "syntax error: the ${ opened here is never closed")]
    [InlineData("A=`cat x", 2, "syntax error: the backtick opened here is never closed")]
    [InlineData("A=$'a\\'", 2, "syntax error: the $' quote opened here is never closed")]
    [InlineData("A=$(echo \"$(date)", 9, "syntax error: the double quote opened here is never closed")]
    [InlineData("A=(a b", 2, "syntax error: the array assignment opened here with '(' is never closed")]
    [InlineData("A=(a ; b)", 5, "syntax error near unexpected token ';' inside an array assignment")]
    public void Tokenize_UnclosedConstruct_ReportsWhereItOpened(string text, int offset, string message)
    {
        (IReadOnlyList<ShellToken> tokens, ShellSyntaxError? error) = ShellLexer.Tokenize(text);

        Assert.Equal(new ShellSyntaxError(offset, message), error);
        Assert.Equal(ShellTokenKind.End, tokens[^1].Kind);
    }
}
