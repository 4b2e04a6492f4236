using DkmsPack.Packaging.Deb;
using DkmsPack.Packaging.Rpm;

namespace DkmsPack.Packaging;

/// <summary>The output formats dkmspack knows, built explicitly (no global registry).</summary>
public static class PackageFormats
{
    public static IReadOnlyList<IPackageWriter> All() => [new DebPackageWriter(), new RpmPackageWriter()];

    /// <summary>Finds formats by name ("deb", "rpm"), in the order given.</summary>
    public static IReadOnlyList<IPackageWriter> Select(IEnumerable<string> names)
    {
        IReadOnlyList<IPackageWriter> all = All();
        return [.. names.Select(n => all.FirstOrDefault(w => string.Equals(w.Format, n, StringComparison.OrdinalIgnoreCase))
            ?? throw Diagnostics.DkmsPackException.Options($"unknown format \"{n}\"", $"choose from {string.Join(", ", all.Select(w => w.Format))}"))];
    }
}
