using DkmsPack.Diagnostics;
using DkmsPack.Packaging.Arch;
using DkmsPack.Packaging.Deb;
using DkmsPack.Packaging.Kmod;
using DkmsPack.Packaging.ModulesDeb;
using DkmsPack.Packaging.Rpm;
using DkmsPack.SourcePackages.Dsc;
using DkmsPack.SourcePackages.Pkgbuild;
using DkmsPack.SourcePackages.Srpm;

namespace DkmsPack.Packaging;

/// <summary>The output formats dkmspack knows, built explicitly (no global registry).</summary>
public static class PackageFormats
{
    /// <summary>Every format dkmspack writes: the binary ones, the source packages (docs/source-packages.md), the prebuilt modules.</summary>
    public static IReadOnlyList<IPackageFormat> All() => [new DebPackageFormat(), new RpmPackageFormat(), new ArchPackageFormat(), .. Source(), .. Prebuilt()];

    /// <summary>
    /// What <c>build</c> writes without --formats: the binary formats, each of which --sign signs (an Arch package by
    /// a detached .sig beside it) and verify checks. Source packages are for build services, and asked for by name.
    /// </summary>
    public static IReadOnlyList<IPackageFormat> Default() => [new DebPackageFormat(), new RpmPackageFormat(), new ArchPackageFormat()];

    /// <summary>The source-package formats (docs/source-packages.md; the AUR's PKGBUILD, docs/arch-format.md), built only when named.</summary>
    public static IReadOnlyList<IPackageFormat> Source() => [new DscPackageFormat(), new SrpmPackageFormat(), new PkgbuildFormat()];

    /// <summary>The prebuilt module formats (docs/prebuilt-modules.md): one package per kernel, built only when named.</summary>
    public static IReadOnlyList<IPackageFormat> Prebuilt() => [new ModulesDebPackageFormat(), new KmodPackageFormat()];

    /// <summary>Finds formats by name ("deb", "rpm"), in the order given, each once.</summary>
    public static IReadOnlyList<IPackageFormat> Select(IEnumerable<string> names)
    {
        IReadOnlyList<IPackageFormat> all = All();
        return [.. names.Select(n => all.FirstOrDefault(w => string.Equals(w.Name, n, StringComparison.OrdinalIgnoreCase))
            ?? throw DkmsPackException.Options($"unknown format \"{n}\"", $"choose from {string.Join(", ", all.Select(w => w.Name))}"))
            .DistinctBy(f => f.Name)];
    }
}
