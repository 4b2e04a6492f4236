using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.Modules;
using DkmsPack.Prebuilt;

namespace DkmsPack.Cli.Commands;

/// <summary>The options of the prebuilt module packages (mkbmdeb, mkkmod, and build for the bmdeb and kmod formats).</summary>
internal sealed class KernelModuleOptions
{
    public Option<string[]> Kernels { get; } = new("--kernel", "-k")
    {
        Description = "A kernel release (uname -r) to build the modules for; repeat it for several, one package each. Default: the running kernel.",
        HelpName = "release",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> KernelSource { get; } = new("--kernel-source")
    {
        Description = "The kernel headers to build against (DKMS's --kernelsourcedir), with one --kernel. Default: /lib/modules/KERNEL/build.",
        HelpName = "dir",
    };

    public Option<string?> FromDkms { get; } = new("--from-dkms")
    {
        Description = "Package what DKMS already built: /var/lib/dkms/NAME/VERSION (its KERNEL/ARCH/module/ directories), instead of building.",
        HelpName = "dir",
    };

    public Option<string?> Modules { get; } = new("--modules")
    {
        Description = "Package the .ko files of this directory (one subdirectory per kernel release when there are several kernels), instead of building.",
        HelpName = "dir",
    };

    public Option<string?> SignModules { get; } = new("--sign-modules")
    {
        Description = "Sign every module for Secure Boot with this private key and X.509 certificate (PEM or DER), e.g. /var/lib/dkms/mok.key:/var/lib/dkms/mok.pub.",
        HelpName = "key:cert",
    };

    public Option<string> SignHash { get; } = new("--sign-hash")
    {
        Description = "The module signature's hash, as the kernel's sign-file takes it: sha256, sha384, sha512 or sha1.",
        HelpName = "hash",
        DefaultValueFactory = _ => "sha256",
    };

    public Option<string> CompressModules { get; } = new("--compress-modules")
    {
        Description = "Compress the modules: auto (as the kernel compresses its own: CONFIG_MODULE_COMPRESS_*), none, gzip, xz or zstd.",
        HelpName = "method",
        DefaultValueFactory = _ => "auto",
    };

    public Option<bool> WithCertificate { get; } = new("--with-mok-cert")
    {
        Description = "Also write NAME-mok-cert, a package that installs the --sign-modules certificate and says how to enrol it with mokutil --import.",
    };

    public Option<int?> Jobs { get; } = new("--jobs", "-j")
    {
        Description = "make -j for the module build (DKMS's parallel_jobs). Default: the number of processors.",
        HelpName = "n",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Kernels);
        command.Options.Add(KernelSource);
        command.Options.Add(FromDkms);
        command.Options.Add(Modules);
        command.Options.Add(SignModules);
        command.Options.Add(SignHash);
        command.Options.Add(CompressModules);
        command.Options.Add(WithCertificate);
        command.Options.Add(Jobs);
    }

    public KernelModuleRequest ToRequest(ParseResult parse)
    {
        string? fromDkms = parse.GetValue(FromDkms);
        string? modules = parse.GetValue(Modules);
        if (fromDkms is not null && modules is not null)
        {
            throw DkmsPackException.Options("--from-dkms and --modules both name where the modules come from", "give one of them");
        }

        if (parse.GetValue(Jobs) is < 1)
        {
            throw DkmsPackException.Options("--jobs must be 1 or more");
        }

        return new KernelModuleRequest
        {
            Kernels = parse.GetValue(Kernels) ?? [],
            KernelSourceDirectory = parse.GetValue(KernelSource),
            Origin = fromDkms is not null ? ModuleOrigin.Dkms : modules is not null ? ModuleOrigin.Directory : ModuleOrigin.Build,
            OriginDirectory = fromDkms ?? modules,
            Signing = Signing(parse.GetValue(SignModules), parse.GetValue(SignHash)!),
            Compression = Compression(parse.GetValue(CompressModules)!),
            Jobs = parse.GetValue(Jobs),
            WithCertificatePackage = parse.GetValue(WithCertificate),
        };
    }

    private static ModuleSigningRequest? Signing(string? keyAndCertificate, string hash)
    {
        if (keyAndCertificate is null)
        {
            return null;
        }

        int colon = keyAndCertificate.LastIndexOf(':');
        if (colon <= 0 || colon == keyAndCertificate.Length - 1)
        {
            throw DkmsPackException.Options($"--sign-modules \"{keyAndCertificate}\" is not KEY:CERT", "give the private key and the certificate separated by a colon, e.g. /var/lib/dkms/mok.key:/var/lib/dkms/mok.pub");
        }

        return new ModuleSigningRequest(keyAndCertificate[..colon], keyAndCertificate[(colon + 1)..], hash);
    }

    private static ModuleCompressionMethod? Compression(string method) => method switch
    {
        "auto" => null,
        "none" => ModuleCompressionMethod.None,
        "gzip" => ModuleCompressionMethod.Gzip,
        "xz" => ModuleCompressionMethod.Xz,
        "zstd" => ModuleCompressionMethod.Zstd,
        _ => throw DkmsPackException.Options($"--compress-modules \"{method}\" is not a compression", "use auto, none, gzip, xz or zstd"),
    };
}
