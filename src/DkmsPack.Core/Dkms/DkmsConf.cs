using DkmsPack.Diagnostics;

namespace DkmsPack.Dkms;

/// <summary>A dkms.conf read statically (never executed) and validated by DKMS's own rules.</summary>
public sealed class DkmsConf
{
    /// <summary>The path used in messages, e.g. <c>examples/apple-gmux-0.1/dkms.conf</c>.</summary>
    public required string DisplayPath { get; init; }

    /// <summary>The file's text as read.</summary>
    public required string Text { get; init; }

    /// <summary>PACKAGE_NAME, resolved to a literal.</summary>
    public required string PackageName { get; init; }

    /// <summary>PACKAGE_VERSION, resolved to a literal (or the --version override).</summary>
    public required string PackageVersion { get; init; }

    /// <summary>The module records (BUILT_MODULE_NAME[i] and its family), by index.</summary>
    public required IReadOnlyList<DkmsModule> Modules { get; init; }

    /// <summary>AUTOINSTALL="yes".</summary>
    public bool AutoInstall { get; init; }

    /// <summary>BUILD_EXCLUSIVE_CONFIG is set (Debian needs dkms &gt;= 3.0.3-4 for it).</summary>
    public bool UsesBuildExclusiveConfig { get; init; }

    /// <summary>What the file uses that not every DKMS release understands (<see cref="DkmsFeatures"/>).</summary>
    public IReadOnlySet<DkmsFeature> Features { get; init; } = new HashSet<DkmsFeature>();

    /// <summary>BUILD_DEPENDS: the DKMS modules this one is built after, literal names in file order.</summary>
    public IReadOnlyList<string> BuildDepends { get; init; } = [];

    /// <summary>Warnings found while reading (deprecated directives, non-executable scripts, …).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>
    /// The text to install as /usr/src/NAME-VERSION/dkms.conf: <see cref="Text"/> unless a version override
    /// replaced a placeholder or a dynamic PACKAGE_VERSION with the literal version.
    /// </summary>
    public required string PackagedText { get; init; }

    /// <summary>What DKMS reads to build the modules for a kernel (prebuilt module packages need it; packaging does not).</summary>
    public DkmsBuildRecipe Recipe { get; init; } = new();
}

/// <summary>
/// One module record of dkms.conf (index i of the BUILT_MODULE_NAME family), defaults applied: BUILT_MODULE_NAME is
/// PACKAGE_NAME for a single unnamed record, DEST_MODULE_NAME is BUILT_MODULE_NAME. BuiltModuleLocation is relative to
/// the tree root without a trailing '/' ("" for the root). DKMS run-time variables (<c>$kernelver</c> …) and values
/// dkmspack cannot know statically appear as written in dkms.conf.
/// </summary>
public sealed record DkmsModule(int Index, string BuiltModuleName, string BuiltModuleLocation, string DestModuleName, string DestModuleLocation);

/// <summary>What a path inside the module tree is, as dkms.conf validation needs to know.</summary>
public enum TreeFileKind
{
    Missing,
    Directory,
    File,
    ExecutableFile,
}

/// <summary>Inputs to <see cref="DkmsConfReader"/> beyond the text.</summary>
public sealed class DkmsConfOptions
{
    /// <summary>--version: overrides PACKAGE_VERSION (needed when it is a placeholder or computed).</summary>
    public string? Version { get; init; }

    /// <summary>Answers what a path relative to the tree root is (for PRE_BUILD/POST_* and PATCH checks); null skips those checks.</summary>
    public Func<string, TreeFileKind>? ProbeTree { get; init; }
}
