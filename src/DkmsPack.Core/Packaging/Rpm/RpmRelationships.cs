using DkmsPack.Archives.Rpm;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Rpm;

/// <summary>
/// The spec's relationships in rpm's terms (the README's mapping table): depends → Requires, recommends →
/// Recommends, suggests → Suggests, conflicts and breaks → Conflicts (rpm has no Breaks), replaces → Obsoletes,
/// provides → Provides. Alternatives (<c>a | b</c>) become a rich dependency <c>(a or b)</c> (rpm 4.13 and later
/// install them; rpmlib(RichDependencies) says so).
/// </summary>
internal static class RpmRelationships
{
    public const string Format = "rpm";

    /// <summary>The rpm tags' lists, each sorted by name and then flags as rpmbuild stores dependency sets.</summary>
    public sealed record Lists(
        IReadOnlyList<RpmDependency> Requires,
        IReadOnlyList<RpmDependency> ScriptRequires,
        IReadOnlyList<RpmDependency> Recommends,
        IReadOnlyList<RpmDependency> Suggests,
        IReadOnlyList<RpmDependency> Conflicts,
        IReadOnlyList<RpmDependency> Obsoletes,
        IReadOnlyList<RpmDependency> Provides,
        bool UsesRichDependencies)
    {
        public IEnumerable<string> Versions => new[] { Requires, Recommends, Suggests, Conflicts, Obsoletes, Provides }.SelectMany(l => l).Select(d => d.Version);
    }

    /// <param name="scriptContexts">The sense flags of the package's scriptlets: a relationship the scripts need is required for each.</param>
    public static Lists For(PackageSpec spec, IEnumerable<uint> scriptContexts)
    {
        IReadOnlyList<Relationship> all = spec.Relationships.For(Format);
        uint[] contexts = [.. scriptContexts];
        List<RpmDependency> Of(params RelationshipKind[] kinds) =>
            Sorted(all.Where(r => kinds.Contains(r.Kind)).Select(Dependency));

        return new Lists(
            Of(RelationshipKind.Depends),
            [.. all.Where(r => r.Kind == RelationshipKind.Depends && r.NeededByScripts)
                .SelectMany(r => contexts.Select(c => Dependency(r) with { Flags = Dependency(r).Flags | c }))],
            Of(RelationshipKind.Recommends),
            Of(RelationshipKind.Suggests),
            Of(RelationshipKind.Conflicts, RelationshipKind.Breaks),
            Of(RelationshipKind.Replaces),
            Of(RelationshipKind.Provides),
            all.Any(r => r.Alternatives.Count > 1));
    }

    /// <summary>Sorted by name, then flags; the same dependency twice (conflicts and breaks alike) once.</summary>
    public static List<RpmDependency> Sorted(IEnumerable<RpmDependency> dependencies) =>
        [.. dependencies.Distinct().OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Flags)];

    /// <summary>One relationship as one rpm dependency (alternatives as a rich dependency).</summary>
    public static RpmDependency Dependency(Relationship relationship) =>
        relationship.Alternatives.Count == 1
            ? Simple(relationship.Alternatives[0])
            : new RpmDependency("(" + string.Join(" or ", relationship.Alternatives.Select(Spelled)) + ")", RpmSense.Any, string.Empty);

    private static RpmDependency Simple(PackageConstraint constraint) =>
        constraint.Relation is { } relation ? new RpmDependency(constraint.Name, Sense(relation), constraint.Version!) : RpmDependency.Unversioned(constraint.Name);

    /// <summary>One alternative inside a rich dependency: <c>name</c> or <c>name OP version</c>.</summary>
    private static string Spelled(PackageConstraint constraint) => constraint.Relation switch
    {
        null => constraint.Name,
        VersionRelation.Earlier => $"{constraint.Name} < {constraint.Version}",
        VersionRelation.EarlierOrEqual => $"{constraint.Name} <= {constraint.Version}",
        VersionRelation.Equal => $"{constraint.Name} = {constraint.Version}",
        VersionRelation.LaterOrEqual => $"{constraint.Name} >= {constraint.Version}",
        _ => $"{constraint.Name} > {constraint.Version}",
    };

    private static uint Sense(VersionRelation relation) => relation switch
    {
        VersionRelation.Earlier => RpmSense.Less,
        VersionRelation.EarlierOrEqual => RpmSense.Less | RpmSense.Equal,
        VersionRelation.Equal => RpmSense.Equal,
        VersionRelation.LaterOrEqual => RpmSense.Greater | RpmSense.Equal,
        _ => RpmSense.Greater,
    };
}
