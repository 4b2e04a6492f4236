namespace DkmsPack.Archives.Rpm;

/// <summary>
/// The scriptlets an rpm package can carry, in the order rpm runs them (docs/rpm-format.md, "Scriptlets"):
/// on an upgrade the new package's %pre and %post run before the old package's %preun and %postun,
/// and %posttrans runs last, once the whole transaction is done.
/// </summary>
public enum RpmScriptletKind
{
    Pre,
    Post,
    PreUn,
    PostUn,
    PostTrans,
}

/// <summary>One scriptlet: its body (stored without a final newline, as rpmbuild does) and its interpreter.</summary>
public sealed record RpmScriptlet(RpmScriptletKind Kind, string Body, string Interpreter = RpmScriptlets.Shell);

/// <summary>The scriptlet table: which header tags hold each scriptlet, its interpreter and its dependency context.</summary>
public static class RpmScriptlets
{
    public const string Shell = "/bin/sh";

    private static readonly Dictionary<RpmScriptletKind, (RpmTag Body, RpmTag Program, uint Sense)> s_table = new()
    {
        [RpmScriptletKind.Pre] = (RpmTag.PreIn, RpmTag.PreInProg, RpmSense.ScriptPre),
        [RpmScriptletKind.Post] = (RpmTag.PostIn, RpmTag.PostInProg, RpmSense.ScriptPost),
        [RpmScriptletKind.PreUn] = (RpmTag.PreUn, RpmTag.PreUnProg, RpmSense.ScriptPreun),
        [RpmScriptletKind.PostUn] = (RpmTag.PostUn, RpmTag.PostUnProg, RpmSense.ScriptPostun),
        [RpmScriptletKind.PostTrans] = (RpmTag.PostTrans, RpmTag.PostTransProg, RpmSense.PostTrans),
    };

    /// <summary>The sense flag that marks a dependency as needed by <paramref name="kind"/>'s scriptlet.</summary>
    public static uint Context(RpmScriptletKind kind) => s_table[kind].Sense;

    /// <summary>Adds each scriptlet's body and interpreter tags.</summary>
    public static void AddTo(RpmHeaderBuilder header, IReadOnlyList<RpmScriptlet> scriptlets)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(scriptlets);
        foreach (RpmScriptlet scriptlet in scriptlets)
        {
            (RpmTag body, RpmTag program, _) = s_table[scriptlet.Kind];
            header.AddString(body, scriptlet.Body).AddString(program, scriptlet.Interpreter);
        }
    }

    /// <summary>One interpreter requirement per scriptlet, as rpmbuild writes them.</summary>
    public static IEnumerable<RpmDependency> InterpreterRequires(IReadOnlyList<RpmScriptlet> scriptlets) =>
        scriptlets.Select(s => RpmDependency.Unversioned(s.Interpreter, RpmSense.Interpreter | Context(s.Kind)));
}
