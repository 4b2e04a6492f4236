using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Deb;

/// <summary>How a DKMS module's name and version become a Debian package's (deb-control(5), deb-version(7)).</summary>
public static partial class DebianNames
{
    /// <summary>
    /// PACKAGE_NAME lower-cased, '_' turned into '-', plus "-dkms" (the convention dh_dkms packages follow).
    /// The DKMS name itself stays verbatim in the scripts.
    /// </summary>
    public static string PackageName(string moduleName)
    {
        string name = moduleName.ToLowerInvariant().Replace('_', '-') + "-dkms";
        if (!PackageNamePattern().IsMatch(name))
        {
            throw DkmsPackException.Input(null, $"PACKAGE_NAME \"{moduleName}\" cannot become a Debian package name (\"{name}\" must match [a-z0-9][a-z0-9+.-]+)", "rename the module in dkms.conf");
        }

        return name;
    }

    /// <summary>Whether <paramref name="name"/> is a valid Debian package name (deb-control(5), Package).</summary>
    public static bool IsPackageName(string name) => PackageNamePattern().IsMatch(name);

    /// <summary>
    /// <c>UPSTREAM-REVISION</c>. The revision is always present, so a '-' inside the DKMS version stays part of
    /// the upstream version (dpkg splits at the last '-').
    /// </summary>
    public static string Version(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!UpstreamPattern().IsMatch(spec.ModuleVersion))
        {
            throw DkmsPackException.Input(null, $"PACKAGE_VERSION \"{spec.ModuleVersion}\" is not a Debian upstream version (it must start with a digit and use only A-Z a-z 0-9 . + ~ -)", $"pass {OptionRef.To("version")} with one that is");
        }

        if (!RevisionPattern().IsMatch(spec.Revision))
        {
            throw DkmsPackException.Options($"{OptionRef.To("revision")} \"{spec.Revision}\" is not a Debian revision", "use only A-Z a-z 0-9 . + ~");
        }

        return $"{spec.ModuleVersion}-{spec.Revision}";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageNamePattern();

    [GeneratedRegex("^[0-9][A-Za-z0-9.+~-]*$")]
    private static partial Regex UpstreamPattern();

    [GeneratedRegex("^[A-Za-z0-9.+~]+$")]
    private static partial Regex RevisionPattern();
}
