using DkmsPack.Model;
using Xunit;

namespace DkmsPack.Tests.Project;

/// <summary>How the derived relationships and the project file's merge (the writers' output is judged in GreeterPackageTests and PrecedenceTests).</summary>
public sealed class RelationshipSetTests
{
    private static readonly RelationshipSet s_derived = new(
        [Relationship.On(RelationshipKind.Depends, "dkms", neededByScripts: true)],
        new Dictionary<string, IReadOnlyList<Relationship>> { ["deb"] = [Relationship.On(RelationshipKind.Depends, "dkms", VersionRelation.LaterOrEqual, "2.1.0.0", neededByScripts: true)] });

    [Fact]
    public void AProjectRelationshipOfTheSameName_ReplacesTheDerivedOne_AndStaysNeededByTheScripts()
    {
        var project = new RelationshipSet([Relationship.On(RelationshipKind.Depends, "dkms", VersionRelation.LaterOrEqual, "3.0"), Relationship.On(RelationshipKind.Conflicts, "dkms")]);

        RelationshipSet merged = s_derived.Under(project);

        Assert.Equal(["dkms (>= 3.0)"], merged.For("deb", RelationshipKind.Depends).Select(r => r.ToString()));
        Assert.Equal(["dkms (>= 3.0)"], merged.For("rpm", RelationshipKind.Depends).Select(r => r.ToString()));
        Assert.True(merged.For("rpm", RelationshipKind.Depends).Single().NeededByScripts);
        Assert.Equal(["dkms"], merged.For("deb", RelationshipKind.Conflicts).Select(r => r.ToString()));
    }

    [Fact]
    public void OtherRelationships_ComeAfterTheDerived_AndAFormatListOnlyForThatFormat()
    {
        var project = new RelationshipSet(
            [Relationship.On(RelationshipKind.Depends, "kmod")],
            new Dictionary<string, IReadOnlyList<Relationship>> { ["rpm"] = [Relationship.On(RelationshipKind.Depends, "kmod-tools")] });

        RelationshipSet merged = s_derived.Under(project);

        Assert.Equal(["dkms (>= 2.1.0.0)", "kmod"], merged.For("deb").Select(r => r.ToString()));
        Assert.Equal(["dkms", "kmod-tools"], merged.For("rpm").Select(r => r.ToString()));
        Assert.Equal(["dkms", "kmod"], merged.For("apk").Select(r => r.ToString()));
    }
}
