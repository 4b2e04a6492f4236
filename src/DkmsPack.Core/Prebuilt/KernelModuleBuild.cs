using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;
using DkmsPack.Modules;

namespace DkmsPack.Prebuilt;

/// <summary>
/// Makes the modules of the prebuilt module packages for every kernel asked for, before any package is written:
/// built from the tree as DKMS would build them, or taken from a DKMS build or a directory; checked against the
/// kernel they are for; signed and compressed as asked. A kernel that BUILD_EXCLUSIVE_* rules out is skipped with a
/// warning; any failure stops the whole run, so no package is written for any kernel (the output transaction's
/// all-or-nothing). The modules live in a scratch directory until <see cref="Dispose"/>.
/// </summary>
public sealed partial class KernelModuleBuild : IDisposable
{
    private readonly DirectoryInfo _scratch;

    private KernelModuleBuild(DirectoryInfo scratch, PackageSpec spec, IReadOnlyList<Diagnostic> warnings)
    {
        _scratch = scratch;
        Spec = spec;
        Warnings = warnings;
    }

    /// <summary>The spec with <see cref="PackageSpec.Kernels"/> filled in.</summary>
    public PackageSpec Spec { get; }

    /// <summary>The kernels skipped, one warning each.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <param name="derivedTexts">The summary and description were derived (not given): they then say what a
    /// prebuilt module package is rather than what a DKMS source package is.</param>
    public static KernelModuleBuild Run(PackageSpec spec, DkmsConf conf, KernelModuleRequest request, (bool Summary, bool Description) derivedTexts = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(conf);
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<string> kernels = Kernels(request);
        if (request.KernelSourceDirectory is not null && kernels.Count > 1)
        {
            throw DkmsPackException.Options($"{OptionRef.To("kernel-source")} names the headers of one kernel, but {kernels.Count} kernels were given", $"build one kernel per run with {OptionRef.To("kernel-source")}, or install each kernel's headers under /lib/modules/KERNEL/build");
        }

        if (request.WithCertificatePackage && request.Signing is null)
        {
            throw DkmsPackException.Options($"{OptionRef.To("with-mok-cert")} packages the certificate the modules are signed with, but they are not signed", $"add {OptionRef.To("sign-modules")} KEY:CERT");
        }

        // The key is loaded (and checked against its certificate) before anything is built.
        using ModuleSigningKey? key = request.Signing is { } signing ? ModuleSigningKey.Load(signing.KeyPath, signing.CertificatePath) : null;
        HashAlgorithmName hash = request.Signing is { } asked ? ModuleSigner.ParseHash(asked.Hash, OptionRef.To("sign-hash")) : ModuleSigner.DefaultHash;
        // (Not a conditional expression: its null would become an empty ReadOnlyMemory through byte[]'s conversion.)
        ReadOnlyMemory<byte>? certificate = null;
        if (request.WithCertificatePackage)
        {
            certificate = key!.CertificateDer.ToArray();
        }

        DirectoryInfo scratch = Directory.CreateTempSubdirectory("dkmspack-modules-");
        try
        {
            var warnings = new List<Diagnostic>();
            var built = new List<KernelModules>();
            foreach (string kernel in kernels)
            {
                if (ForKernel(spec, conf, request, kernel, scratch.FullName, key, hash, warnings) is { } modules)
                {
                    built.Add(modules);
                }
            }

            if (built.Count == 0)
            {
                Diagnostic none = Diagnostic.Error(conf.DisplayPath, 0, $"no module package to write: BUILD_EXCLUSIVE rules out every kernel given ({string.Join(", ", kernels)})", $"name a kernel the module supports with {OptionRef.To("kernel")}");
                throw new DkmsPackException([.. warnings, none], ExitCode.InvalidInput);
            }

            string moduleNames = string.Join(", ", conf.Modules.Select(m => m.DestModuleName));
            PackageSpec prebuilt = spec with
            {
                Kernels = built,
                RemakeInitrd = conf.Recipe.RemakesInitrd,
                SigningCertificate = certificate,
                Summary = derivedTexts.Summary ? $"{spec.ModuleName} kernel module, prebuilt" : spec.Summary,
                Description = derivedTexts.Description ? $"The Linux kernel module{(conf.Modules.Count == 1 ? string.Empty : "s")} {moduleNames} of {spec.ModuleName} {spec.ModuleVersion}, built ahead of time." : spec.Description,
            };
            return new KernelModuleBuild(scratch, prebuilt, warnings);
        }
        catch
        {
            scratch.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A scratch directory left in /tmp is harmless; failing the run for it would not be.
        }
    }

