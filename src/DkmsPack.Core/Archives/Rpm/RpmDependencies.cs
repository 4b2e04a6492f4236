namespace DkmsPack.Archives.Rpm;

/// <summary>rpmsenseFlags bits (rpmds.h) used in dependency entries (docs/rpm-format.md, "Dependencies").</summary>
public static class RpmSense
{
    public const uint Any = 0;
    public const uint Less = 1 << 1;
    public const uint Greater = 1 << 2;
    public const uint Equal = 1 << 3;

    /// <summary>RPMSENSE_POSTTRANS: needed by the %posttrans scriptlet.</summary>
    public const uint PostTrans = 1 << 5;

    /// <summary>RPMSENSE_INTERP: the interpreter a scriptlet runs with.</summary>
    public const uint Interpreter = 1 << 8;
    public const uint ScriptPre = 1 << 9;
    public const uint ScriptPost = 1 << 10;
    public const uint ScriptPreun = 1 << 11;
    public const uint ScriptPostun = 1 << 12;
    public const uint RpmLib = 1 << 24;
}

/// <summary>One dependency: a name, the sense flags (comparison and context) and a version (empty for any).</summary>
public sealed record RpmDependency(string Name, uint Flags, string Version)
{
    public static RpmDependency Unversioned(string name, uint context = RpmSense.Any) => new(name, context, string.Empty);
}

/// <summary>Writes dependency lists as rpm stores them: three parallel arrays of names, flags and versions.</summary>
public static class RpmDependencies
{
    public static void AddRequires(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> requires) =>
        Add(header, requires, RpmTag.RequireName, RpmTag.RequireFlags, RpmTag.RequireVersion);

    public static void AddProvides(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> provides) =>
        Add(header, provides, RpmTag.ProvideName, RpmTag.ProvideFlags, RpmTag.ProvideVersion);

    public static void AddConflicts(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> conflicts) =>
        Add(header, conflicts, RpmTag.ConflictName, RpmTag.ConflictFlags, RpmTag.ConflictVersion);

    public static void AddObsoletes(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> obsoletes) =>
        Add(header, obsoletes, RpmTag.ObsoleteName, RpmTag.ObsoleteFlags, RpmTag.ObsoleteVersion);

    public static void AddRecommends(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> recommends) =>
        Add(header, recommends, RpmTag.RecommendName, RpmTag.RecommendFlags, RpmTag.RecommendVersion);

    public static void AddSuggests(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> suggests) =>
        Add(header, suggests, RpmTag.SuggestName, RpmTag.SuggestFlags, RpmTag.SuggestVersion);

    private static void Add(RpmHeaderBuilder header, IReadOnlyList<RpmDependency> dependencies, RpmTag names, RpmTag flags, RpmTag versions)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(dependencies);
        if (dependencies.Count == 0)
        {
            return;
        }

        header
            .AddStringArray(names, [.. dependencies.Select(d => d.Name)])
            .AddInt32Array(flags, [.. dependencies.Select(d => d.Flags)])
            .AddStringArray(versions, [.. dependencies.Select(d => d.Version)]);
    }
}
