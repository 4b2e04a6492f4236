using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging;

/// <summary>
/// The certificate package of the prebuilt module formats (--with-mok-cert): the DER certificate the modules are
/// signed with, at <c>/usr/share/PACKAGE/mok.der</c>, where <c>mokutil --import</c> takes it (mokutil(1) reads DER).
/// </summary>
internal static class ModuleCertificate
{
    public const string PackageSuffix = "mok-cert";
    private const string FileName = "mok.der";

    public static string InstalledPath(PackageIdentity identity) => $"/usr/share/{identity.Name}/{FileName}";

    /// <summary>The template model, with <c>certificate_path</c> for the enrolment text (templates/common/mok-enrol.sbn).</summary>
    public static ScriptObject Model(PackageSpec spec, PackageIdentity identity)
    {
        ScriptObject model = TemplateModel.Create(spec, identity);
        model["certificate_path"] = InstalledPath(identity);
        return model;
    }

    /// <summary>The package's own directory and the certificate (a .deb adds usr and usr/share with its doc files).</summary>
    public static IEnumerable<PackageEntry> Entries(PackageIdentity identity, ReadOnlyMemory<byte> certificate, long time)
    {
        string directory = $"usr/share/{identity.Name}";
        yield return PackageEntry.Directory(directory, time);
        yield return PackageEntry.File($"{directory}/{FileName}", UnixPermissions.Regular, new MemoryContent(certificate.ToArray()), time);
    }
}
