using DkmsPack.Diagnostics;
using DkmsPack.Packaging.Arch;
using DkmsPack.Packaging.Deb;
using DkmsPack.Packaging.Rpm;

namespace DkmsPack.Packaging;

/// <summary>The output formats dkmspack knows, built explicitly (no global registry).</summary>
public static class PackageFormats
{
    public static IReadOnlyList<IPackageFormat> All() => [new DebPackageFormat(), new RpmPackageFormat(), new ArchPackageFormat()];

    /// <summary>
    /// What <c>build</c> writes without --formats: the formats that --sign signs and verify checks. Arch packages are
    /// asked for by name until they are signed (a detached .sig) and verified too.
    /// </summary>
    public static IReadOnlyList<IPackageFormat> Default() => [.. All().Where(format => format is not ArchPackageFormat)];

    /// <summary>Finds formats by name ("deb", "rpm"), in the order given, each once.</summary>
    public static IReadOnlyList<IPackageFormat> Select(IEnumerable<string> names)
    {
        IReadOnlyList<IPackageFormat> all = All();
        return [.. names.Select(n => all.FirstOrDefault(w => string.Equals(w.Name, n, StringComparison.OrdinalIgnoreCase))
            ?? throw DkmsPackException.Options($"unknown format \"{n}\"", $"choose from {string.Join(", ", all.Select(w => w.Name))}"))
            .DistinctBy(f => f.Name)];
    }
}
