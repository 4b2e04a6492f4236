using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;
using DkmsPack.Packaging.Arch;
using DkmsPack.Packaging.Deb;
using DkmsPack.Packaging.Rpm;

namespace DkmsPack.Packaging;

/// <summary>
/// The relationships dkms.conf implies, computed here and nowhere else; a project file's relationships lie over them
/// (<see cref="RelationshipSet.Under"/>), and the writers only read the merged set from the spec.
/// </summary>
public static class DerivedRelationships
{
    private const string DkmsPackage = "dkms";

    /// <summary>
    /// Every package runs dkms in its scripts, and needs the DKMS release that understands what dkms.conf uses
    /// (<see cref="DkmsFeatures"/>; README "Minimum DKMS version"): Debian by the Debian column (dh_dkms's 2.1.0.0
    /// when nothing newer is used), RPM and Arch by the upstream column (unversioned when nothing newer is used). Each module
    /// named in BUILD_DEPENDS becomes a dependency on its package, by the name dkmspack gives that module's package
    /// in each format, or by <paramref name="dependsMap"/> (module → package) when it is packaged under another name.
    /// </summary>
    public static RelationshipSet For(DkmsConf conf, IReadOnlyDictionary<string, string>? dependsMap = null)
    {
        ArgumentNullException.ThrowIfNull(conf);
        dependsMap ??= new Dictionary<string, string>(StringComparer.Ordinal);
        string debianMinimum = DkmsFeatures.NewestDebian(conf.Features)?.Debian ?? DkmsFeatures.BaselineDebianVersion;
        Relationship debianDkms = Relationship.On(RelationshipKind.Depends, DkmsPackage, VersionRelation.LaterOrEqual, debianMinimum, neededByScripts: true);
        Relationship rpmDkms = DkmsFeatures.NewestUpstream(conf.Features) is { } upstream
            ? Relationship.On(RelationshipKind.Depends, DkmsPackage, VersionRelation.LaterOrEqual, upstream.Upstream, neededByScripts: true)
            : Relationship.On(RelationshipKind.Depends, DkmsPackage, neededByScripts: true);
        List<Relationship> rpm = [rpmDkms, .. BuildDepends(conf, dependsMap, RpmNames.PackageName)];
        List<Relationship> deb = [debianDkms, .. BuildDepends(conf, dependsMap, DebianNames.PackageName)];
        List<Relationship> arch = [rpmDkms, .. BuildDepends(conf, dependsMap, ArchNames.PackageName)];
        return new RelationshipSet(rpm, new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal)
        {
            ["deb"] = deb,
            [RpmRelationships.Format] = rpm,
            [ArchPackageFormat.FormatName] = arch,
        });
    }

    /// <summary>
    /// --depends-map's MODULE=PACKAGE entries: the package that provides a module named in BUILD_DEPENDS, when it is not
    /// the one dkmspack would name (NAME-dkms). The name must suit both formats (letters, digits and . _ + -).
    /// </summary>
    /// <exception cref="DkmsPackException">An entry is malformed or given twice (an option error).</exception>
    public static Dictionary<string, string> ParseMap(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        string option = OptionRef.To("depends-map");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            string[] parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !IsPackageName(parts[1]))
            {
                throw DkmsPackException.Options($"{option} \"{entry.ReplaceLineEndings(" ")}\" is not MODULE=PACKAGE", "e.g. --depends-map nvidia=nvidia-kernel-dkms; a package name holds letters, digits and . _ + - and starts with a letter or digit");
            }

            if (!map.TryAdd(parts[0], parts[1]))
            {
                throw DkmsPackException.Options($"{option} maps {parts[0]} twice", "give each module once");
            }
        }

        return map;
    }

    private static bool IsPackageName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-');

    /// <summary>--depends-map keys that dkms.conf's BUILD_DEPENDS does not name: most likely a typo.</summary>
    public static IEnumerable<Diagnostic> UnusedMappings(DkmsConf conf, IReadOnlyDictionary<string, string> dependsMap)
    {
        ArgumentNullException.ThrowIfNull(conf);
        ArgumentNullException.ThrowIfNull(dependsMap);
        return dependsMap.Keys
            .Where(module => !conf.BuildDepends.Contains(module, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(module => Diagnostic.Warning(null, 0, $"{OptionRef.To("depends-map")} {module}=…: dkms.conf's BUILD_DEPENDS does not name {module}", $"check the module name (BUILD_DEPENDS: {(conf.BuildDepends.Count == 0 ? "none" : string.Join(", ", conf.BuildDepends))})", DiagnosticCode.Option));
    }

    private static IEnumerable<Relationship> BuildDepends(DkmsConf conf, IReadOnlyDictionary<string, string> dependsMap, Func<string, string> packageOf) =>
        conf.BuildDepends.Select(module => Relationship.On(RelationshipKind.Depends, dependsMap.TryGetValue(module, out string? mapped) ? mapped : packageOf(module)));
}
