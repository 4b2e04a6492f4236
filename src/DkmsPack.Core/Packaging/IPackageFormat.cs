using DkmsPack.Model;
using DkmsPack.Rendering;

namespace DkmsPack.Packaging;

/// <summary>
/// One output format. A format supplies its identity (names validated by its rules), the outputs it writes and,
/// through them, its archive writer and templates; <see cref="PackageBuild"/> does the rest (one reading of the
/// tree, the output transaction, checksums). Each format lives in a folder of its own.
/// </summary>
public interface IPackageFormat
{
    /// <summary>The format's short name, as given to the formats option: "deb", "rpm".</summary>
    string Name { get; }

    /// <summary>
    /// The package's name, version and file name by this format's rules, and every check of whether the
    /// format can carry the spec at all (sizes, times, counts). Throws a <see cref="Diagnostics.DkmsPackException"/>;
    /// never writes anything.
    /// </summary>
    PackageIdentity Identify(PackageSpec spec);

    /// <summary>
    /// True for the prebuilt module formats: the build makes the modules for every kernel asked for first
    /// (<see cref="Prebuilt.KernelModuleBuild"/>), and <see cref="PackageSpec.Kernels"/> holds them.
    /// </summary>
    bool NeedsKernelModules => false;

    /// <summary>The files this format writes for the spec: the package first, then companions (an RPM spec, say).</summary>
    IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request);
}

/// <summary>
/// What an output writer gets besides its stream: the templates, a scratch directory, progress, and the key to sign
/// with (null: unsigned). Signatures are dated with the spec's build time (SOURCE_DATE_EPOCH when set), so a signed
/// package is as reproducible as an unsigned one. <paramref name="OpenWritten"/> opens an output written earlier in
/// the same run (outputs are written in their planned order), for a companion such as a detached signature.
/// </summary>
public sealed record WriteContext(TemplateSet Templates, string ScratchDirectory, IProgress<PackagingProgress>? Progress, Signing.SigningKey? Signer = null, Func<string, Stream>? OpenWritten = null);

/// <summary>
/// One file a format will write: its name, the package it is (null for a companion file such as a spec; packages are
/// listed in SHA256SUMS and the manifest), and how to write it.
/// </summary>
public sealed record PlannedOutput(string FileName, PackageIdentity? Package, Action<Stream, WriteContext> Write);
