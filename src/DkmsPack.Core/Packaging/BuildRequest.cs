using DkmsPack.Compression;

namespace DkmsPack.Packaging;

/// <summary>What the user asked for: the command-line options, format-neutral. Null means "derive it".</summary>
public sealed record BuildRequest
{
    public required string SourceDirectory { get; init; }

    /// <summary>The module and version the tree was named by (dkms mkdeb's <c>-m NAME -v VERSION</c>), or null.</summary>
    public Source.SourceLocation.NamedModule? NamedModule { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>--version: the module version, replacing a placeholder or computed PACKAGE_VERSION.</summary>
    public string? Version { get; init; }

    public string Revision { get; init; } = "1";

    public string? Maintainer { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public string? License { get; init; }

    public string? Copyright { get; init; }

    public string? Homepage { get; init; }

    public CompressionMethod Compression { get; init; } = CompressionMethod.Gzip;

    /// <summary>True when <see cref="Compression"/> was chosen by the user, not defaulted (<see cref="Model.PackageSpec.CompressionChosen"/>).</summary>
    public bool CompressionChosen { get; init; }

    public int? CompressionLevel { get; init; }

    /// <summary>xz's extreme variant of the level (xz -e, dpkg-deb -Sextreme); only with xz.</summary>
    public bool CompressionExtreme { get; init; }

    public string? TemplatesDirectory { get; init; }

    /// <summary>--depends-map MODULE=PACKAGE: the package of a module named in BUILD_DEPENDS, when not MODULE-dkms.</summary>
    public IReadOnlyList<string> DependsMap { get; init; } = [];

    /// <summary>Globs of tree paths to leave out, beside the default exclusions.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>The rpm format also writes its rendered spec (NAME-dkms.spec).</summary>
    public bool IncludeRpmSpec { get; init; }

    /// <summary>What only a Debian source package reads (--distribution, --urgency, --orig).</summary>
    public SourcePackages.SourcePackageRequest SourcePackage { get; init; } = new();

    /// <summary>What only the prebuilt module formats read (--kernel, --from-dkms, --sign-modules …).</summary>
    public Prebuilt.KernelModuleRequest Modules { get; init; } = new();

    /// <summary>Write SHA256SUMS of the packages beside them.</summary>
    public bool WriteChecksums { get; init; }

    /// <summary>Sign the packages (and SHA256SUMS) with this key; null: unsigned.</summary>
    public SigningRequest? Signing { get; init; }

    /// <summary>The project file (dkmspack.toml) whose extras, relationships, changelog and hooks the build adds; its
    /// plain settings are already merged into this request (<see cref="Project.ProjectRequest.Apply"/>).</summary>
    public Project.ProjectFile? Project { get; init; }

    /// <summary>The environment's SOURCE_DATE_EPOCH, verbatim (validated by <see cref="SpecBuilder"/>).</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary>Maintainer defaults, as dch reads them: DEBFULLNAME/DEBEMAIL, else NAME/EMAIL.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// An OpenPGP secret key as the front end read it (from a file or an environment variable), for the engine to load
/// before anything is written. <see cref="Origin"/> names it in messages (a path, or the variable's name); the key
/// and the passphrase are never shown. The engine clears both arrays once the key is loaded.
/// </summary>
public sealed record SigningRequest(byte[] Key, string Origin, char[] Passphrase);
