using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging;

/// <summary>
/// What the prebuilt module formats (bmdeb, kmod) share: one package per kernel of <see cref="PackageSpec.Kernels"/>,
/// and with --with-mok-cert a certificate package holding the DER certificate the modules are signed with, at
/// <c>/usr/share/PACKAGE/mok.der</c>, where <c>mokutil --import</c> takes it (mokutil(1) reads DER).
/// </summary>
internal static class PrebuiltPackages
{
    /// <summary>The certificate package is NAME-mok-cert (NAME as the format spells the module).</summary>
    public const string CertificatePackageSuffix = "mok-cert";
    private const string CertificateFileName = "mok.der";

    /// <summary>How a format names one kernel's package, writes it, and writes the certificate package.</summary>
    public sealed record Shape(
        Func<KernelTarget, PackageIdentity> Identify,
        Action<KernelModules, PackageIdentity, Stream, WriteContext> Write,
        PackageIdentity CertificateIdentity,
        Action<ReadOnlyMemory<byte>, PackageIdentity, Stream, WriteContext> WriteCertificate);

    /// <summary>The first kernel's identity, every kernel's validated on the way (a format's Identify).</summary>
    public static PackageIdentity Identify(PackageSpec spec, Func<KernelTarget, PackageIdentity> identify)
    {
        PackageIdentity[] identities = [.. spec.Kernels.Select(k => identify(k.Kernel))];
        return identities.Length > 0 ? identities[0] : throw new InvalidOperationException("the prebuilt module formats need the kernels' modules built first");
    }

    /// <summary>One output per kernel, in the order given, then the certificate package when asked for.</summary>
    public static List<PlannedOutput> Outputs(PackageSpec spec, Shape shape)
    {
        List<PlannedOutput> outputs =
        [
            .. spec.Kernels.Select(kernel =>
            {
                PackageIdentity own = shape.Identify(kernel.Kernel);
                return new PlannedOutput(own.FileName, own, (output, context) => shape.Write(kernel, own, output, context));
            }),
        ];
        if (spec.SigningCertificate is { } certificate)
        {
            PackageIdentity own = shape.CertificateIdentity;
            outputs.Add(new PlannedOutput(own.FileName, own, (output, context) => shape.WriteCertificate(certificate, own, output, context)));
        }

        return outputs;
    }

    public static string CertificatePath(PackageIdentity identity) => $"/usr/share/{identity.Name}/{CertificateFileName}";

    /// <summary>The template model of the certificate package, with <c>certificate_path</c> (templates/common/mok-enrol.sbn).</summary>
    public static ScriptObject CertificateModel(PackageSpec spec, PackageIdentity identity)
    {
        ScriptObject model = TemplateModel.Create(spec, identity);
        model["certificate_path"] = CertificatePath(identity);
        return model;
    }

    /// <summary>The certificate package's own directory and the certificate (a .deb adds usr and usr/share with its doc files).</summary>
    public static IEnumerable<PackageEntry> CertificateEntries(PackageIdentity identity, ReadOnlyMemory<byte> certificate, long time)
    {
        string directory = $"usr/share/{identity.Name}";
        yield return PackageEntry.Directory(directory, time);
        yield return PackageEntry.File($"{directory}/{CertificateFileName}", UnixPermissions.Regular, new MemoryContent(certificate.ToArray()), time);
    }
}
