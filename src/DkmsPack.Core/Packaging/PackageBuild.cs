using System.Text;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Prebuilt;
using DkmsPack.Rendering;
using DkmsPack.Signing;

namespace DkmsPack.Packaging;

/// <summary>One package written by a build.</summary>
/// <param name="SignedBy">The fingerprint of the key that signed it, or null.</param>
public sealed record BuiltPackage(string Path, string Format, string Name, string Version, long Size, string Sha256, string? SignedBy = null);

/// <summary>What a build produced (every file, the packages among them), and the warnings worth showing.</summary>
public sealed record BuildOutcome(IReadOnlyList<BuiltPackage> Packages, IReadOnlyList<WrittenFile> Files, DkmsConf Conf, PackageSpec Spec, IReadOnlyList<Diagnostic> Warnings, SigningSummary? Signing = null);

/// <summary>Which key signed a build, and which of its files carry a signature (SHA256SUMS by SHA256SUMS.asc).</summary>
public sealed record SigningSummary(string Fingerprint, string KeyId, IReadOnlyList<string> SignedFiles);

/// <summary>
/// The engine's front door, the same for every format: one reading of the tree; every format's identity stated and
/// validated before any byte is written; every output (packages, companions, SHA256SUMS) written into one
/// <see cref="OutputTransaction"/> and committed together at the end, or not at all.
/// </summary>
public static class PackageBuild
{
    public const string ChecksumsFileName = "SHA256SUMS";

    /// <summary>The armoured detached signature of SHA256SUMS, as gpgv and sqv check it.</summary>
    public const string ChecksumsSignatureFileName = ChecksumsFileName + ".asc";

    /// <summary>NAME_MAX of Linux file systems, in bytes.</summary>
    private const int MaxFileNameBytes = 255;

    public static BuildOutcome Run(BuildRequest request, IReadOnlyList<IPackageFormat> formats, DateTimeOffset now, IProgress<PackagingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(formats);
        SpecBuilder.Result built = SpecBuilder.Build(request, now);
        TemplateSet templates = TemplateSet.For(request.TemplatesDirectory);
        PackageSpec spec = built.Spec;
        IReadOnlyList<Diagnostic> warnings = built.Warnings;

        // Every other format states its identity first, so that its errors come before minutes of compiling.
        // Prebuilt module packages: every kernel's modules are built (or taken) before any byte is written, so a
        // failing build leaves nothing behind. Those formats read the spec with the modules (and, when the texts
        // were derived, the prebuilt summary and description); the others keep theirs.
        IPackageFormat[] distinct = [.. formats.DistinctBy(f => f.Name)];
        List<(IPackageFormat Format, PackageIdentity Identity)> identified = Identify(distinct.Where(f => !f.NeedsKernelModules), spec);
        IPackageFormat[] prebuilt = [.. distinct.Where(f => f.NeedsKernelModules)];
        using KernelModuleBuild? modules = prebuilt.Length > 0 ? KernelModuleBuild.Run(spec, built.Conf, request.Modules, (request.Summary is null, request.Description is null)) : null;
        PackageSpec SpecFor(IPackageFormat format) => format.NeedsKernelModules ? modules!.Spec : spec;
        if (modules is not null)
        {
            warnings = [.. warnings, .. modules.Warnings];
            identified.AddRange(Identify(prebuilt, modules.Spec));
            identified = [.. identified.OrderBy(f => Array.IndexOf(distinct, f.Format))];
        }

        List<PlannedOutput> outputs = [.. identified.SelectMany(f => f.Format.Outputs(SpecFor(f.Format), f.Identity, request))];
        CheckFileNames(outputs, request.WriteChecksums);

        // liblzma is loaded before the first byte is written too, so that a missing one is one error and no output.
        if (spec.Compression == CompressionMethod.Xz)
        {
            XzCompression.EnsureAvailable();
        }

        // The key is loaded (and its passphrase checked) before the first byte is written.
        using SigningKey? signer = LoadKey(request.Signing, spec.BuildTime);
        using OutputTransaction transaction = OutputTransaction.Begin(request.OutputDirectory);
        var context = new WriteContext(templates, transaction.ScratchDirectory, progress, signer, transaction.OpenWritten);
        var packages = new List<BuiltPackage>();
        foreach (PlannedOutput output in outputs)
        {
            WrittenFile file = transaction.Write(output.FileName, stream => output.Write(stream, context));
            if (output.Package is { } identity)
            {
                packages.Add(new BuiltPackage(file.Path, identity.Format, identity.Name, identity.Version, file.Size, file.Sha256, signer?.Fingerprint));
            }
        }

        if (request.WriteChecksums)
        {
            byte[] checksums = Encoding.UTF8.GetBytes(Checksums(packages));
            transaction.Write(ChecksumsFileName, stream => stream.Write(checksums));
            if (signer is not null)
            {
                using var signed = new MemoryStream(checksums, writable: false);
                string signature = signer.SignDetachedArmored(spec.BuildTime, signed);
                transaction.Write(ChecksumsSignatureFileName, stream => stream.Write(Encoding.ASCII.GetBytes(signature)));
            }
        }

        IReadOnlyList<WrittenFile> files = transaction.Commit();
        SigningSummary? signing = signer is null ? null : new SigningSummary(signer.Fingerprint, signer.KeyId, [.. packages.Select(p => Path.GetFileName(p.Path)), .. request.WriteChecksums ? [ChecksumsFileName] : Array.Empty<string>()]);
        return new BuildOutcome(packages, files, built.Conf, spec, warnings, signing);
    }

