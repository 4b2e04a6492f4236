namespace DkmsPack.Prebuilt;

/// <summary>Where the modules of a prebuilt module package come from.</summary>
public enum ModuleOrigin
{
    /// <summary>Built here from the tree, as DKMS would build it, against each kernel's headers.</summary>
    Build,

    /// <summary>Taken from an existing DKMS build: <c>/var/lib/dkms/NAME/VERSION/KERNEL/ARCH/module/</c>.</summary>
    Dkms,

    /// <summary>Taken from a directory of <c>.ko</c> files (with several kernels, one subdirectory per kernel release).</summary>
    Directory,
}

/// <summary>The key and certificate to sign modules with for Secure Boot (the kernel's sign-file arguments).</summary>
public sealed record ModuleSigningRequest(string KeyPath, string CertificatePath, string Hash = "sha256");

/// <summary>What the prebuilt module formats (bmdeb, kmod) need beyond the tree: the options of mkbmdeb and mkkmod.</summary>
public sealed record KernelModuleRequest
{
    /// <summary>--kernel: the kernel releases to build for, in the order given; empty means the running kernel.</summary>
    public IReadOnlyList<string> Kernels { get; init; } = [];

    /// <summary>--kernel-source: the kernel headers (DKMS's --kernelsourcedir); only with one kernel. Null: /lib/modules/KERNEL/build.</summary>
    public string? KernelSourceDirectory { get; init; }

    public ModuleOrigin Origin { get; init; } = ModuleOrigin.Build;

    /// <summary>The DKMS module directory (--from-dkms) or the directory of .ko files (--modules).</summary>
    public string? OriginDirectory { get; init; }

    /// <summary>--sign-modules KEY:CERT; null leaves the modules as they are.</summary>
    public ModuleSigningRequest? Signing { get; init; }

    /// <summary>--compress-modules; null: as the kernel compresses its own modules.</summary>
    public Modules.ModuleCompressionMethod? Compression { get; init; }

    /// <summary>--with-mok-cert: also write a package that installs the signing certificate for mokutil --import.</summary>
    public bool WithCertificatePackage { get; init; }

    /// <summary>make -j: DKMS's parallel_jobs (the number of processors unless given).</summary>
    public int? Jobs { get; init; }

    /// <summary>Where the directories DKMS uses live: /lib/modules (tests point it elsewhere).</summary>
    public string ModulesRoot { get; init; } = "/lib/modules";
}