    private static IReadOnlyList<string> Kernels(KernelModuleRequest request)
    {
        IReadOnlyList<string> kernels = request.Kernels.Count > 0 ? [.. request.Kernels.Distinct(StringComparer.Ordinal)] : [RunningKernel()];
        foreach (string kernel in kernels)
        {
            if (!KernelReleasePattern().IsMatch(kernel))
            {
                throw DkmsPackException.Options($"{OptionRef.To("kernel")} \"{kernel}\" is not a kernel release", "give what uname -r prints for that kernel, e.g. 6.1.0-25-amd64");
            }
        }

        return kernels;
    }

    /// <summary>DKMS's default kernel: the running one (uname -r).</summary>
    private static string RunningKernel()
    {
        const string OsRelease = "/proc/sys/kernel/osrelease";
        return File.Exists(OsRelease)
            ? File.ReadAllText(OsRelease).Trim()
            : throw DkmsPackException.Options("no kernel was named and the running kernel is unknown", $"name the kernel with {OptionRef.To("kernel")}");
    }

    private static KernelModules? ForKernel(PackageSpec spec, DkmsConf conf, KernelModuleRequest request, string kernel, string scratch, ModuleSigningKey? key, HashAlgorithmName hash, List<Diagnostic> warnings)
    {
        string headers = request.KernelSourceDirectory ?? Path.Combine(request.ModulesRoot, kernel, "build");
        bool haveHeaders = File.Exists(Path.Combine(headers, "Makefile"));
        if (request.Origin == ModuleOrigin.Build && !haveHeaders)
        {
            throw DkmsPackException.Input(headers, $"holds no kernel headers for {kernel}", $"install linux-headers-{kernel} (Debian, Ubuntu) or kernel-devel (Fedora), or pass {OptionRef.To("kernel-source")}");
        }

        string configPath = Path.Combine(headers, ".config");
        KernelConfig? config = haveHeaders && File.Exists(configPath) ? KernelConfig.Read(configPath) : null;
        IReadOnlyList<string> taken = request.Origin == ModuleOrigin.Build ? [] : TakenModules(conf, request, kernel);
        KernelArchitectures.Architecture architecture = Architecture(config, taken, kernel);

        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kernelver"] = kernel,
            ["arch"] = architecture.Uname,
            ["kernel_source_dir"] = headers,
            ["module"] = spec.ModuleName,
            ["module_version"] = spec.ModuleVersion,
        };
        var plan = new KernelBuildPlan(conf.Recipe, conf.DisplayPath, variables);
        if (plan.Exclusion(architecture.Uname, config) is { } why)
        {
            warnings.Add(Diagnostic.Warning(conf.DisplayPath, 0, $"kernel {kernel} skipped: {why}, so DKMS would not build the module for it"));
            return null;
        }

        IReadOnlyList<string> modules = taken;
        if (request.Origin == ModuleOrigin.Build)
        {
            if (OperatingSystem.IsWindows())
            {
                throw DkmsPackException.Options("building kernel modules needs Linux, with the kernel's headers", $"build them on Linux, or package built modules with {OptionRef.To("modules")}");
            }

            string logDirectory = Path.Combine(Path.GetTempPath(), "dkmspack-logs");
            Directory.CreateDirectory(logDirectory);
            var log = new BuildLog(Path.Combine(logDirectory, $"{spec.ModuleName}-{spec.ModuleVersion}-{kernel}.make.log"));
            File.WriteAllText(log.Path, $"dkmspack make.log for {spec.ModuleName}-{spec.ModuleVersion} for kernel {kernel} ({architecture.Uname})\n");
            int jobs = request.Jobs ?? Environment.ProcessorCount;
            modules = new ModuleBuilder(spec, conf, scratch, jobs).Build(kernel, architecture.Uname, headers, config ?? KernelConfig.Empty, plan, log);
        }

        string final = Path.Combine(scratch, "final", kernel);
        Directory.CreateDirectory(final);
        ModuleCompressionMethod compression = request.Compression ?? CompressionOf(config, request.ModulesRoot, kernel);
        var packaged = new List<BuiltModule>();
        for (int i = 0; i < conf.Modules.Count; i++)
        {
            string name = plan.Expand(conf.Modules[i].DestModuleName) + ".ko";
            byte[] module = ModuleFile.ReadUncompressed(modules[i]);
            KernelModuleInfo.Read(module, modules[i]).EnsureBuiltFor(kernel, modules[i]);

            // Signed before it is compressed: the kernel checks the signature of the decompressed module.
            // A module DKMS signed already is signed again with the key asked for (its own signature is dropped).
            module = key is null ? module : ModuleSigner.Sign(ModuleSignatureLayout.WithoutSignature(module), key, hash, modules[i]);
            byte[] bytes = ModuleCompression.Compress(module, compression);
            string suffix = ModuleCompression.FileSuffix(compression);
            string path = Path.Combine(final, name + suffix);
            File.WriteAllBytes(path, bytes);
            packaged.Add(new BuiltModule(name + suffix, new DiskContent(path, bytes.LongLength)));
        }

