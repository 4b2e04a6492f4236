using System.Text;

namespace DkmsPack.Dkms;

/// <summary>
/// Walks the syntax tree in order, as bash would run it, but performs only assignments; every other command is
/// skipped and remembered. An assignment that bash might not perform (in an <c>if</c>, after <c>&amp;&amp;</c>, in a function…)
/// or whose value needs a shell to compute (<c>$(…)</c>, <c>${X:-y}</c>…) is stored with the reason it is dynamic.
/// </summary>
internal sealed class ShellEvaluator
{
    private static readonly HashSet<string> s_declarationCommands = new(StringComparer.Ordinal) { "export", "readonly", "declare", "typeset", "local" };

    private readonly SourceText _source;
    private readonly string? _packageVersionOverride;
    private readonly Dictionary<string, ShellVariable> _variables = new(StringComparer.Ordinal);
    private readonly List<AssignmentSite> _assignments = [];
    private readonly List<SkippedCommand> _skipped = [];

    // For the "it may come from …" hints: the last skipped command mentioning each word, and the last that sources
    // or evals something, kept up to date so that a hint costs a lookup rather than a scan of every skipped command.
    private readonly Dictionary<string, SkippedCommand> _lastMentioning = new(StringComparer.Ordinal);
    private SkippedCommand? _lastSourcing;

    // Characters of every value computed so far (DkmsConfLimits.MaxEvaluatedLength).
    private long _evaluatedLength;

    // Enclosing constructs that make an assignment uncertain, outermost first.
    private readonly List<Context> _contexts = [];

    private ShellEvaluator(SourceText source, string? packageVersionOverride)
    {
        _source = source;
        _packageVersionOverride = packageVersionOverride;
    }

    public static DkmsConfScript Evaluate(ShellScript script, SourceText source, string? packageVersionOverride)
    {
        var evaluator = new ShellEvaluator(source, packageVersionOverride);
        evaluator.RunList(script.Commands);
        return new DkmsConfScript
        {
            Source = source,
            Variables = evaluator._variables,
            Assignments = evaluator._assignments,
            SkippedCommands = evaluator._skipped,
            SyntaxError = script.SyntaxError,
        };
    }

    private void RunList(IEnumerable<AndOrList> lists)
    {
        foreach (AndOrList list in lists)
        {
            if (list.IsBackground)
            {
                InContext(new Context($"in a background command (`&`) at line {LineOf(list.Span)}", "which runs in a subshell and does not change the variable for DKMS"), () => RunAndOr(list));
            }
            else
            {
                RunAndOr(list);
            }
        }
    }

    // Only the first pipeline of a && / || chain runs for sure; the others depend on the exit status before them.
    private void RunAndOr(AndOrList list)
    {
        RunPipeline(list.Pipelines[0]);
        for (int i = 1; i < list.Pipelines.Count; i++)
        {
            ShellToken op = list.Operators[i - 1];
            Pipeline pipeline = list.Pipelines[i];
            InContext(new Context($"after `{op.Text}` at line {LineOf(op.Span)}", "so it depends on a command dkmspack does not run"), () => RunPipeline(pipeline));
        }
    }

    private void RunPipeline(Pipeline pipeline)
    {
        if (pipeline.Commands.Count == 1)
        {
            RunCommand(pipeline.Commands[0]);
            return;
        }

        InContext(new Context($"inside a pipeline at line {LineOf(pipeline.Span)}", "which runs in a subshell and does not change the variable for DKMS"), () =>
        {
            foreach (ShellCommand command in pipeline.Commands)
            {
                RunCommand(command);
            }
        });
    }

    private void RunCommand(ShellCommand command)
    {
        switch (command)
        {
            case SimpleCommand simple:
                RunSimpleCommand(simple);
                break;
            case ControlBlock block:
                string kind = $"{Article(block.Keyword)} `{block.Keyword}` {(block.Keyword is "if" or "case" ? "block" : "loop")}";
                InContext(new Context($"inside {kind} at line {LineOf(block.Span)}", "which dkmspack does not run"), () =>
                {
                    if (block.LoopVariable?.LiteralText is { } loopVariable)
                    {
                        SetElement(GetOrAdd(loopVariable), 0, ShellValue.Literal(string.Empty), LineOf(block.LoopVariable.Span), block.LoopVariable.Span, ContextReason("assigned"));
                    }

                    RunList(block.Body);
                });
                break;
            case GroupCommand group:
                RunList(group.Body);
                break;
            case SubshellCommand subshell:
                InContext(new Context($"inside a subshell at line {LineOf(subshell.Span)}", "which does not change the variable for DKMS"), () => RunList(subshell.Body));
                break;
            case FunctionDefinition function:
                // The body's assignments count only if the function is called; dkmspack does not track calls.
                InContext(new Context($"inside the function `{function.Name}` at line {LineOf(function.Span)}", "which dkmspack does not run"), () => RunCommand(function.Body));
                break;
            case OpaqueCommand opaque:
                Skip(opaque.Span, name: null);
                break;
        }
    }

