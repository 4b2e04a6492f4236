using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DkmsPack.Dkms;

/// <summary>Why dkmspack cannot know a value. <see cref="Text"/> completes a sentence about the variable: "PACKAGE_VERSION {Text}".</summary>
internal sealed record DynamicReason(string Text);

/// <summary>
/// A value as static evaluation sees it. <see cref="Text"/> is the value with literal parts and static references resolved;
/// DKMS run-time variables (<c>${kernelver}</c> …) and anything dynamic stay as written.
/// </summary>
/// <remarks>
/// <c>NAME+=x</c> repeated must not copy the growing value each time (a 40,000-line file would take minutes), so the
/// text lives in a builder shared along a chain of appends: each value is a prefix of it, and appending to the newest
/// value extends the builder in place. Appending to an older one copies, leaving the others intact.
/// </remarks>
internal sealed record ShellValue
{
    /// <summary>The run-time references kept; messages name only the first.</summary>
    private const int MaxKeptReferences = 8;

    private readonly StringBuilder _buffer;
    private readonly int _length;
    private string? _text;

    /// <param name="Dynamic">Why the value cannot be known without running bash; null when it can.</param>
    /// <param name="RunTimeReferences">DKMS run-time variables the value refers to, as written (the first few).</param>
    /// <param name="StaticPrefixLength">The length of the part before the first run-time reference.</param>
    public ShellValue(string text, DynamicReason? dynamic, IReadOnlyList<string> runTimeReferences, int staticPrefixLength)
        : this(new StringBuilder(text), text.Length, dynamic, runTimeReferences, staticPrefixLength)
    {
        _text = text;
    }

    private ShellValue(StringBuilder buffer, int length, DynamicReason? dynamic, IReadOnlyList<string> runTimeReferences, int staticPrefixLength)
    {
        _buffer = buffer;
        _length = length;
        Dynamic = dynamic;
        RunTimeReferences = runTimeReferences.Count <= MaxKeptReferences ? runTimeReferences : [.. runTimeReferences.Take(MaxKeptReferences)];
        StaticPrefixLength = staticPrefixLength;
    }

    public string Text => _text ??= _buffer.ToString(0, _length);

    public int Length => _length;

    public DynamicReason? Dynamic { get; init; }

    public IReadOnlyList<string> RunTimeReferences { get; }

    public int StaticPrefixLength { get; }

    /// <summary>The part of <see cref="Text"/> before the first run-time reference.</summary>
    public string StaticPrefix => StaticPrefixLength == _length ? Text : Text[..StaticPrefixLength];

    public static ShellValue Literal(string text) => new(text, null, [], text.Length);

    /// <summary>Known now, with no run-time variable in it: the same string on every machine and for every kernel.</summary>
    public bool IsLiteral => Dynamic is null && RunTimeReferences.Count == 0;

    /// <summary>Why the value is not a literal: <see cref="Dynamic"/>, or the first run-time variable it refers to.</summary>
    public string? WhyNotLiteral =>
        Dynamic?.Text ?? (RunTimeReferences.Count > 0 ? $"refers to {RunTimeReferences[0]}, which DKMS sets only while it works on a kernel" : null);

    /// <summary><c>NAME+=value</c>: in place when this is the newest value of its builder, otherwise on a copy.</summary>
    public ShellValue Concat(ShellValue tail)
    {
        StringBuilder buffer = _length == _buffer.Length ? _buffer : new StringBuilder(Text, _length + tail.Length);
        buffer.Append(tail.Text);
        IReadOnlyList<string> references = tail.RunTimeReferences.Count == 0 || RunTimeReferences.Count >= MaxKeptReferences
            ? RunTimeReferences
            : [.. RunTimeReferences, .. tail.RunTimeReferences];
        int prefix = RunTimeReferences.Count > 0 ? StaticPrefixLength : _length + tail.StaticPrefixLength;
        return new ShellValue(buffer, _length + tail.Length, Dynamic ?? tail.Dynamic, references, prefix);
    }

    /// <summary>The value without its last character (for DKMS's trailing-CR strip).</summary>
    public ShellValue WithoutLastCharacter() =>
        new(Text[..^1], Dynamic, RunTimeReferences, Math.Min(StaticPrefixLength, _length - 1));

    public bool Equals(ShellValue? other) =>
        other is not null && Dynamic == other.Dynamic && StaticPrefixLength == other.StaticPrefixLength
        && string.Equals(Text, other.Text, StringComparison.Ordinal) && RunTimeReferences.SequenceEqual(other.RunTimeReferences);

    public override int GetHashCode() => HashCode.Combine(Text, Dynamic, StaticPrefixLength);
}

/// <summary>One array element (index 0 is the plain scalar) and where it was last assigned.</summary>
/// <param name="ValueSpan">The source text of the value, quotes included (for <c>NAME=( … )</c>, the element word).</param>
internal sealed record VariableElement(ShellValue Value, int Line, TextSpan ValueSpan);

/// <summary>A shell variable after static evaluation. Every bash variable is an array; <c>NAME=x</c> sets element 0.</summary>
internal sealed class ShellVariable(string name)
{
    private readonly ArrayElements _elements = new();

    public string Name { get; } = name;

