using System.Globalization;

namespace DkmsPack.Dkms;

/// <summary>What a dkms.conf uses that not every DKMS release understands (docs/dkms-conf.md, "Minimum DKMS version").</summary>
public enum DkmsFeature
{
    /// <summary>BUILD_DEPENDS: build after the named modules (DKMS 2.3).</summary>
    BuildDepends,

    /// <summary>BUILD_EXCLUSIVE_CONFIG: build only for kernels with (or without) these CONFIG_ options.</summary>
    BuildExclusiveConfig,

    /// <summary>BUILD_EXCLUSIVE_KERNEL_MIN / BUILD_EXCLUSIVE_KERNEL_MAX.</summary>
    BuildExclusiveKernelRange,

    /// <summary>No module record at all: older DKMS rejects the file (no DEST_MODULE_LOCATION).</summary>
    ZeroModules,

    /// <summary>BUILD_DEPENDS_REBUILD: rebuild when a module named in BUILD_DEPENDS changes.</summary>
    BuildDependsRebuild,

    /// <summary>BUILD_EXCLUSIVE_*[i] for i &gt; 0: conditions per module record; older DKMS ignores them and builds every module.</summary>
    PerModuleBuildExclusive,
}

/// <summary>
/// The first DKMS release that understands each <see cref="DkmsFeature"/>, upstream and in Debian (which backported
/// BUILD_EXCLUSIVE_CONFIG into 3.0.3-4; dh_dkms writes that dependency). Checked against dkms's git history: the first
/// tag whose dkms(.in) has the feature.
/// </summary>
public static class DkmsFeatures
{
    /// <summary>dh_dkms's dependency for a module that uses nothing newer: every DKMS since 2.1.0.0 reads such a file.</summary>
    public const string BaselineDebianVersion = "2.1.0.0";

    /// <summary>One row of the table.</summary>
    /// <param name="Directive">What dkms.conf says, as the README's table shows it.</param>
    /// <param name="Upstream">The first upstream DKMS release with the feature (what RPM distributions ship).</param>
    /// <param name="Debian">The first Debian package version with it.</param>
    /// <param name="OlderRejects">True when an older DKMS refuses the file; false when it silently ignores the directive
    /// (and so builds where, or before, it should not).</param>
    public sealed record Requirement(DkmsFeature Feature, string Directive, string Upstream, string Debian, bool OlderRejects = false);

    public static readonly IReadOnlyList<Requirement> Table =
    [
        new(DkmsFeature.BuildDepends, "BUILD_DEPENDS", "2.3", "2.3"),
        new(DkmsFeature.BuildExclusiveConfig, "BUILD_EXCLUSIVE_CONFIG", "3.0.11", "3.0.3-4~"),
        new(DkmsFeature.BuildExclusiveKernelRange, "BUILD_EXCLUSIVE_KERNEL_MIN / _MAX", "3.0.11", "3.0.11"),
        new(DkmsFeature.ZeroModules, "no module record (zero modules)", "3.0.11", "3.0.11", OlderRejects: true),
        new(DkmsFeature.BuildDependsRebuild, "BUILD_DEPENDS_REBUILD", "3.2.0", "3.2.0"),
        new(DkmsFeature.PerModuleBuildExclusive, "BUILD_EXCLUSIVE_*[i] per module", "3.3.0", "3.3.0"),
    ];

    /// <summary>The rows for <paramref name="features"/>, in table order.</summary>
    public static IEnumerable<Requirement> For(IReadOnlySet<DkmsFeature> features) => Table.Where(row => features.Contains(row.Feature));

    /// <summary>The newest upstream release any of <paramref name="features"/> needs, or null when any DKMS will do.</summary>
    public static Requirement? NewestUpstream(IReadOnlySet<DkmsFeature> features) =>
        For(features).MaxBy(row => NumericVersion(row.Upstream));

    /// <summary>The newest Debian version any of <paramref name="features"/> needs, or null when the baseline will do.</summary>
    public static Requirement? NewestDebian(IReadOnlySet<DkmsFeature> features) =>
        For(features).MaxBy(row => NumericVersion(row.Debian));

    /// <summary>
    /// True when a DKMS of <paramref name="version"/> (dotted numbers; a Debian revision or suffix after the numbers is
    /// ignored) is at least <paramref name="required"/>.
    /// </summary>
    public static bool Satisfies(string version, string required) => NumericVersion(version).CompareTo(NumericVersion(required)) >= 0;

    // Enough for the versions in the table (3.0.3-4~ is below 3.0.4): numbers, then the Debian revision's number.
    private static Version NumericVersion(string text)
    {
        string[] upstreamAndRevision = text.TrimEnd('~').Split('-', 2);
        int[] parts = [.. upstreamAndRevision[0].Split('.').Select(part => int.Parse(new string([.. part.TakeWhile(char.IsAsciiDigit)]) is { Length: > 0 } digits ? digits : "0", CultureInfo.InvariantCulture))];
        int revision = upstreamAndRevision.Length > 1 && int.TryParse(new string([.. upstreamAndRevision[1].TakeWhile(char.IsAsciiDigit)]), NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : 0;
        return new Version(parts.ElementAtOrDefault(0), parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2), revision);
    }
}