        return new KernelModules(KernelArchitectures.Target(kernel, architecture), packaged);
    }

    /// <summary>
    /// The module files a DKMS build or a directory holds for the kernel, one per module record by DEST_MODULE_NAME
    /// (DKMS saves them under that name), compressed or not.
    /// </summary>
    private static List<string> TakenModules(DkmsConf conf, KernelModuleRequest request, string kernel)
    {
        string root = request.OriginDirectory!;
        IEnumerable<string> directories = request.Origin == ModuleOrigin.Dkms
            ? Directory.Exists(Path.Combine(root, kernel)) ? Directory.EnumerateDirectories(Path.Combine(root, kernel)).Select(d => Path.Combine(d, "module")) : []
            : [request.Kernels.Count > 1 ? Path.Combine(root, kernel) : root];
        string? directory = directories.FirstOrDefault(Directory.Exists);
        if (directory is null)
        {
            string expected = request.Origin == ModuleOrigin.Dkms ? Path.Combine(root, kernel, "ARCH", "module") : request.Kernels.Count > 1 ? Path.Combine(root, kernel) : root;
            throw DkmsPackException.Input(expected, $"does not exist, so there are no modules for kernel {kernel}", request.Origin == ModuleOrigin.Dkms ? $"run dkms build -k {kernel} first, or check the directory given" : "check the directory given");
        }

        var files = new List<string>();
        foreach (DkmsModule module in conf.Modules)
        {
            string stem = Path.Combine(directory, module.DestModuleName + ".ko");
            string? file = ModuleFile.Suffixes.Select(suffix => stem + suffix).FirstOrDefault(File.Exists);
            files.Add(file ?? throw DkmsPackException.Input(directory, $"holds no {module.DestModuleName}.ko for kernel {kernel} (module record {module.Index} of {conf.DisplayPath})", "build the module for that kernel first, or check the directory given"));
        }

        return files;
    }

    private static KernelArchitectures.Architecture Architecture(KernelConfig? config, IReadOnlyList<string> modules, string kernel)
    {
        if (config is not null && KernelArchitectures.FromConfig(config) is { } configured)
        {
            return configured;
        }

        if (modules.Count > 0 && KernelModuleInfo.Read(ModuleFile.ReadUncompressed(modules[0]), modules[0]) is var info && KernelArchitectures.FromElf(info.Machine, info.IsBigEndian) is { } fromModule)
        {
            return fromModule;
        }

        return KernelArchitectures.FromProcess(RuntimeInformation.OSArchitecture)
            ?? throw DkmsPackException.Input(null, $"the architecture of kernel {kernel} is unknown", "install the kernel's headers, which hold its configuration");
    }

    /// <summary>
    /// What the kernel does with its own modules (CONFIG_MODULE_COMPRESS_*; without headers, what modules.dep
    /// names, as DKMS's set_module_suffix reads it).
    /// </summary>
    private static ModuleCompressionMethod CompressionOf(KernelConfig? config, string modulesRoot, string kernel)
    {
        if (config is not null)
        {
            return config.IsEnabled("CONFIG_MODULE_COMPRESS_ZSTD") ? ModuleCompressionMethod.Zstd
                : config.IsEnabled("CONFIG_MODULE_COMPRESS_XZ") ? ModuleCompressionMethod.Xz
                : config.IsEnabled("CONFIG_MODULE_COMPRESS_GZIP") ? ModuleCompressionMethod.Gzip
                : ModuleCompressionMethod.None;
        }

        string modulesDep = Path.Combine(modulesRoot, kernel, "modules.dep");
        string text = File.Exists(modulesDep) ? File.ReadAllText(modulesDep) : string.Empty;
        return text.Contains(".ko.zst:", StringComparison.Ordinal) ? ModuleCompressionMethod.Zstd
            : text.Contains(".ko.xz:", StringComparison.Ordinal) ? ModuleCompressionMethod.Xz
            : text.Contains(".ko.gz:", StringComparison.Ordinal) ? ModuleCompressionMethod.Gzip
            : ModuleCompressionMethod.None;
    }

    // What uname -r can print: no '/', no space, nothing a shell would read specially.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}$")]
    private static partial Regex KernelReleasePattern();
}
