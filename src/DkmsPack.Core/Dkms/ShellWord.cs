using System.Text;

namespace DkmsPack.Dkms;

/// <summary>
/// One piece of a shell word, in source order. <see cref="IsQuoted"/> is true inside quotes and for
/// backslash-escaped characters: bash recognises keywords, assignments, globs and tildes only unquoted.
/// </summary>
internal abstract record WordPart(TextSpan Span, bool IsQuoted);

/// <summary>Characters that stand for themselves once quotes and backslashes are removed.</summary>
internal sealed record LiteralPart(string Text, TextSpan Span, bool IsQuoted) : WordPart(Span, IsQuoted);

/// <summary><c>$NAME</c>, <c>${NAME}</c> or <c>${NAME[3]}</c>: a plain reference that static evaluation can resolve.</summary>
internal sealed record ParameterPart(string Name, int? Index, TextSpan Span, bool IsQuoted) : WordPart(Span, IsQuoted);

/// <summary>An expansion dkmspack never evaluates, because only running a shell could produce its value.</summary>
internal sealed record UnevaluatedPart(ExpansionKind Kind, TextSpan Span, bool IsQuoted) : WordPart(Span, IsQuoted);

internal enum ExpansionKind
{
    /// <summary><c>$(…)</c>.</summary>
    CommandSubstitution,

    /// <summary><c>`…`</c>.</summary>
    BacktickSubstitution,

    /// <summary><c>$((…))</c>.</summary>
    Arithmetic,

    /// <summary><c>${X:-y}</c>, <c>${X/a/b}</c>, <c>${X,,}</c>, <c>${#X}</c>, <c>${X[$i]}</c> and the like.</summary>
    ParameterOperator,

    /// <summary><c>$1</c>, <c>$@</c>, <c>$?</c>, <c>$$</c> …</summary>
    SpecialParameter,

    /// <summary><c>$'…'</c>.</summary>
    AnsiCQuoting,
}

/// <summary>
/// The <c>NAME=</c>, <c>NAME+=</c> or <c>NAME[i]=</c> prefix of a word. Whether the word really assigns
/// depends on where it stands (before a command name it only sets the command's environment); the parser decides.
/// </summary>
/// <param name="Index">The text between the brackets, as written (bash evaluates it arithmetically).</param>
/// <param name="OperatorStart">Offset of the <c>=</c>, or of the <c>+</c> of <c>+=</c>.</param>
/// <param name="ValueSpan">Everything after the <c>=</c> up to the end of the word, quotes included.</param>
internal sealed record AssignmentTarget(string Name, string? Index, bool IsAppend, int OperatorStart, TextSpan ValueSpan);

/// <summary>A shell word: quote-removed parts plus, for assignment words, what they assign.</summary>
internal sealed class ShellWord
{
    /// <summary>The parts of the word; for an assignment word only those of the value after the <c>=</c>.</summary>
    public required IReadOnlyList<WordPart> Parts { get; init; }

    public required TextSpan Span { get; init; }

    public AssignmentTarget? Assignment { get; init; }

    /// <summary>The elements of <c>NAME=( … )</c>; null for any other word.</summary>
    public IReadOnlyList<ShellWord>? ArrayElements { get; init; }

    /// <summary>The word's text when it is entirely literal (quotes removed), otherwise null. Null for assignment words.</summary>
    public string? LiteralText
    {
        get
        {
            if (Assignment is not null)
            {
                return null;
            }

            var text = new StringBuilder();
            foreach (WordPart part in Parts)
            {
                if (part is not LiteralPart literal)
                {
                    return null;
                }

                text.Append(literal.Text);
            }

            return text.ToString();
        }
    }

    /// <summary>True when the word is exactly <paramref name="text"/> with no quoting: how bash recognises reserved words.</summary>
    public bool IsUnquoted(string text) =>
        Assignment is null
        && Parts.Count == 1
        && Parts[0] is LiteralPart { IsQuoted: false } literal
        && string.Equals(literal.Text, text, StringComparison.Ordinal);
}
