using System.Text;

namespace DkmsPack.Dkms;

/// <summary>Why dkmspack cannot know a value. <see cref="Text"/> completes a sentence about the variable: "PACKAGE_VERSION {Text}".</summary>
internal sealed record DynamicReason(string Text);

/// <summary>
/// A value as static evaluation sees it. <see cref="Text"/> is the value with literal parts and static references resolved;
/// DKMS run-time variables (<c>${kernelver}</c> …) and anything dynamic stay as written.
/// </summary>
/// <param name="Dynamic">Why the value cannot be known without running bash; null when it can.</param>
/// <param name="RunTimeReferences">DKMS run-time variables the value refers to, as written.</param>
/// <param name="StaticPrefix">The part of <see cref="Text"/> before the first run-time reference.</param>
internal sealed record ShellValue(string Text, DynamicReason? Dynamic, IReadOnlyList<string> RunTimeReferences, string StaticPrefix)
{
    public static ShellValue Literal(string text) => new(text, null, [], text);

    /// <summary>Known now, with no run-time variable in it: the same string on every machine and for every kernel.</summary>
    public bool IsLiteral => Dynamic is null && RunTimeReferences.Count == 0;

    /// <summary>Why the value is not a literal: <see cref="Dynamic"/>, or the first run-time variable it refers to.</summary>
    public string? WhyNotLiteral =>
        Dynamic?.Text ?? (RunTimeReferences.Count > 0 ? $"refers to {RunTimeReferences[0]}, which DKMS sets only while it works on a kernel" : null);

    /// <summary><c>NAME+=value</c>.</summary>
    public ShellValue Concat(ShellValue tail) => new(
        Text + tail.Text,
        Dynamic ?? tail.Dynamic,
        [.. RunTimeReferences, .. tail.RunTimeReferences],
        RunTimeReferences.Count > 0 ? StaticPrefix : Text + tail.StaticPrefix);
}

/// <summary>One array element (index 0 is the plain scalar) and where it was last assigned.</summary>
/// <param name="ValueSpan">The source text of the value, quotes included (for <c>NAME=( … )</c>, the element word).</param>
internal sealed record VariableElement(ShellValue Value, int Line, TextSpan ValueSpan);

/// <summary>A shell variable after static evaluation. Every bash variable is an array; <c>NAME=x</c> sets element 0.</summary>
internal sealed class ShellVariable(string name)
{
    public string Name { get; } = name;

    public SortedDictionary<int, VariableElement> Elements { get; } = [];

    /// <summary>Set when it is unknown which elements exist, e.g. after <c>NAME=( $(ls) )</c> or <c>NAME[$i]=…</c>.</summary>
    public DynamicReason? IndicesDynamic { get; set; }

    /// <summary>The line of the last assignment.</summary>
    public int Line { get; set; }

    public VariableElement? Element(int index) => Elements.TryGetValue(index, out VariableElement? element) ? element : null;
}

/// <summary>
/// One assignment as written in dkms.conf, wherever it sits (in a block, after <c>&amp;&amp;</c>, in a function …).
/// Environment prefixes such as <c>A=1 make</c> are not assignments and are not listed.
/// </summary>
internal sealed record AssignmentSite(string Name, string? Index, bool IsAppend, bool IsArray, int OperatorStart, TextSpan ValueSpan, int Line);

/// <summary>A command dkmspack did not run (<c>. file</c>, <c>echo</c>, <c>[ … ]</c> …), kept to explain missing values.</summary>
/// <param name="Name">The command's first word when it is literal, e.g. <c>.</c> or <c>source</c>.</param>
internal sealed record SkippedCommand(string Text, int Line, string? Name);

/// <summary>dkms.conf after lexing, parsing and static evaluation: never executed, every value explained.</summary>
internal sealed class DkmsConfScript
{
    public required SourceText Source { get; init; }

    public required IReadOnlyDictionary<string, ShellVariable> Variables { get; init; }

    /// <summary>Every assignment in source order.</summary>
    public required IReadOnlyList<AssignmentSite> Assignments { get; init; }

    public required IReadOnlyList<SkippedCommand> SkippedCommands { get; init; }

    /// <summary>The first syntax error; evaluation stopped there, as bash's <c>source</c> does.</summary>
    public ShellSyntaxError? SyntaxError { get; init; }

    /// <summary>
    /// Reads <paramref name="text"/> statically. With <paramref name="packageVersionOverride"/>, every assignment of
    /// PACKAGE_VERSION stores that literal instead, as in the packaged dkms.conf, so references to it resolve to it.
    /// </summary>
    public static DkmsConfScript Parse(string text, string? packageVersionOverride = null)
    {
        var source = new SourceText(text);
        return ShellEvaluator.Evaluate(ShellParser.Parse(source), source, packageVersionOverride);
    }

    public ShellVariable? Variable(string name) => Variables.GetValueOrDefault(name);

    public VariableElement? Element(string name, int index = 0) => Variable(name)?.Element(index);

    /// <summary>
    /// Names a skipped command that may have set <paramref name="name"/>: the last one that mentions it, otherwise the
    /// last one that sources or evals something. Null when there is none.
    /// </summary>
    public static string? LikelySourceOf(IEnumerable<SkippedCommand> commands, string name)
    {
        SkippedCommand? mentioning = null;
        SkippedCommand? sourcing = null;
        foreach (SkippedCommand command in commands)
        {
            if (MentionsWord(command.Text, name))
            {
                mentioning = command;
            }
            else if (command.Name is "." or "source" or "eval")
            {
                sourcing = command;
            }
        }

        SkippedCommand? likely = mentioning ?? sourcing;
        return likely is null ? null : $"it may come from `{Abbreviate(likely.Text)}` at line {likely.Line}, a command dkmspack does not run";
    }

    /// <summary>Shell text on one line and at most 60 characters, for messages.</summary>
    public static string Abbreviate(string text)
    {
        const int MaxLength = 60;
        var oneLine = new StringBuilder(text.Length);
        foreach (char c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (oneLine.Length > 0 && oneLine[^1] != ' ')
                {
                    oneLine.Append(' ');
                }
            }
            else
            {
                oneLine.Append(c);
            }
        }

        return oneLine.Length <= MaxLength ? oneLine.ToString() : string.Concat(oneLine.ToString(0, MaxLength - 1), "…");
    }

    private static bool MentionsWord(string text, string word)
    {
        for (int at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            int end = at + word.Length;
            bool startsWord = at == 0 || !ShellLexer.IsNameChar(text[at - 1]);
            bool endsWord = end == text.Length || !ShellLexer.IsNameChar(text[end]);
            if (startsWord && endsWord)
            {
                return true;
            }
        }

        return false;
    }
}
