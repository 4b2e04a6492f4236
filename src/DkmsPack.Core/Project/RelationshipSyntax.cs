using System.Text.RegularExpressions;
using DkmsPack.Model;

namespace DkmsPack.Project;

/// <summary>
/// Reads one relationship as Debian writes it (deb-control(5), Debian Policy 7.1): <c>name</c>,
/// <c>name (op version)</c> with op one of &lt;&lt; &lt;= = &gt;= &gt;&gt;, and alternatives joined by <c>|</c>.
/// Names and versions are checked by Debian's rules, or, in [rpm.relationships], by rpm's.
/// </summary>
internal static partial class RelationshipSyntax
{
    /// <summary>Only these kinds take alternatives (Debian Policy 7.1; rpm's rich dependencies take them there too).</summary>
    public static bool AllowsAlternatives(RelationshipKind kind) => kind is RelationshipKind.Depends or RelationshipKind.Recommends or RelationshipKind.Suggests;

    /// <summary>Parses <paramref name="text"/>, or says what is wrong with it.</summary>
    public static Relationship? Parse(string text, RelationshipKind kind, bool rpmRules, out string? error)
    {
        string[] parts = text.Split('|');
        if (parts.Length > 1 && !AllowsAlternatives(kind))
        {
            error = $"\"{text}\" has alternatives (|), which only depends, recommends and suggests may have";
            return null;
        }

        var alternatives = new List<PackageConstraint>();
        foreach (string part in parts)
        {
            Match match = Constraint().Match(part);
            if (!match.Success)
            {
                error = $"\"{text}\" is not a relationship; write NAME or NAME (OP VERSION) with OP one of << <= = >= >>";
                return null;
            }

            string name = match.Groups["name"].Value;
            if (!(rpmRules ? RpmName() : DebianName()).IsMatch(name))
            {
                error = rpmRules
                    ? $"\"{name}\" is not an rpm package or capability name (letters, digits and _ . + ( ) / : -, no spaces)"
                    : $"\"{name}\" is not a Debian package name (lower-case letters, digits and + . -, at least two, starting with a letter or digit); give the rpm spelling in [rpm.relationships] if the names differ";
                return null;
            }

            VersionRelation? relation = null;
            string? version = null;
            if (match.Groups["op"].Success)
            {
                relation = match.Groups["op"].Value switch
                {
                    "<<" => VersionRelation.Earlier,
                    "<=" => VersionRelation.EarlierOrEqual,
                    "=" => VersionRelation.Equal,
                    ">=" => VersionRelation.LaterOrEqual,
                    _ => VersionRelation.Later,
                };
                version = match.Groups["version"].Value;
                if (!(rpmRules ? RpmVersion() : DebianVersion()).IsMatch(version))
                {
                    error = rpmRules
                        ? $"\"{version}\" is not an rpm version ([EPOCH:]VERSION[-RELEASE] of letters, digits and . _ + ~ ^)"
                        : $"\"{version}\" is not a Debian version ([EPOCH:]UPSTREAM[-REVISION], starting with a digit; letters, digits and . + ~ -)";
                    return null;
                }

                if (kind == RelationshipKind.Provides && relation != VersionRelation.Equal)
                {
                    error = $"\"{text}\": provides takes only = versions (Debian Policy 7.5)";
                    return null;
                }
            }

            alternatives.Add(new PackageConstraint(name, relation, version));
        }

        error = null;
        return new Relationship(kind, alternatives);
    }

    /// <summary>Debian Policy 5.6.7 (with an epoch and a revision allowed).</summary>
    public static bool IsDebianVersion(string version) => DebianVersion().IsMatch(version);

    [GeneratedRegex(@"\A\s*(?<name>[^\s()|]+)\s*(?:\(\s*(?<op><<|<=|>=|>>|=)\s*(?<version>[^\s()]+)\s*\))?\s*\z")]
    private static partial Regex Constraint();

    /// <summary>Debian Policy 5.6.1.</summary>
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9+.-]+\z")]
    private static partial Regex DebianName();

    [GeneratedRegex(@"\A(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~-]*[A-Za-z0-9.+~])?\z")]
    private static partial Regex DebianVersion();

    [GeneratedRegex(@"\A[A-Za-z0-9_/+][A-Za-z0-9_.+()/:-]*\z")]
    private static partial Regex RpmName();

    [GeneratedRegex(@"\A(?:[0-9]+:)?[A-Za-z0-9._+~^]+(?:-[A-Za-z0-9._+~^]+)?\z")]
    private static partial Regex RpmVersion();
}
