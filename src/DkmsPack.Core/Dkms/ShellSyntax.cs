namespace DkmsPack.Dkms;

// The syntax tree of dkms.conf, only as detailed as static evaluation needs: where an assignment sits
// (unconditionally, in a block, after &&, in a pipeline …) matters; what a condition tests does not.

/// <summary>The parsed file: its top-level command lists, up to the first syntax error if there is one.</summary>
internal sealed record ShellScript(IReadOnlyList<AndOrList> Commands, ShellSyntaxError? SyntaxError);

/// <summary>
/// <c>a &amp;&amp; b || c</c>: pipelines joined by <c>&amp;&amp;</c>/<c>||</c>. Only the first pipeline runs unconditionally.
/// <see cref="Operators"/>[i] joins <see cref="Pipelines"/>[i] and [i + 1]. A trailing <c>&amp;</c> runs the whole list in a subshell.
/// </summary>
internal sealed record AndOrList(IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<ShellToken> Operators, bool IsBackground, TextSpan Span);

/// <summary><c>a | b</c>. With more than one command, bash runs each in a subshell (lastpipe is off).</summary>
internal sealed record Pipeline(IReadOnlyList<ShellCommand> Commands, TextSpan Span);

internal abstract record ShellCommand(TextSpan Span);

/// <summary>
/// Leading assignment words, then the command's words (redirections dropped). With no words the assignments set
/// shell variables; before a command name they only set that command's environment.
/// </summary>
internal sealed record SimpleCommand(IReadOnlyList<ShellWord> Assignments, IReadOnlyList<ShellWord> Words, TextSpan Span) : ShellCommand(Span);

/// <summary><c>if</c>, <c>case</c>, <c>for</c>, <c>select</c>, <c>while</c> or <c>until</c>: everything inside may or may not run.</summary>
/// <param name="Keyword">The opening keyword.</param>
/// <param name="Body">Conditions and bodies together, in source order.</param>
/// <param name="LoopVariable">The variable a <c>for</c>/<c>select</c> loop assigns, if any.</param>
internal sealed record ControlBlock(string Keyword, IReadOnlyList<AndOrList> Body, ShellWord? LoopVariable, TextSpan Span) : ShellCommand(Span);

/// <summary><c>{ …; }</c>: runs in the current shell, unconditionally.</summary>
internal sealed record GroupCommand(IReadOnlyList<AndOrList> Body, TextSpan Span) : ShellCommand(Span);

/// <summary><c>( … )</c>: runs in a subshell, so its assignments never reach DKMS.</summary>
internal sealed record SubshellCommand(IReadOnlyList<AndOrList> Body, TextSpan Span) : ShellCommand(Span);

/// <summary><c>name() { … }</c> or <c>function name { … }</c>.</summary>
internal sealed record FunctionDefinition(string Name, ShellCommand Body, TextSpan Span) : ShellCommand(Span);

/// <summary><c>[[ … ]]</c> or <c>(( … ))</c>: a test or arithmetic command, skipped as a whole.</summary>
internal sealed record OpaqueCommand(TextSpan Span) : ShellCommand(Span);
