using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Rpm;

/// <summary>How a DKMS module's name and version become an RPM's Name, Version and Release.</summary>
public static partial class RpmNames
{
    /// <summary>PACKAGE_NAME verbatim plus "-dkms" (RPM names may hold upper case and '_').</summary>
    public static string PackageName(string moduleName)
    {
        string name = moduleName + "-dkms";
        if (!NamePattern().IsMatch(name))
        {
            throw DkmsPackException.Input(null, $"PACKAGE_NAME \"{moduleName}\" cannot become an RPM Name (letters, digits and . _ + - only)", "rename the module in dkms.conf");
        }

        return name;
    }

    /// <summary>Whether <paramref name="name"/> is a Name rpm accepts (letters, digits and . _ + -).</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>
    /// RPM Version: PACKAGE_VERSION with each '-' (which rpm reserves to separate Version from Release)
    /// turned into '_'. The DKMS version stays verbatim in /usr/src and in the scriptlets.
    /// </summary>
    public static string Version(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string version = spec.ModuleVersion.Replace('-', '_');
        if (!VersionPattern().IsMatch(version))
        {
            throw DkmsPackException.Input(null, $"PACKAGE_VERSION \"{spec.ModuleVersion}\" cannot become an RPM Version (it must start with a letter or digit and use only letters, digits and . _ + ~ ^)", $"pass {OptionRef.To("version")} with one that can");
        }

        return version;
    }

    public static string Release(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!ReleasePattern().IsMatch(spec.Revision))
        {
            throw DkmsPackException.Options($"{OptionRef.To("release")} \"{spec.Revision}\" is not an RPM Release", "it must start with a letter or digit and use only letters, digits and . _ + ~");
        }

        return spec.Revision;
    }

    [GeneratedRegex("^[A-Za-z0-9_+][A-Za-z0-9._+-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~^]*$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~]*$")]
    private static partial Regex ReleasePattern();
}
