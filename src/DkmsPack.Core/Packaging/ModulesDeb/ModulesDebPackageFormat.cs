using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Packaging.Deb;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.ModulesDeb;

/// <summary>
/// Prebuilt module .debs, the successor of <c>dkms mkbmdeb</c> (docs/prebuilt-modules.md): one
/// <c>NAME-modules-KERNEL</c> package per kernel, for that kernel's architecture, holding the modules in
/// <c>/lib/modules/KERNEL/updates/dkms/</c> (where Debian's and Ubuntu's DKMS install them), with a postinst and
/// postrm that run depmod for that kernel. It conflicts with NAME-dkms, whose DKMS build would install a module of
/// the same name at the same path.
/// </summary>
public sealed class ModulesDebPackageFormat : IPackageFormat
{
    public const string FormatName = "bmdeb";
    private const string ControlTemplate = "bmdeb/control.sbn";
    private const string PostinstTemplate = "bmdeb/postinst.sbn";
    private const string PostrmTemplate = "bmdeb/postrm.sbn";
    private const string CertificateControlTemplate = "bmdeb/mok-control.sbn";
    private const string CertificatePostinstTemplate = "bmdeb/mok-postinst.sbn";

    /// <summary>Debian's DKMS puts every module here (dkms: override_dest_module_location), whatever DEST_MODULE_LOCATION says.</summary>
    private const string ModuleDirectory = "updates/dkms";

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
            new PackageIdentity(FormatName, $"{BaseName(spec)}-{PrebuiltPackages.CertificatePackageSuffix}", DebianNames.Version(spec), "all", $"{BaseName(spec)}-{PrebuiltPackages.CertificatePackageSuffix}_{DebianNames.Version(spec)}_all.deb"),
            (certificate, own, output, context) => WriteCertificate(spec, certificate, own, output, context)));
    }

    /// <summary>The package that installs the signing certificate for mokutil --import, and says how to enrol it.</summary>
    private static void WriteCertificate(PackageSpec spec, ReadOnlyMemory<byte> certificate, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = PrebuiltPackages.CertificateModel(spec, identity);
        ScriptObject package = TemplateModel.Package(model);
        DebPackageFormat.AddDebianLicense(package, spec);
        long time = spec.BuildTime;
        List<PackageEntry> entries =
        [
            .. DebPackageFormat.DocEntries(context.Templates, model, identity.Name, time),
            .. PrebuiltPackages.CertificateEntries(identity, certificate, time),
        ];
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        package["installed_size"] = DebArchive.InstalledSizeKiB(entries);
        string control = TemplateRenderer.Render(context.Templates, CertificateControlTemplate, model);
        DebControlCheck.Validate(control, context.Templates.Origin(CertificateControlTemplate));
        var members = new DebArchive.ControlMembers(control, TemplateRenderer.Render(context.Templates, CertificatePostinstTemplate, model), Prerm: null, Postrm: null, Conffiles: []);
        DebArchive.Write(output, spec, entries, members, new ProgressCounter(FormatName, entries, context.Progress), context);
    }

    private static PackageIdentity Identify(PackageSpec spec, KernelTarget kernel)
    {
        string name = $"{BaseName(spec)}-modules-{kernel.Release.ToLowerInvariant()}";
        if (!DebianNames.IsPackageName(name))
        {
            throw DkmsPackException.Input(null, $"kernel {kernel.Release} gives the package name \"{name}\", which Debian does not allow", "package that kernel's modules with mkkmod, or rename the module in dkms.conf");
        }

        string version = DebianNames.Version(spec);
        return new PackageIdentity(FormatName, name, version, kernel.DebianArchitecture, $"{name}_{version}_{kernel.DebianArchitecture}.deb");
    }

    /// <summary>NAME-dkms without -dkms: the name mkbmdeb gave its packages (DEBIAN_PACKAGE).</summary>
    private static string BaseName(PackageSpec spec) => DebianNames.PackageName(spec.ModuleName)[..^"-dkms".Length];

    private static void Write(PackageSpec spec, KernelModules kernel, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = TemplateModel.WithKernel(TemplateModel.Create(spec, identity), kernel.Kernel, spec.RemakeInitrd);
        ScriptObject package = TemplateModel.Package(model);
        DebPackageFormat.AddDebianLicense(package, spec);
        package["dkms_package"] = DebianNames.PackageName(spec.ModuleName);
        package["provides"] = $"{BaseName(spec)}-modules (= {identity.Version})";
        package["recommends"] = spec.SigningCertificate is null ? string.Empty : $"{BaseName(spec)}-{PrebuiltPackages.CertificatePackageSuffix}";

        long time = spec.BuildTime;
        string directory = $"lib/modules/{kernel.Kernel.Release}/{ModuleDirectory}";
        List<PackageEntry> entries =
        [
            .. DebPackageFormat.DocEntries(context.Templates, model, identity.Name, time),
            .. DebPackageFormat.Parents(directory + "/").Select(parent => PackageEntry.Directory(parent, time)),
            .. kernel.Modules.Select(m => PackageEntry.File($"{directory}/{m.FileName}", UnixPermissions.Regular, m.Content, time)),
        ];
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        package["installed_size"] = DebArchive.InstalledSizeKiB(entries);
        string control = TemplateRenderer.Render(context.Templates, ControlTemplate, model);
        DebControlCheck.Validate(control, context.Templates.Origin(ControlTemplate));
        var members = new DebArchive.ControlMembers(
            control,
            TemplateRenderer.Render(context.Templates, PostinstTemplate, model),
            Prerm: null,
            TemplateRenderer.Render(context.Templates, PostrmTemplate, model),
            Conffiles: []);
        DebArchive.Write(output, spec, entries, members, new ProgressCounter(FormatName, entries, context.Progress), context);
    }
}