    private void RunSimpleCommand(SimpleCommand command)
    {
        if (command.Words.Count == 0)
        {
            foreach (ShellWord assignment in command.Assignments)
            {
                Assign(assignment, declaredReason: null);
            }

            return;
        }

        // With a command name, leading NAME=value words only set that command's environment: nothing to record.
        string? name = command.Words[0].LiteralText;
        if (name is not null && s_declarationCommands.Contains(name))
        {
            RunDeclaration(name, command.Words);
        }
        else if (string.Equals(name, "unset", StringComparison.Ordinal))
        {
            RunUnset(command.Words);
        }
        else
        {
            Skip(command.Span, name);
        }
    }

    // export/readonly/declare/typeset/local NAME=value … assign like plain assignments. Options that transform the
    // value (-i arithmetic, -l/-u case, -A associative, -n reference) make it dynamic.
    private void RunDeclaration(string command, IReadOnlyList<ShellWord> words)
    {
        DynamicReason? declaredReason = null;
        foreach (ShellWord word in words.Skip(1))
        {
            if (word.Assignment is not null)
            {
                Assign(word, declaredReason);
            }
            else if (word.LiteralText is { Length: > 1 } option && option[0] is '-' or '+' && option[1..].Any(flag => flag is not ('a' or 'g' or 'r' or 'x')))
            {
                declaredReason ??= new DynamicReason($"is declared with `{command} {option}`, which dkmspack does not evaluate");
            }
        }
    }

    private void RunUnset(IReadOnlyList<ShellWord> words)
    {
        foreach (ShellWord word in words.Skip(1))
        {
            string? target = word.LiteralText;
            if (target is null || target.StartsWith('-'))
            {
                if (string.Equals(target, "-f", StringComparison.Ordinal))
                {
                    return;
                }

                continue;
            }

            int bracket = target.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? target : target[..bracket];
            if (!_variables.TryGetValue(name, out ShellVariable? variable))
            {
                continue;
            }

            DynamicReason? reason = ContextReason("unset");
            if (bracket < 0)
            {
                if (reason is null)
                {
                    _variables.Remove(name);
                    continue;
                }

                variable.IndicesDynamic ??= reason;
                foreach ((int index, VariableElement element) in variable.Elements.ToList())
                {
                    variable.Set(index, element with { Value = element.Value with { Dynamic = element.Value.Dynamic ?? reason } });
                }
            }
            else if (target.EndsWith(']') && ShellLexer.TryParseIndex(target[(bracket + 1)..^1], out int index) && variable.Elements.TryGetValue(index, out VariableElement? element))
            {
                if (reason is null)
                {
                    variable.Remove(index);
                }
                else
                {
                    variable.Set(index, element with { Value = element.Value with { Dynamic = element.Value.Dynamic ?? reason } });
                }
            }
        }
    }

    private void Assign(ShellWord word, DynamicReason? declaredReason)
    {
        AssignmentTarget target = word.Assignment!;
        int line = LineOf(word.Span);
        ShellVariable variable = GetOrAdd(target.Name);
        variable.Line = line;
        _assignments.Add(new AssignmentSite(target.Name, target.Index, target.IsAppend, word.ArrayElements is not null, target.OperatorStart, target.ValueSpan, line));
        DynamicReason? imposed = declaredReason ?? ContextReason("assigned");

        if (word.ArrayElements is { } elements)
        {
            AssignArray(variable, target.IsAppend, elements, line, imposed);
            return;
        }

        int index = 0;
        if (target.Index is not null && !ShellLexer.TryParseIndex(target.Index, out index))
        {
            variable.IndicesDynamic ??= new DynamicReason($"uses the index [{target.Index}], which dkmspack does not evaluate");
            return;
        }

        ShellValue value = EvaluateWord(word.Parts, inArray: false, out _);
        if (target.IsAppend && variable.Elements.TryGetValue(index, out VariableElement? existing))
        {
            CheckValueLength(existing.Value.Length + value.Length, target.ValueSpan.Start);
            value = existing.Value.Concat(value);
        }

        SetElement(variable, index, value, line, target.ValueSpan, imposed);
    }

