using DkmsPack.Archives.Rpm;
using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Packaging.Rpm;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Kmod;

/// <summary>
/// Prebuilt module RPMs in the "kmod" shape RPM Fusion's kmodtool gives them (docs/prebuilt-modules.md): one
/// <c>kmod-NAME-KERNEL</c> package per kernel, for that kernel's architecture, requiring exactly that kernel
/// (<c>kernel-uname-r = KERNEL</c>, which Fedora's and EL's kernel-core packages provide), providing
/// <c>NAME-kmod</c>, with the modules in <c>/lib/modules/KERNEL/extra/NAME/</c> and %post/%postun running depmod.
/// </summary>
public sealed class KmodPackageFormat : IPackageFormat
{
    public const string FormatName = "kmod";
    private const string PostTemplate = "kmod/post.sbn";
    private const string PostunTemplate = "kmod/postun.sbn";
    private const string CertificatePostTemplate = "kmod/mok-post.sbn";

    public string Name => FormatName;

    public bool NeedsKernelModules => true;

    /// <summary>The first kernel's package; <see cref="Outputs"/> has one per kernel, each validated here.</summary>
    public PackageIdentity Identify(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PrebuiltPackages.Identify(spec, kernel => Identify(spec, kernel));
    }

    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PrebuiltPackages.Outputs(spec, new PrebuiltPackages.Shape(
            kernel => Identify(spec, kernel),
            (kernel, own, output, context) => Write(spec, kernel, own, output, context),
            new PackageIdentity(FormatName, $"{spec.ModuleName}-{PrebuiltPackages.CertificatePackageSuffix}", RpmVersion(spec), "noarch", $"{spec.ModuleName}-{PrebuiltPackages.CertificatePackageSuffix}-{RpmVersion(spec)}.noarch.rpm"),
            (certificate, own, output, context) => WriteCertificate(spec, certificate, own, output, context)));
    }

    /// <summary>The package that installs the signing certificate for mokutil --import, and says how to enrol it.</summary>
    private static void WriteCertificate(PackageSpec spec, ReadOnlyMemory<byte> certificate, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = PrebuiltPackages.CertificateModel(spec, identity);
        RpmScriptlet[] scriptlets = [new(RpmScriptletKind.Post, TemplateRenderer.Render(context.Templates, CertificatePostTemplate, model).TrimEnd('\n'))];
        List<PackageEntry> entries = [.. PrebuiltPackages.CertificateEntries(identity, certificate, spec.BuildTime)];
        var relationships = new RpmRelationships.Lists([], [], [], [], [], [], [], UsesRichDependencies: false);
        PackageSpec own = spec with
        {
            Summary = $"Secure Boot certificate of the {spec.ModuleName} kernel modules",
            Description = $"The certificate of the key that signs the prebuilt {spec.ModuleName} modules, in DER form at {PrebuiltPackages.CertificatePath(identity)}, for mokutil --import. After installation the package says how to enrol it.",
        };
        RpmPackageFormat.WriteBinary(output, own, identity, entries, scriptlets, relationships, context);
    }

    private static PackageIdentity Identify(PackageSpec spec, KernelTarget kernel)
    {
        string name = $"kmod-{spec.ModuleName}-{kernel.Release}";
        if (!RpmNames.IsName(name))
        {
            throw DkmsPackException.Input(null, $"kernel {kernel.Release} gives the package name \"{name}\", which rpm does not allow", "rename the module in dkms.conf");
        }

        string version = RpmVersion(spec);
        return new PackageIdentity(FormatName, name, version, kernel.RpmArchitecture, $"{name}-{version}.{kernel.RpmArchitecture}.rpm");
    }

    private static string RpmVersion(PackageSpec spec) => $"{RpmNames.Version(spec)}-{RpmNames.Release(spec)}";

    private static void Write(PackageSpec spec, KernelModules kernel, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = TemplateModel.WithKernel(TemplateModel.Create(spec, identity), kernel.Kernel, spec.RemakeInitrd);
        RpmScriptlet[] scriptlets =
        [
            new(RpmScriptletKind.Post, TemplateRenderer.Render(context.Templates, PostTemplate, model).TrimEnd('\n')),
            new(RpmScriptletKind.PostUn, TemplateRenderer.Render(context.Templates, PostunTemplate, model).TrimEnd('\n')),
        ];

        // kmodtool's layout: the package owns /lib/modules/KERNEL/extra/NAME and its modules; rpm makes the parents.
        long time = spec.BuildTime;
        string directory = $"lib/modules/{kernel.Kernel.Release}/extra/{spec.ModuleName}";
        List<PackageEntry> entries =
        [
            PackageEntry.Directory(directory, time),
            .. kernel.Modules.Select(m => PackageEntry.File($"{directory}/{m.FileName}", UnixPermissions.Regular, m.Content, time)),
        ];
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        string versionRelease = identity.Version;
        var relationships = new RpmRelationships.Lists(
            Requires: [new RpmDependency("kernel-uname-r", RpmSense.Equal, kernel.Kernel.Release)],
            ScriptRequires: [],
            Recommends: [],
            Suggests: [],
            Conflicts: [RpmDependency.Unversioned(RpmNames.PackageName(spec.ModuleName))],
            Obsoletes: [],
            Provides: RpmRelationships.Sorted([new RpmDependency($"{spec.ModuleName}-kmod", RpmSense.Equal, versionRelease), new RpmDependency($"kmod-{spec.ModuleName}", RpmSense.Equal, versionRelease)]),
            UsesRichDependencies: false);
        PackageSpec own = spec with { Summary = $"{spec.Summary} (Linux {kernel.Kernel.Release})" };
        RpmPackageFormat.WriteBinary(output, own, identity, entries, scriptlets, relationships, context);
    }
}
