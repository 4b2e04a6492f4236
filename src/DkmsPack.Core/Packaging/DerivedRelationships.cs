using DkmsPack.Dkms;
using DkmsPack.Model;

namespace DkmsPack.Packaging;

/// <summary>
/// The relationships dkms.conf implies, computed here and nowhere else; a project file's relationships lie over them
/// (<see cref="RelationshipSet.Under"/>), and the writers only read the merged set from the spec.
/// </summary>
public static class DerivedRelationships
{
    private const string DkmsPackage = "dkms";

    /// <summary>
    /// Every package runs dkms in its scripts. Debian: dh_dkms's rule, BUILD_EXCLUSIVE_CONFIG needs dkms 3.0.3-4 and
    /// everything else works from 2.1.0.0; RPM: dkms, unversioned (Fedora's and EPEL's dkms are all recent enough).
    /// </summary>
    public static RelationshipSet For(DkmsConf conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        Relationship debianDkms = Relationship.On(RelationshipKind.Depends, DkmsPackage, VersionRelation.LaterOrEqual, conf.UsesBuildExclusiveConfig ? "3.0.3-4~" : "2.1.0.0", neededByScripts: true);
        Relationship anyDkms = Relationship.On(RelationshipKind.Depends, DkmsPackage, neededByScripts: true);
        return new RelationshipSet([anyDkms], new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal) { ["deb"] = [debianDkms] });
    }
}