    // NAME=(a b [5]=c) replaces the whole array; NAME+=(…) appends after the highest index.
    private void AssignArray(ShellVariable variable, bool isAppend, IReadOnlyList<ShellWord> elements, int line, DynamicReason? imposed)
    {
        if (imposed is not null)
        {
            // The old elements may or may not survive, so which indices exist is no longer known.
            variable.IndicesDynamic ??= imposed;
        }
        else if (!isAppend)
        {
            variable.Clear();
            variable.IndicesDynamic = null;
        }

        int next = isAppend ? variable.NextIndex : 0;
        foreach (ShellWord element in elements)
        {
            (string? indexText, IReadOnlyList<WordPart> parts) = SplitElementIndex(element);
            int index = next;
            if (indexText is not null && !ShellLexer.TryParseIndex(indexText, out index))
            {
                variable.IndicesDynamic ??= new DynamicReason($"uses the index [{indexText}], which dkmspack does not evaluate");
                continue;
            }

            ShellValue value = EvaluateWord(parts, inArray: true, out DynamicReason? splitting);
            if (splitting is not null)
            {
                variable.IndicesDynamic ??= splitting;
            }

            SetElement(variable, index, value, line, element.Span, imposed);
            next = index + 1;
        }
    }

    private void SetElement(ShellVariable variable, int index, ShellValue value, int line, TextSpan valueSpan, DynamicReason? imposed)
    {
        bool overridden = _packageVersionOverride is not null && index == 0
            && string.Equals(variable.Name, DkmsDirectives.PackageVersion, StringComparison.Ordinal);
        if (overridden)
        {
            value = ShellValue.Literal(_packageVersionOverride!);
        }
        else if (imposed is not null && value.Dynamic is null)
        {
            value = value with { Dynamic = imposed };
        }

        variable.Set(index, new VariableElement(value, line, valueSpan));
    }

    // "[3]=value" inside NAME=( … ) assigns index 3.
    private static (string? Index, IReadOnlyList<WordPart> Parts) SplitElementIndex(ShellWord element)
    {
        if (element.Parts is [LiteralPart { IsQuoted: false } first, ..] && first.Text.StartsWith('['))
        {
            int close = first.Text.IndexOf("]=", StringComparison.Ordinal);
            if (close > 0)
            {
                string rest = first.Text[(close + 2)..];
                var parts = new List<WordPart>();
                if (rest.Length > 0)
                {
                    parts.Add(first with { Text = rest });
                }

                parts.AddRange(element.Parts.Skip(1));
                return (first.Text[1..close], parts);
            }
        }

        return (null, element.Parts);
    }