    /// <summary>The set elements, by ascending index.</summary>
    public IReadOnlyDictionary<int, VariableElement> Elements => _elements;

    /// <summary>Where <c>NAME+=( … )</c> appends: one past the highest index (0 for an empty array).</summary>
    public int NextIndex => _elements.Count == 0 ? 0 : _elements.HighestIndex + 1;

    /// <summary>Set when it is unknown which elements exist, e.g. after <c>NAME=( $(ls) )</c> or <c>NAME[$i]=…</c>.</summary>
    public DynamicReason? IndicesDynamic { get; set; }

    /// <summary>The line of the last assignment.</summary>
    public int Line { get; set; }

    public VariableElement? Element(int index) => _elements.TryGetValue(index, out VariableElement? element) ? element : null;

    public void Set(int index, VariableElement element) => _elements.Set(index, element);

    public void Remove(int index) => _elements.Remove(index);

    public void Clear() => _elements.Clear();
}

/// <summary>
/// A bash array's elements as two lists kept in index order, found by binary search. dkms.conf arrays hold a
/// handful of elements; SortedDictionary and SortedSet would do the same, but their code for an int key is not
/// in the framework's precompiled images, and compiling it took about a tenth of a small package's run.
/// </summary>
internal sealed class ArrayElements : IReadOnlyDictionary<int, VariableElement>
{
    private readonly List<int> _indices = [];
    private readonly List<VariableElement> _values = [];

    public int Count => _indices.Count;

    /// <summary>The highest index set; only when <see cref="Count"/> is not 0.</summary>
    public int HighestIndex => _indices[^1];

    public IEnumerable<int> Keys => _indices;

    public IEnumerable<VariableElement> Values => _values;

    public VariableElement this[int key] => TryGetValue(key, out VariableElement? value) ? value : throw new KeyNotFoundException($"no element [{key}]");

    public bool ContainsKey(int key) => Find(key) >= 0;

    public bool TryGetValue(int key, [MaybeNullWhen(false)] out VariableElement value)
    {
        int position = Find(key);
        value = position >= 0 ? _values[position] : null;
        return position >= 0;
    }

    public void Set(int index, VariableElement element)
    {
        int position = Find(index);
        if (position >= 0)
        {
            _values[position] = element;
            return;
        }

        _indices.Insert(~position, index);
        _values.Insert(~position, element);
    }

    public void Remove(int index)
    {
        int position = Find(index);
        if (position >= 0)
        {
            _indices.RemoveAt(position);
            _values.RemoveAt(position);
        }
    }

    public void Clear()
    {
        _indices.Clear();
        _values.Clear();
    }

    public IEnumerator<KeyValuePair<int, VariableElement>> GetEnumerator()
    {
        for (int position = 0; position < _indices.Count; position++)
        {
            yield return new KeyValuePair<int, VariableElement>(_indices[position], _values[position]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The position of <paramref name="index"/>, or the complement of where it would be inserted.</summary>
    private int Find(int index)
    {
        int low = 0;
        int high = _indices.Count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            int found = _indices[middle];
            if (found == index)
            {
                return middle;
            }

            if (found < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
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

    /// <summary>
    /// Turns the values bash assigned into the values DKMS uses: safe_source copies each element of the
    /// <see cref="DkmsDirectives.SafeSourceVariables"/> out of its subshell without one trailing CR, so in a CRLF file
    /// <c>PACKAGE_NAME="x"\r</c>, which bash reads as "x\r", still names "x". Returns this script.
    /// </summary>
    public DkmsConfScript StripCarriageReturnsAsDkmsDoes()
    {
        foreach (ShellVariable variable in Variables.Values)
        {
            if (!DkmsDirectives.SafeSourceVariables.Contains(variable.Name))
            {
                continue;
            }

            foreach ((int index, VariableElement element) in variable.Elements.ToList())
            {
                if (element.Value.Text.EndsWith('\r'))
                {
                    variable.Set(index, element with { Value = element.Value.WithoutLastCharacter() });
                }
            }
        }

        return this;
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
            if (WordsIn(command.Text).Contains(name, StringComparer.Ordinal))
            {
                mentioning = command;
            }
            else if (command.Name is "." or "source" or "eval")
            {
                sourcing = command;
            }
        }

        return DescribeLikelySource(mentioning ?? sourcing);
    }

    /// <summary>The hint "it may come from `…` at line N" for <paramref name="command"/>; null for none.</summary>
    public static string? DescribeLikelySource(SkippedCommand? command) =>
        command is null ? null : $"it may come from `{Abbreviate(command.Text)}` at line {command.Line}, a command dkmspack does not run";

    /// <summary>The words of <paramref name="text"/> that could be variable names: maximal runs of name characters.</summary>
    public static IEnumerable<string> WordsIn(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool nameChar = i < text.Length && ShellLexer.IsNameChar(text[i]);
            if (nameChar && start < 0)
            {
                start = i;
            }
            else if (!nameChar && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }

    /// <summary>Shell text on one line and at most 60 characters, for messages.</summary>
    public static string Abbreviate(string text)
    {
        const int MaxLength = 60;
        var oneLine = new StringBuilder(MaxLength + 1);
        foreach (char c in text.AsSpan().Trim())
        {
            if (oneLine.Length > MaxLength)
            {
                break;
            }

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
}