    /// <summary>Loads the signing key valid at <paramref name="signatureTime"/>, then clears what the caller read.</summary>
    private static SigningKey? LoadKey(SigningRequest? request, long signatureTime)
    {
        if (request is null)
        {
            return null;
        }

        try
        {
            return SigningKey.Load(request.Key, request.Passphrase, signatureTime, request.Origin);
        }
        finally
        {
            Array.Clear(request.Key);
            Array.Clear(request.Passphrase);
        }
    }

    /// <summary>
    /// Every format's identity, or every format's errors at once: a name that one format cannot carry fails the
    /// build before the other format has written anything.
    /// </summary>
    private static List<(IPackageFormat Format, PackageIdentity Identity)> Identify(IEnumerable<IPackageFormat> formats, PackageSpec spec)
    {
        var identified = new List<(IPackageFormat, PackageIdentity)>();
        var errors = new List<Diagnostic>();
        int exitCode = ExitCode.Success;
        foreach (IPackageFormat format in formats)
        {
            try
            {
                identified.Add((format, format.Identify(spec)));
            }
            catch (DkmsPackException ex)
            {
                errors.AddRange(ex.Diagnostics.Where(d => !errors.Contains(d)));
                exitCode = exitCode == ExitCode.Success ? ex.ExitCode : exitCode;
            }
        }

        return errors.Count == 0 ? identified : throw new DkmsPackException(errors, exitCode);
    }

    private static void CheckFileNames(IReadOnlyList<PlannedOutput> outputs, bool withChecksums)
    {
        IEnumerable<string> names = outputs.Select(o => o.FileName);
        if (withChecksums)
        {
            names = names.Append(ChecksumsFileName);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (Encoding.UTF8.GetByteCount(name) > MaxFileNameBytes)
            {
                throw DkmsPackException.Input(null, $"the file name \"{name}\" is longer than the {MaxFileNameBytes} bytes a file system allows", "shorten PACKAGE_NAME or PACKAGE_VERSION in dkms.conf");
            }

            if (!seen.Add(name))
            {
                throw DkmsPackException.Options($"two outputs are both called \"{name}\"", $"ask {OptionRef.To("formats")} for each format once");
            }
        }
    }

    /// <summary>SHA256SUMS in the format <c>sha256sum -c</c> reads, from the hashes taken while the packages were written.</summary>
    private static string Checksums(IReadOnlyList<BuiltPackage> packages)
    {
        var text = new StringBuilder();
        foreach (BuiltPackage package in packages.OrderBy(p => Path.GetFileName(p.Path), StringComparer.Ordinal))
        {
            text.Append(package.Sha256).Append("  ").Append(Path.GetFileName(package.Path)).Append('\n');
        }

        return text.ToString();
    }
}
