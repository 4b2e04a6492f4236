using DkmsPack.Compression;

namespace DkmsPack.Model;

/// <summary>
/// Everything a package writer needs, format-neutral, validated and with defaults applied.
/// Writers read only this: never the file system's metadata, the environment or the clock.
/// </summary>
public sealed record PackageSpec
{
    /// <summary>PACKAGE_NAME from dkms.conf, verbatim: the DKMS module name the scripts use.</summary>
    public required string ModuleName { get; init; }

    /// <summary>PACKAGE_VERSION from dkms.conf (or --version), verbatim: the DKMS version the scripts use.</summary>
    public required string ModuleVersion { get; init; }

    /// <summary>The packaging revision: Debian revision, RPM Release. "1" unless given.</summary>
    public required string Revision { get; init; }

    /// <summary>Maintainer / Packager, "Name &lt;email&gt;".</summary>
    public required string Maintainer { get; init; }

    /// <summary>One-line synopsis, no trailing dot.</summary>
    public required string Summary { get; init; }

    /// <summary>Long description; paragraphs separated by blank lines.</summary>
    public required string Description { get; init; }

    /// <summary>SPDX licence expression.</summary>
    public required string License { get; init; }

    /// <summary>Copyright holders, e.g. "2024 Jane Doe &lt;jane@example.org&gt;".</summary>
    public required string Copyright { get; init; }

    public string? Homepage { get; init; }

    /// <summary>True when dkms.conf uses BUILD_EXCLUSIVE_CONFIG, which needs a newer dkms (Debian: 3.0.3-4).</summary>
    public bool UsesBuildExclusiveConfig { get; init; }

    /// <summary>AUTOINSTALL="yes": the install scripts build the module; otherwise they only register it.</summary>
    public bool AutoInstall { get; init; } = true;

    /// <summary>The module source, installed under <see cref="SourceDirectory"/>, sorted by path (ordinal).</summary>
    public required IReadOnlyList<PackageEntry> SourceEntries { get; init; }

    /// <summary>
    /// What a project file installs outside the source directory (files, the directories it names, symlinks), sorted
    /// by path (ordinal). Only these directories are the package's own; a format adds the parents it needs.
    /// </summary>
    public IReadOnlyList<PackageEntry> ExtraEntries { get; init; } = [];

    /// <summary>Depends, Conflicts, …: the derived ones (dkms) under the project file's.</summary>
    public RelationshipSet Relationships { get; init; } = RelationshipSet.Empty;

    /// <summary>The changelog, newest entry first; empty means one entry for this build (dated with the build time).</summary>
    public IReadOnlyList<ChangelogEntry> Changelog { get; init; } = [];

    /// <summary>What the maintainer scripts do besides DKMS.</summary>
    public PackageHooks Hooks { get; init; } = PackageHooks.None;

    /// <summary>Build time in seconds since the Unix epoch: SOURCE_DATE_EPOCH when set, else now.</summary>
    public required long BuildTime { get; init; }

    public CompressionMethod Compression { get; init; } = CompressionMethod.Gzip;

    /// <summary>True when the user chose <see cref="Compression"/> (command line or project file), false for the default:
    /// a format with a default of its own (Arch: zstd) keeps it then.</summary>
    public bool CompressionChosen { get; init; }

    /// <summary>Compression level; null means the method's default (gzip 9, zstd 3, as dpkg-deb).</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>
    /// The modules built for each kernel, for the prebuilt module formats (bmdeb, kmod); empty unless one of them was
    /// asked for. Every other format ignores it.
    /// </summary>
    public IReadOnlyList<KernelModules> Kernels { get; init; } = [];

    /// <summary>
    /// The DER certificate the prebuilt modules are signed with, when a certificate package was asked for
    /// (--with-mok-cert): the prebuilt formats then also write a package that installs it for mokutil --import.
    /// </summary>
    public ReadOnlyMemory<byte>? SigningCertificate { get; init; }

    /// <summary>REMAKE_INITRD="yes" in dkms.conf: prebuilt module packages update the kernel's initramfs.</summary>
    public bool RemakeInitrd { get; init; }

    /// <summary>xz's extreme variant of the level (xz -e); only set with xz.</summary>
    public bool CompressionExtreme { get; init; }

    /// <summary>The install directory of the sources, without leading slash: <c>usr/src/NAME-VERSION</c>.</summary>
    public string SourceDirectory => $"usr/src/{ModuleName}-{ModuleVersion}";

    /// <summary>Every entry the package installs: <see cref="SourceEntries"/> and <see cref="ExtraEntries"/>, sorted by path (ordinal).</summary>
    public IReadOnlyList<PackageEntry> Entries => _entries ??= ExtraEntries.Count == 0
        ? SourceEntries
        : [.. SourceEntries.Concat(ExtraEntries).OrderBy(e => e.Path, StringComparer.Ordinal)];

    /// <summary>The configuration files (deb conffiles, RPM %config(noreplace)), sorted by path.</summary>
    public IEnumerable<PackageEntry> ConfigFiles => ExtraEntries.Where(e => e.IsConfig);

    /// <summary>Total bytes of regular files and symlink targets (what RPM's SIZE tag and df care about).</summary>
    public long ContentSize => Entries.Sum(e => e.Kind == EntryKind.Directory ? 0 : e.Size);

    private IReadOnlyList<PackageEntry>? _entries;
}
