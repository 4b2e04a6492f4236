namespace DkmsPack.Model;

/// <summary>
/// The kinds of relationship a package declares, named as Debian names them (deb-control(5), Debian Policy 7).
/// RPM has its own names for most: the mapping lives in the RPM writer and in the README.
/// </summary>
public enum RelationshipKind
{
    Depends,
    Recommends,
    Suggests,
    Breaks,
    Conflicts,
    Replaces,
    Provides,
}

/// <summary>A version comparison in a relationship, in Debian's spelling (&lt;&lt;, &lt;=, =, &gt;=, &gt;&gt;).</summary>
public enum VersionRelation
{
    Earlier,
    EarlierOrEqual,
    Equal,
    LaterOrEqual,
    Later,
}

/// <summary>One package a relationship names, with an optional version constraint: <c>dkms (&gt;= 3.0)</c>.</summary>
public sealed record PackageConstraint(string Name, VersionRelation? Relation = null, string? Version = null)
{
    public static string Spell(VersionRelation relation) => relation switch
    {
        VersionRelation.Earlier => "<<",
        VersionRelation.EarlierOrEqual => "<=",
        VersionRelation.Equal => "=",
        VersionRelation.LaterOrEqual => ">=",
        _ => ">>",
    };

    /// <summary>Debian's form: <c>name</c> or <c>name (op version)</c>.</summary>
    public override string ToString() => Relation is { } relation ? $"{Name} ({Spell(relation)} {Version})" : Name;
}

/// <summary>
/// One relationship: a kind and one or more alternatives (<c>a | b</c>, only in depends, recommends and suggests).
/// <see cref="NeededByScripts"/> marks a package the install and removal scripts run (dkms): RPM then also requires it
/// for each scriptlet (<c>Requires(post)</c> and so on), which orders the transaction.
/// </summary>
public sealed record Relationship(RelationshipKind Kind, IReadOnlyList<PackageConstraint> Alternatives, bool NeededByScripts = false)
{
    /// <summary>The name a relationship is known by when layers are merged: its first alternative's.</summary>
    public string Name => Alternatives[0].Name;

    public static Relationship On(RelationshipKind kind, string name, VersionRelation? relation = null, string? version = null, bool neededByScripts = false) =>
        new(kind, [new PackageConstraint(name, relation, version)], neededByScripts);

    /// <summary>Debian's form: alternatives joined by <c> | </c>.</summary>
    public override string ToString() => string.Join(" | ", Alternatives);
}

/// <summary>
/// A package's relationships: those of every format, and the complete list of a format that has its own
/// (a format not named gets <see cref="Common"/>). Layers merge by name: a relationship of the upper layer replaces
/// the lower layer's of the same kind and name, and is otherwise added after them.
/// </summary>
public sealed class RelationshipSet
{
    public RelationshipSet(IReadOnlyList<Relationship> common, IReadOnlyDictionary<string, IReadOnlyList<Relationship>>? byFormat = null)
    {
        Common = common;
        ByFormat = byFormat ?? new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal);
    }

    public static RelationshipSet Empty { get; } = new([]);

    public IReadOnlyList<Relationship> Common { get; }

    /// <summary>Per format name ("deb", "rpm"): that format's complete list.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Relationship>> ByFormat { get; }

    /// <summary>What <paramref name="format"/> declares.</summary>
    public IReadOnlyList<Relationship> For(string format) => ByFormat.TryGetValue(format, out IReadOnlyList<Relationship>? own) ? own : Common;

    /// <summary>The relationships of one kind for <paramref name="format"/>, in order.</summary>
    public IEnumerable<Relationship> For(string format, RelationshipKind kind) => For(format).Where(r => r.Kind == kind);

    /// <summary><paramref name="upper"/> over this set, format by format.</summary>
    public RelationshipSet Under(RelationshipSet upper)
    {
        ArgumentNullException.ThrowIfNull(upper);
        var byFormat = new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal);
        foreach (string format in ByFormat.Keys.Union(upper.ByFormat.Keys, StringComparer.Ordinal))
        {
            byFormat[format] = Merge(For(format), upper.For(format));
        }

        return new RelationshipSet(Merge(Common, upper.Common), byFormat);
    }

    private static List<Relationship> Merge(IReadOnlyList<Relationship> lower, IReadOnlyList<Relationship> upper)
    {
        var merged = new List<Relationship>(lower.Count + upper.Count);
        foreach (Relationship relationship in lower)
        {
            // The upper layer's relationship of the same kind and name takes the lower one's place; what the scripts
            // need stays needed whoever spells the constraint.
            Relationship? replacement = upper.FirstOrDefault(u => u.Kind == relationship.Kind && u.Name == relationship.Name);
            merged.Add(replacement is null ? relationship : replacement with { NeededByScripts = replacement.NeededByScripts || relationship.NeededByScripts });
        }

        merged.AddRange(upper.Where(u => !lower.Any(l => l.Kind == u.Kind && l.Name == u.Name)));
        return merged;
    }
}
