using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Arch;

/// <summary>
/// An Arch Linux package (docs/arch-format.md): a tar, zstd-compressed unless another compression was asked for,
/// whose first entries are .BUILDINFO, .MTREE and .PKGINFO and then every installed path in C order, as makepkg's
/// <c>list_package_files</c> gives them to bsdtar. No install scriptlet: Arch's dkms package runs DKMS from its own
/// pacman hook whenever a <c>usr/src/*/dkms.conf</c> is installed or removed.
/// </summary>
public sealed class ArchPackageFormat : IPackageFormat
{
    public const string FormatName = "arch";
    private const string Architecture = "any";
    private const string PkgInfoTemplate = "arch/pkginfo.sbn";
    private const string BuildInfoTemplate = "arch/buildinfo.sbn";

    public string Name => FormatName;

    /// <summary>
    /// zstd (makepkg's default PKGEXT) unless a compression was chosen on the command line or in the project file:
    /// then that one (gzip gives .pkg.tar.gz, none .pkg.tar; pacman reads all three).
    /// </summary>
    public static CompressionMethod CompressionOf(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.CompressionChosen ? spec.Compression : CompressionMethod.Zstd;
    }

    public PackageIdentity Identify(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string name = ArchNames.PackageName(spec.ModuleName);
        string version = $"{ArchNames.Version(spec)}-{ArchNames.Release(spec)}";
        return new PackageIdentity(Name, name, version, Architecture, $"{name}-{version}-{Architecture}.pkg.tar{Compressor.FileSuffix(CompressionOf(spec))}");
    }

    /// <summary>The detached signature's suffix: pacman looks for <c>PACKAGE.sig</c> beside the package (libalpm's <c>_alpm_sigpath</c>).</summary>
    public const string SignatureSuffix = ".sig";

    /// <summary>The package, then (when signing) its detached signature <c>PACKAGE.sig</c>, as <c>makepkg --sign</c> writes it.</summary>
    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        var package = new PlannedOutput(identity.FileName, identity, (output, context) => Write(spec, identity, output, context));
        return request.Signing is null
            ? [package]
            : [package, new PlannedOutput(identity.FileName + SignatureSuffix, null, (output, context) => WriteSignature(spec, identity, output, context))];
    }

    /// <summary>
    /// The package's detached signature: one binary (not armoured) v4 signature packet of type 0x00 over the whole
    /// package file, SHA-256, dated with the build time. pacman hands the file to GPGME, but first reads the issuer
    /// key ID out of the packet itself (libalpm's <c>alpm_extract_keyid</c>: binary packets, version 4, binary-document
    /// type; pacman 6.0.2 says "signature format error" for an armoured one), and <c>repo-add</c> refuses armoured
    /// signatures outright. The package is read back from the scratch directory, where it was just written: its
    /// bytes are final only once the compressor is closed.
    /// </summary>
    private static void WriteSignature(PackageSpec spec, PackageIdentity identity, Stream output, WriteContext context)
    {
        Signing.SigningKey signer = context.Signer ?? throw new InvalidOperationException("an Arch signature is planned without a signing key");
        Func<string, Stream> open = context.OpenWritten ?? throw new InvalidOperationException("an Arch signature needs the package written before it");
        using Stream package = open(identity.FileName);
        output.Write(signer.SignDetached(spec.BuildTime, package));
    }

    private void Write(PackageSpec spec, PackageIdentity identity, Stream output, WriteContext context)
    {
        List<PackageEntry> entries = WithParentDirectories(spec.Entries, spec.BuildTime);
        ScriptObject model = TemplateModel.Create(spec, identity);
        ScriptObject package = TemplateModel.Package(model);
        package["installed_size"] = entries.Where(e => e.Kind != EntryKind.Directory).Sum(e => e.Size);
        package["fields"] = PkgInfoFields(spec);
        byte[] buildInfo = Encoding.UTF8.GetBytes(TemplateRenderer.Render(context.Templates, BuildInfoTemplate, model));
        byte[] pkgInfo = Encoding.UTF8.GetBytes(TemplateRenderer.Render(context.Templates, PkgInfoTemplate, model));

        // The .MTREE comes before the files it describes, so the files go to a scratch tar first, hashed on the way.
        var mtree = new ArchMtree();
        AddMetadataFile(mtree, ".BUILDINFO", buildInfo, spec.BuildTime);
        AddMetadataFile(mtree, ".PKGINFO", pkgInfo, spec.BuildTime);
        using var body = new ScratchFile(context.ScratchDirectory, ".pkg.tar");
        using (var archive = new ArchEntryArchive(body.Stream, mtree))
        {
            EntryArchiving.WriteAll(archive, entries, HashAlgorithmName.SHA256, new ProgressCounter(Name, entries, context.Progress));
        }

        CompressionMethod method = CompressionOf(spec);
        using Stream compressed = Compressor.Create(method, spec.CompressionChosen ? spec.CompressionLevel : null, new NonClosingStream(output), spec.CompressionChosen && spec.CompressionExtreme);
        using (var tar = new TarStreamWriter(compressed))
        {
            tar.WriteFile(".BUILDINFO", UnixPermissions.Regular, spec.BuildTime, buildInfo);
            tar.WriteFile(".MTREE", UnixPermissions.Regular, spec.BuildTime, Compressor.GzipBytes(mtree.ToBytes()));
            tar.WriteFile(".PKGINFO", UnixPermissions.Regular, spec.BuildTime, pkgInfo);

            // The scratch tar's entries, without its end-of-archive marker: the writer adds the one marker.
            long entriesLength = body.Stream.Length - TarStreamWriter.EndLength;
            using var entriesOnly = new ReadOnlySubStream(body.Rewind(), 0, entriesLength);
            Archives.StreamCopy.CopyExactly(entriesOnly, compressed, entriesLength, body.Path);
        }
    }

    // ALPM-MTREE(5) wants md5digest beside sha256digest (pacman -Qkk compares both); it is no security measure here.
