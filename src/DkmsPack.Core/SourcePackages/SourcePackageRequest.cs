namespace DkmsPack.SourcePackages;

/// <summary>
/// The options only a Debian source package reads: the changelog's distribution and urgency (of the entry this build
/// writes, or of the project changelog's newest entry, as <c>dch --distribution</c> sets it), and an upstream tarball
/// to carry as the .orig.tar.* instead of the one dkmspack writes.
/// </summary>
public sealed record SourcePackageRequest
{
    public const string DefaultDistribution = "unstable";

    public const string DefaultUrgency = "medium";

    /// <summary>--distribution, null: the changelog's own, else unstable.</summary>
    public string? Distribution { get; init; }

    /// <summary>--urgency, null: the changelog's own, else medium.</summary>
    public string? Urgency { get; init; }

    /// <summary>--orig FILE: the upstream tarball, used byte for byte.</summary>
    public string? OrigTarball { get; init; }
}