    /// <summary>
    /// Evaluates a word as bash would in an assignment: no word splitting or globbing, except inside <c>NAME=( … )</c>,
    /// where an unquoted expansion or pattern can yield any number of elements (<paramref name="splitting"/> says so).
    /// </summary>
    private ShellValue EvaluateWord(IReadOnlyList<WordPart> parts, bool inArray, out DynamicReason? splitting)
    {
        var text = new StringBuilder();
        var runTimeReferences = new List<string>();
        int? staticPrefixLength = null;
        DynamicReason? dynamic = null;
        splitting = null;

        for (int i = 0; i < parts.Count; i++)
        {
            WordPart part = parts[i];
            string written = _source.Slice(part.Span);
            switch (part)
            {
                case LiteralPart literal:
                    if (!literal.IsQuoted && i == 0 && literal.Text.StartsWith('~'))
                    {
                        dynamic ??= new DynamicReason($"uses tilde expansion ({DkmsConfScript.Abbreviate(literal.Text)}), which dkmspack does not evaluate");
                    }

                    if (inArray && !literal.IsQuoted && literal.Text.AsSpan().IndexOfAny("*?[") >= 0)
                    {
                        splitting ??= new DynamicReason($"uses the pattern {DkmsConfScript.Abbreviate(literal.Text)}, which dkmspack does not expand");
                        dynamic ??= splitting;
                    }

                    text.Append(literal.Text);
                    break;

                case ParameterPart parameter when _variables.TryGetValue(parameter.Name, out ShellVariable? variable):
                    string element = parameter.Index is null ? parameter.Name : $"{parameter.Name}[{parameter.Index}]";
                    if (variable.Elements.TryGetValue(parameter.Index ?? 0, out VariableElement? referenced))
                    {
                        ShellValue value = referenced.Value;
                        if (value.Dynamic is not null)
                        {
                            // Keep the reference as written rather than a value bash might not produce.
                            dynamic ??= new DynamicReason($"refers to {written}, whose value dkmspack cannot know: {element} {value.Dynamic.Text}");
                            text.Append(written);
                            break;
                        }

                        if (value.RunTimeReferences.Count > 0)
                        {
                            staticPrefixLength ??= text.Length + value.StaticPrefix.Length;
                            runTimeReferences.AddRange(value.RunTimeReferences);
                        }

                        if (inArray && !parameter.IsQuoted && value.Text.AsSpan().IndexOfAny(" \t\n") >= 0)
                        {
                            splitting ??= new DynamicReason($"splits {written} into words, which dkmspack does not do");
                            dynamic ??= splitting;
                        }

                        text.Append(value.Text);
                    }
                    else if (variable.IndicesDynamic is not null)
                    {
                        dynamic ??= new DynamicReason($"refers to {written}, whose value dkmspack cannot know: {variable.Name} {variable.IndicesDynamic.Text}");
                        text.Append(written);
                    }

                    // Otherwise the element is unset and expands to nothing, as in bash.
                    break;

                case ParameterPart parameter when DkmsDirectives.IsRunTimeVariable(parameter.Name):
                    staticPrefixLength ??= text.Length;
                    runTimeReferences.Add(written);
                    text.Append(written);
                    break;

                case ParameterPart parameter:
                    string? hint = DkmsConfScript.DescribeLikelySource(_lastMentioning.GetValueOrDefault(parameter.Name) ?? _lastSourcing);
                    dynamic ??= new DynamicReason($"refers to {written}, which is not set earlier in dkms.conf{(hint is null ? string.Empty : $" ({hint})")}");
                    text.Append(written);
                    break;

                case UnevaluatedPart unevaluated:
                    dynamic ??= new DynamicReason(Describe(unevaluated.Kind, written));
                    if (inArray && !unevaluated.IsQuoted && unevaluated.Kind != ExpansionKind.AnsiCQuoting)
                    {
                        splitting ??= dynamic;
                    }

                    text.Append(written);
                    break;
            }

            CheckValueLength(text.Length, part.Span.Start);
        }

        _evaluatedLength += text.Length;
        if (_evaluatedLength > DkmsConfLimits.MaxEvaluatedLength)
        {
            throw new DkmsConfLimitException(
                parts[0].Span.Start,
                $"dkms.conf computes more than {DkmsConfLimits.MaxEvaluatedLength / (1024 * 1024)} MiB of values by here",
                "copy large values less often (real dkms.conf files have a few kilobytes of values)");
        }

        return new ShellValue(text.ToString(), dynamic, runTimeReferences, staticPrefixLength ?? text.Length);
    }

    private static void CheckValueLength(long length, int offset)
    {
        if (length > DkmsConfLimits.MaxValueLength)
        {
            throw new DkmsConfLimitException(
                offset,
                $"this value grows beyond {DkmsConfLimits.MaxValueLength / (1024 * 1024)} MiB",
                "shorten it (real dkms.conf values are a few hundred characters)");
        }
    }

    private static string Describe(ExpansionKind kind, string written)
    {
        string shown = DkmsConfScript.Abbreviate(written);
        return kind switch
        {
            ExpansionKind.CommandSubstitution or ExpansionKind.BacktickSubstitution => $"uses command substitution {shown}, which dkmspack does not run",
            ExpansionKind.Arithmetic => $"uses arithmetic expansion {shown}, which dkmspack does not evaluate",
            ExpansionKind.ParameterOperator => $"uses the parameter expansion {shown}, which dkmspack does not evaluate",
            ExpansionKind.SpecialParameter => $"uses the special parameter {shown}, which dkmspack does not evaluate",
            _ => $"uses {shown} quoting, which dkmspack does not decode",
        };
    }

    private void Skip(TextSpan span, string? name)
    {
        var command = new SkippedCommand(_source.Slice(span), LineOf(span), name);
        _skipped.Add(command);
        foreach (string word in DkmsConfScript.WordsIn(command.Text))
        {
            _lastMentioning[word] = command;
        }

        if (name is "." or "source" or "eval")
        {
            _lastSourcing = command;
        }
    }

    private ShellVariable GetOrAdd(string name)
    {
        if (!_variables.TryGetValue(name, out ShellVariable? variable))
        {
            variable = new ShellVariable(name);
            _variables.Add(name, variable);
        }

        return variable;
    }

    private DynamicReason? ContextReason(string verb) =>
        _contexts.Count == 0 ? null : new DynamicReason($"is {verb} {_contexts[0].Where}, {_contexts[0].Consequence}");

    private void InContext(Context context, Action action)
    {
        _contexts.Add(context);
        action();
        _contexts.RemoveAt(_contexts.Count - 1);
    }

    private int LineOf(TextSpan span) => _source.LineAt(span.Start);

    private static string Article(string word) => word[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    /// <summary>A construct that makes the assignments inside it uncertain: where it is, and why that matters.</summary>
    private sealed record Context(string Where, string Consequence);
}