#pragma warning disable CA5351
    private static void AddMetadataFile(ArchMtree mtree, string name, byte[] content, long time) =>
        mtree.AddFile(name, UnixPermissions.Regular, time, content.Length, Convert.ToHexStringLower(MD5.HashData(content)), Convert.ToHexStringLower(SHA256.HashData(content)));
#pragma warning restore CA5351

    /// <summary>
    /// .PKGINFO's relationship and backup lines in makepkg's order (write_pkginfo): license, replaces, conflict,
    /// provides, backup, depend, optdepend. Debian's Breaks is a conflict to pacman, Recommends and Suggests are optional
    /// dependencies; version constraints are written name&gt;=version.
    /// </summary>
    internal static ScriptArray PkgInfoFields(PackageSpec spec)
    {
        var fields = new ScriptArray();
        void Add(string key, IEnumerable<string> values)
        {
            foreach (string value in values)
            {
                fields.Add(new ScriptObject { ["key"] = key, ["value"] = value });
            }
        }

        IEnumerable<string> Of(params RelationshipKind[] kinds) =>
            spec.Relationships.For(FormatName).Where(r => kinds.Contains(r.Kind)).Select(r => Constraint(r.Alternatives[0]));

        Add("license", [spec.License]);
        Add("replaces", Of(RelationshipKind.Replaces));
        Add("conflict", Of(RelationshipKind.Conflicts, RelationshipKind.Breaks));
        Add("provides", Of(RelationshipKind.Provides));
        Add("backup", spec.ConfigFiles.Select(e => e.Path));
        Add("depend", Of(RelationshipKind.Depends));
        Add("optdepend", Of(RelationshipKind.Recommends, RelationshipKind.Suggests));
        return fields;
    }

    // pacman's version operators: < <= = >= > (alpm_dep_from_string); Debian's << and >> are < and >.
    private static string Constraint(PackageConstraint constraint) => constraint.Relation switch
    {
        null => constraint.Name,
        VersionRelation.Earlier => $"{constraint.Name}<{constraint.Version}",
        VersionRelation.Later => $"{constraint.Name}>{constraint.Version}",
        { } relation => $"{constraint.Name}{PackageConstraint.Spell(relation)}{constraint.Version}",
    };

    /// <summary>The entries with every directory above them (usr, usr/src …), in C order as makepkg lists them.</summary>
    internal static List<PackageEntry> WithParentDirectories(IReadOnlyList<PackageEntry> entries, long time)
    {
        var all = new List<PackageEntry>(entries);
        HashSet<string> present = [.. entries.Select(e => e.Path)];
        foreach (PackageEntry entry in entries)
        {
            for (int slash = entry.Path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = entry.Path.IndexOf('/', slash + 1))
            {
                string parent = entry.Path[..slash];
                if (present.Add(parent))
                {
                    all.Add(PackageEntry.Directory(parent, time));
                }
            }
        }

        all.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return all;
    }
}

/// <summary>The package's file entries as makepkg names them (PATH, directories PATH/), each added to the .MTREE.</summary>
internal sealed class ArchEntryArchive(Stream output, ArchMtree mtree) : IEntryArchive
{
    private readonly TarStreamWriter _tar = new(output);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void WriteDirectory(PackageEntry entry, int index)
    {
        _tar.WriteDirectory(entry.Path + "/", entry.Permissions, entry.ModifiedTime);
        mtree.AddDirectory(entry.Path, entry.Permissions, entry.ModifiedTime);
    }

    public void WriteSymlink(PackageEntry entry, int index)
    {
        _tar.WriteSymlink(entry.Path, entry.LinkTarget!, entry.ModifiedTime);
        mtree.AddSymlink(entry.Path, entry.ModifiedTime, entry.LinkTarget!);
    }

    // The shared loop hashes for its own use; the .MTREE needs MD5 and SHA-256 of the same bytes, taken here.
    public void WriteFile(PackageEntry entry, int index, Stream content)
    {
        using var md5 = new HashingReadStream(content, _md5);
        using var sha256 = new HashingReadStream(md5, _sha256);
        _tar.WriteFile(entry.Path, entry.Permissions, entry.ModifiedTime, entry.Size, sha256);
        mtree.AddFile(entry.Path, entry.Permissions, entry.ModifiedTime, entry.Size, md5.HexDigest(), sha256.HexDigest());
    }

    public void Dispose()
    {
        _tar.Dispose();
        _md5.Dispose();
        _sha256.Dispose();
    }
}
