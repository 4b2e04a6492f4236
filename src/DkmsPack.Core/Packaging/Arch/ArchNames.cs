using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Arch;

/// <summary>
/// Arch's names and versions (PKGBUILD(5): pkgname, pkgver, pkgrel; docs/arch-format.md): pkgname lower case,
/// pkgver without '-', ':' or '/', pkgrel a positive whole number with an optional ".N".
/// </summary>
public static class ArchNames
{
    /// <summary>PACKAGE_NAME lower-cased plus "-dkms" (Arch's package names are lower case: a-z 0-9 @ . _ + -).</summary>
    public static string PackageName(string moduleName)
    {
        ArgumentNullException.ThrowIfNull(moduleName);
        string name = moduleName.ToLowerInvariant() + "-dkms";
        bool valid = name[0] is not ('-' or '.') && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '@' or '.' or '_' or '+' or '-');
        return valid ? name : throw DkmsPackException.Input(null, $"PACKAGE_NAME \"{moduleName}\" cannot become an Arch package name (\"{name}\" may hold only a-z 0-9 @ . _ + -)", "rename the module in dkms.conf");
    }

    /// <summary>pkgver: PACKAGE_VERSION with each '-' turned into '_' (as for RPM); a ':' would read as an epoch.</summary>
    public static string Version(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string version = spec.ModuleVersion.Replace('-', '_');
        return version.Contains(':', StringComparison.Ordinal)
            ? throw DkmsPackException.Input(null, $"PACKAGE_VERSION \"{spec.ModuleVersion}\" holds a ':', which pacman reads as an epoch", $"give a version without ':' ({OptionRef.To("version")})")
            : version;
    }

    /// <summary>pkgrel: the revision, which must be a whole number from 1 (optionally ".N", as makepkg allows).</summary>
    public static string Release(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Revision.Split('.');
        bool valid = parts.Length <= 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) && parts[0][0] != '0';
        return valid ? spec.Revision : throw DkmsPackException.Options($"{OptionRef.To("revision")} \"{spec.Revision}\" is not an Arch pkgrel", "give a whole number from 1, optionally with one \".N\" (e.g. 1 or 2.1)");
    }
}
