using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives;
using DkmsPack.Archives.Cpio;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Rpm;

/// <summary>
/// A binary RPM v4 package (rpm docs/manual/format_v4.md; docs/rpm-format.md, "File layout"): lead, signature header, main header,
/// compressed cpio. The payload is finished and measured first in a scratch file, because the headers before it hold
/// its digests and sizes; then <see cref="RpmPackageAssembler"/> writes the whole file. With the spec option the
/// format also writes the rendered spec that builds the same package with rpmbuild.
/// This class holds the DKMS policy (which scriptlets, what they require); the header mechanics live in Archives/Rpm.
/// </summary>
public sealed class RpmPackageFormat : IPackageFormat
{
    public const string PostTemplate = "rpm/post.sbn";
    public const string PreunTemplate = "rpm/preun.sbn";
    public const string PostunTemplate = "rpm/postun.sbn";
    public const string PosttransTemplate = "rpm/posttrans.sbn";
    public const string SpecTemplate = "rpm/spec.sbn";

    /// <summary>rpmbuild's Group for kernel packages; rpmlint wants a non-empty one.</summary>
    public const string Group = "System Environment/Kernel";

    /// <summary>A fixed build host: the real one would make the bytes depend on the machine.</summary>
    public const string BuildHost = "localhost";

    private const string Architecture = "noarch";
    private const string DocDirectory = "usr/share/doc/";

    /// <summary>rpmbuild 4.18 records 0 as the size of a directory.</summary>
    private const long DirectorySize = 0;

    /// <summary>PGPHASHALGO_SHA256 (rpmpgp.h), for file and payload digests.</summary>
    private const uint DigestAlgorithmSha256 = 8;

    /// <summary>The scriptlets a package may carry, each rendered from its template when the template set has one.</summary>
    private static readonly (RpmScriptletKind Kind, string Template)[] s_scriptletTemplates =
    [
        (RpmScriptletKind.Post, PostTemplate),
        (RpmScriptletKind.PreUn, PreunTemplate),
        (RpmScriptletKind.PostUn, PostunTemplate),
        (RpmScriptletKind.PostTrans, PosttransTemplate),
    ];

    public string Name => "rpm";

    public PackageIdentity Identify(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string name = RpmNames.PackageName(spec.ModuleName);
        string version = $"{RpmNames.Version(spec)}-{RpmNames.Release(spec)}";

        // SIZE and the file tables are INT32 and cpio newc fields 8 hex digits: check now, not after minutes of work.
        if (spec.ContentSize > uint.MaxValue)
        {
            throw new ArchiveLimitException($"the module tree holds {spec.ContentSize} bytes: an RPM without LONGSIZE holds less than 4 GiB (docs/rpm-format.md, \"Limits\")");
        }

        if (spec.Entries.FirstOrDefault(e => e.Size > CpioNewcWriter.MaxFileSize) is { } large)
        {
            throw new ArchiveLimitException($"/{large.Path} is {large.Size} bytes: an RPM's cpio payload holds files below 4 GiB (docs/rpm-format.md, \"Limits\")");
        }

        return new PackageIdentity(Name, name, version, Architecture, $"{name}-{version}.{Architecture}.rpm");
    }

    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        var outputs = new List<PlannedOutput> { new(identity.FileName, identity, (output, context) => Write(spec, identity, output, context)) };
        if (request.IncludeRpmSpec)
        {
            outputs.Add(new PlannedOutput(identity.Name + ".spec", Package: null, (output, context) =>
                output.Write(Encoding.UTF8.GetBytes(RenderSpec(spec, identity, context.Templates)))));
        }

        return outputs;
    }

    /// <summary>The template model, with what the RPM templates add under <c>package</c>.</summary>
    public static ScriptObject Model(PackageSpec spec, PackageIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ScriptObject model = TemplateModel.Create(spec, identity);
        TemplateModel.Package(model)["rpm_version"] = RpmNames.Version(spec);
        return model;
    }

    /// <summary>
    /// Renders the spec that builds the same package with rpmbuild. Only the spec gets <c>package.entries</c>, an object
    /// per file: the scriptlets do not need it, and a big tree would pay for it.
    /// </summary>
    /// <param name="spec">The package.</param>
    /// <param name="identity">The binary package's identity.</param>
    /// <param name="templates">The template set.</param>
    /// <param name="sourceTarball">For a source RPM: the Source0 file name, whose top directory <paramref name="sourceTree"/>
    /// %setup unpacks and %install copies every file from (null: the spec reads the tree at %{dkms_source}).</param>
    /// <param name="sourceTree">The tarball's top directory.</param>
    public static string RenderSpec(PackageSpec spec, PackageIdentity identity, TemplateSet templates, string? sourceTarball = null, string? sourceTree = null)
    {
        ScriptObject model = Model(spec, identity);
        ScriptObject package = TemplateModel.Package(model);
        package["entries"] = SpecEntries(spec, fromTarball: sourceTarball is not null);
        package["source_tarball"] = sourceTarball ?? string.Empty;
        package["source_tree"] = sourceTree ?? string.Empty;
        RpmScriptletKind[] carried = [.. s_scriptletTemplates.Where(s => Carries(spec, templates, s.Kind, s.Template)).Select(s => s.Kind)];
        package["has_postun"] = carried.Contains(RpmScriptletKind.PostUn);
        package["relationship_lines"] = SpecRelationshipLines(spec, identity, carried);

        // rpmbuild expands macros in scriptlet bodies too, and reads a line that expands to %files (even from %%files) as
        // a new section: the user's fragments reach the spec with '%' doubled and a space before a line starting with
        // '%' (a line no shell script starts with), as the description does.
        var hooks = (ScriptObject)model["hooks"]!;
        foreach (string point in (string[])["post_install", "pre_remove", "post_remove"])
        {
            hooks[point] = TemplateFunctions.RpmText((string)hooks[point]!);
        }

        return TemplateRenderer.Render(templates, SpecTemplate, model);
    }

    private static void Write(PackageSpec spec, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = Model(spec, identity);
        // rpmbuild stores a scriptlet without its final newline; so do we, so that both packages agree.
        RpmScriptlet[] scriptlets =
        [
            .. s_scriptletTemplates
                .Where(s => Carries(spec, context.Templates, s.Kind, s.Template))
                .Select(s => new RpmScriptlet(s.Kind, TemplateRenderer.Render(context.Templates, s.Template, model).TrimEnd('\n'))),
        ];

        RpmRelationships.Lists relationships = RpmRelationships.For(spec, scriptlets.Select(s => RpmScriptlets.Context(s.Kind)));
        WriteBinary(output, spec, identity, spec.Entries, scriptlets, relationships, context);
    }

    /// <summary>
    /// Writes a binary RPM of <paramref name="entries"/> (sorted by path) with the scriptlets and relationships given,
    /// the package's own Provides and rpm's own Requires added: what every binary RPM format of dkmspack shares.
    /// </summary>
    internal static void WriteBinary(Stream output, PackageSpec spec, PackageIdentity identity, IReadOnlyList<PackageEntry> entries, IReadOnlyList<RpmScriptlet> scriptlets, RpmRelationships.Lists relationships, WriteContext context)
    {
        using var payload = new ScratchFile(context.ScratchDirectory, ".payload.cpio");
        PayloadSummary summary = WritePayload(spec, entries, payload.Stream, new ProgressCounter(identity.Format, entries, context.Progress));
        byte[] header = MainHeader(spec, identity, entries, scriptlets, relationships, summary);

        RpmHeaderSignature? signature = context.Signer is { } signer ? HeaderSignature(signer, spec.BuildTime, header) : null;
        payload.Rewind();
        RpmPackageAssembler.Write(output, $"{identity.Name}-{identity.Version}", header, payload.Stream, summary.UncompressedSize, signature);
    }

    /// <summary>
    /// Which scriptlets the package carries: every one the template set has, but %postun only when there is something
    /// to do after removal (udev rules, a project hook) or the user's templates add one.
    /// </summary>
    private static bool Carries(PackageSpec spec, TemplateSet templates, RpmScriptletKind kind, string template) =>
        kind == RpmScriptletKind.PostUn
            ? templates.IsOverridden(template) || spec.Hooks.Any(RpmRelationships.Format, HookPoint.PostRemove)
            : templates.Contains(template);

    /// <summary>
    /// A v4 header-only signature, as rpmsign --addsign writes since rpm 4.16 (the payload is covered by PAYLOADDIGEST
    /// inside the signed header): RSA in RSAHEADER, EdDSA in DSAHEADER (sign/rpmgensig.c).
    /// </summary>
    internal static RpmHeaderSignature HeaderSignature(Signing.SigningKey signer, long time, byte[] header)
    {
        RpmTag tag = signer.Algorithm == Signing.SigningKeyAlgorithm.Rsa ? RpmSignatureTag.Rsa : RpmSignatureTag.Dsa;
        return new RpmHeaderSignature(tag, signer.SignDetached(time, header));
    }

    private static PayloadSummary WritePayload(PackageSpec spec, IReadOnlyList<PackageEntry> entries, Stream destination, ProgressCounter progress)
    {
        var compressed = new HashingWriteStream(destination, leaveOpen: true);
        Stream compressor = Compressor.Create(spec.Compression, spec.CompressionLevel, compressed, spec.CompressionExtreme, XzCheck.Sha256);
        var raw = new HashingWriteStream(new BufferedStream(compressor, 1 << 16), leaveOpen: false);
        FileDigests digests;
        using (var cpio = new RpmPayloadArchive(raw))
        {
            digests = EntryArchiving.WriteAll(cpio, entries, HashAlgorithmName.SHA256, progress);
        }

        // Dispose order matters: the cpio trailer, then the buffer and compressor (which write the
        // compressed tail), then the outer hash, which must have seen every compressed byte.
        raw.Dispose();
        compressor.Dispose();
        compressed.Dispose();
        return new PayloadSummary(digests, raw.BytesWritten, raw.GetSha256Hex(), compressed.GetSha256Hex());
    }

    private static byte[] MainHeader(PackageSpec spec, PackageIdentity identity, IReadOnlyList<PackageEntry> entries, IReadOnlyList<RpmScriptlet> scriptlets, RpmRelationships.Lists relationships, PayloadSummary payload)
    {
        string version = RpmNames.Version(spec);
        string release = RpmNames.Release(spec);
        long size = entries.Sum(e => e.Kind == EntryKind.Directory ? 0 : e.Size);
        RpmHeaderBuilder header = CommonHeader(spec, identity.Name, identity.Architecture, size, payload.CompressedSha256, payload.UncompressedSha256);
        RpmScriptlets.AddTo(header, scriptlets);
        header.AddString(RpmTag.SourceRpm, $"{identity.Name}-{version}-{release}.src.rpm");
        Files(entries, payload.FileDigests).AddTo(header);
        RpmDependencies.AddProvides(header, RpmRelationships.Sorted(relationships.Provides.Prepend(new RpmDependency(identity.Name, RpmSense.Equal, $"{version}-{release}"))));
        RpmDependencies.AddRequires(header, Requires(spec, scriptlets, relationships));
        RpmDependencies.AddConflicts(header, relationships.Conflicts);
        RpmDependencies.AddObsoletes(header, relationships.Obsoletes);
        RpmDependencies.AddRecommends(header, relationships.Recommends);
        RpmDependencies.AddSuggests(header, relationships.Suggests);
        RpmChangelog.AddTo(header, Changelog(spec, $"{version}-{release}"));
        return header.Build(RpmTag.HeaderImmutable);
    }

    /// <summary>The project's changelog (rpmbuild keeps a %changelog day at 12:00 UTC), or one entry for this build.</summary>
    internal static List<RpmChangelogEntry> Changelog(PackageSpec spec, string versionRelease) =>
        spec.Changelog.Count == 0
            ?
            [
                new RpmChangelogEntry(
                    RpmChangelog.DayAtNoon(spec.BuildTime),
                    $"{spec.Maintainer} - {versionRelease}",
                    $"- Packaged {spec.ModuleName} {spec.ModuleVersion} for DKMS with dkmspack {TemplateModel.ToolVersion}."),
            ]
            : [.. spec.Changelog.Select(e => new RpmChangelogEntry(
                RpmChangelog.DayAtNoon(e.Time),
                $"{e.Author} - {TemplateModel.RpmChangelogVersion(e.Version)}",
                string.Join("\n", e.Changes.Select(c => "- " + c.Replace("\n", "\n  ", StringComparison.Ordinal)))))];

    /// <summary>%config(noreplace) for configuration files, %doc for files under /usr/share/doc.</summary>
    private static uint FileFlags(PackageEntry entry) =>
        entry.IsConfig ? RpmFileFlags.Config | RpmFileFlags.NoReplace
        : entry.Kind == EntryKind.File && entry.TreePath is not null && entry.Path.StartsWith(DocDirectory, StringComparison.Ordinal) ? RpmFileFlags.Doc
        : RpmFileFlags.None;

    /// <summary>
    /// The tags every RPM header dkmspack writes carries, binary or source (the header builder sorts them by tag):
    /// the package's name, version, texts and build, the payload's format, digests and compression, and the URL.
    /// </summary>
    internal static RpmHeaderBuilder CommonHeader(PackageSpec spec, string name, string architecture, long size, string compressedSha256, string uncompressedSha256)
    {
        var header = new RpmHeaderBuilder()
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddString(RpmTag.Name, name)
            .AddString(RpmTag.Version, RpmNames.Version(spec))
            .AddString(RpmTag.Release, RpmNames.Release(spec))
            .AddI18nString(RpmTag.Summary, spec.Summary)
            .AddI18nString(RpmTag.Description, TemplateFunctions.Wrap(spec.Description, 79))
            .AddInt32(RpmTag.BuildTime, checked((uint)spec.BuildTime))
            .AddString(RpmTag.BuildHost, BuildHost)
            .AddInt32(RpmTag.Size, checked((uint)size))
            .AddString(RpmTag.License, spec.License)
            .AddString(RpmTag.Packager, spec.Maintainer)
            .AddI18nString(RpmTag.Group, Group)
            .AddString(RpmTag.Os, "linux")
            .AddString(RpmTag.Arch, architecture)
            .AddString(RpmTag.PayloadFormat, "cpio")
            .AddInt32(RpmTag.FileDigestAlgo, DigestAlgorithmSha256)
            .AddString(RpmTag.Encoding, "utf-8")
            .AddStringArray(RpmTag.PayloadDigest, [compressedSha256])
            .AddInt32(RpmTag.PayloadDigestAlgo, DigestAlgorithmSha256)
            .AddStringArray(RpmTag.PayloadDigestAlt, [uncompressedSha256]);
        if (spec.Homepage is { } url)
        {
            header.AddString(RpmTag.Url, url);
        }

        AddPayloadCompression(header, spec);
        return header;
    }

    /// <summary>
    /// PAYLOADCOMPRESSOR and PAYLOADFLAGS as rpmbuild writes them for w9.gzdio, w3.zstdio, w6.xzdio and w.ufdio.
    /// rpm's xzdio has no extreme mode (its mode string takes a level digit and T for threads), so an xz -e payload
    /// records the level alone: the flags are informational, rpm reads any xz stream.
    /// </summary>
    private static void AddPayloadCompression(RpmHeaderBuilder header, PackageSpec spec)
    {
        int level = spec.CompressionLevel ?? Compressor.DefaultLevel(spec.Compression);
        string flags = level.ToString(CultureInfo.InvariantCulture);
        switch (spec.Compression)
        {
            case CompressionMethod.Gzip:
                header.AddString(RpmTag.PayloadCompressor, "gzip").AddString(RpmTag.PayloadFlags, flags);
                break;
            case CompressionMethod.Zstd:
                header.AddString(RpmTag.PayloadCompressor, "zstd").AddString(RpmTag.PayloadFlags, flags);
                break;
            case CompressionMethod.Xz:
                header.AddString(RpmTag.PayloadCompressor, "xz").AddString(RpmTag.PayloadFlags, flags);
                break;
            default:
                // As rpmbuild does for w.ufdio: no compressor tag. rpm then reads the payload with its gzip
                // reader, which passes data that is not gzip through unchanged (zlib's gzread).
                break;
        }
    }

    /// <summary>The file table, in entry order (which is the cpio order, sorted by path).</summary>
    private static RpmFileTable Files(IReadOnlyList<PackageEntry> entries, FileDigests digests)
    {
        // The absolute path and the hex digest are made in buffers reused for every file: a tree of many files would
        // otherwise leave two strings per file behind.
        var table = new RpmFileTable(entries.Count, digests.HexLength);
        var path = new PathBuffer();
        Span<char> hex = stackalloc char[digests.HexLength];
        for (int i = 0; i < entries.Count; i++)
        {
            PackageEntry entry = entries[i];
            ReadOnlySpan<char> digest = digests.TryWriteHex(i, hex) ? hex : [];
            table.Add(path.Of("/", entry.Path), FileMode(entry), entry.Kind == EntryKind.Directory ? DirectorySize : entry.Size, entry.ModifiedTime, digest, entry.LinkTarget, FileFlags(entry));
        }

        return table;
    }

    /// <summary>Full st_mode, type bits included (FILEMODES is INT16: rpmtag.h).</summary>
    private static ushort FileMode(PackageEntry entry) => (ushort)(entry.Permissions | entry.Kind switch
    {
        EntryKind.Directory => CpioNewcLayout.TypeDirectory,
        EntryKind.Symlink => CpioNewcLayout.TypeSymlink,
        _ => CpioNewcLayout.TypeRegular,
    });

    /// <summary>
    /// The interpreter of each scriptlet, dkms (for the package and for each scriptlet, which runs it), and the rpmlib()
    /// features used, sorted by name and then flags as rpmbuild stores them (its dependency sets are kept sorted).
    /// </summary>
    private static List<RpmDependency> Requires(PackageSpec spec, IReadOnlyList<RpmScriptlet> scriptlets, RpmRelationships.Lists relationships) =>
    [
        .. RpmScriptlets.InterpreterRequires(scriptlets)
            .Concat(relationships.Requires)
            .Concat(relationships.ScriptRequires)
            .Concat(RpmLibRequirements(spec, relationships).Select(r => new RpmDependency(r.Name, RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, r.Version)))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ThenBy(d => d.Flags),
    ];

    /// <summary>The rpmlib() features this package uses, as rpmbuild declares them (docs/rpm-format.md, "Dependencies").</summary>
    private static IEnumerable<(string Name, string Version)> RpmLibRequirements(PackageSpec spec, RpmRelationships.Lists relationships)
    {
        yield return ("rpmlib(CompressedFileNames)", "3.0.4-1");
        yield return ("rpmlib(FileDigests)", "4.6.0-1");
        yield return ("rpmlib(PayloadFilesHavePrefix)", "4.0-1");
        if (spec.Compression == CompressionMethod.Zstd)
        {
            yield return ("rpmlib(PayloadIsZstd)", "5.4.18-1");
        }

        if (spec.Compression == CompressionMethod.Xz)
        {
            yield return ("rpmlib(PayloadIsXz)", "5.2-1");
        }

        // rpmbuild declares these when a dependency's version (the package's own Provides included) holds the
        // character: rpm before 4.10 / 4.15 would compare such versions wrongly (build/pack.cc, haveCharInDep).
        string version = string.Join(" ", relationships.Versions.Prepend(RpmNames.Version(spec) + "-" + RpmNames.Release(spec)));
        if (relationships.UsesRichDependencies)
        {
            yield return ("rpmlib(RichDependencies)", "4.12.0-1");
        }

        if (version.Contains('~', StringComparison.Ordinal))
        {
            yield return ("rpmlib(TildeInVersions)", "4.10.0-1");
        }

        if (version.Contains('^', StringComparison.Ordinal))
        {
            yield return ("rpmlib(CaretInVersions)", "4.15.0-1");
        }
    }

    /// <summary>
    /// The spec's Requires, Requires(SCRIPTLET), Provides, Conflicts, Obsoletes, Recommends and Suggests lines, each
    /// a string "Tag:   value" as rpmbuild reads them, the same dependencies as the binary package's header.
    /// </summary>
    private static ScriptArray SpecRelationshipLines(PackageSpec spec, PackageIdentity identity, RpmScriptletKind[] carried)
    {
        RpmRelationships.Lists lists = RpmRelationships.For(spec, []);
        var lines = new ScriptArray();
        void Add(string tag, IEnumerable<RpmDependency> dependencies)
        {
            foreach (RpmDependency dependency in dependencies)
            {
                lines.Add((tag + ":").PadRight(15) + " " + TemplateFunctions.RpmEscape(Spelled(dependency)));
            }
        }

        Add("Requires", lists.Requires);
        RpmDependency[] scriptNeeds = [.. spec.Relationships.For(RpmRelationships.Format, RelationshipKind.Depends).Where(r => r.NeededByScripts).Select(RpmRelationships.Dependency)];
        foreach (RpmScriptletKind kind in carried)
        {
            Add($"Requires({kind.ToString().ToLowerInvariant()})", scriptNeeds);
        }

        lines.Add($"Provides:       {identity.Name} = {RpmNames.Version(spec)}-{RpmNames.Release(spec)}");
        Add("Provides", lists.Provides);
        Add("Conflicts", lists.Conflicts);
        Add("Obsoletes", lists.Obsoletes);
        Add("Recommends", lists.Recommends);
        Add("Suggests", lists.Suggests);
        return lines;
    }

    /// <summary>A dependency as a spec writes it: <c>name</c>, <c>name &gt;= version</c>, or a rich dependency as it is.</summary>
    private static string Spelled(RpmDependency dependency)
    {
        uint comparison = dependency.Flags & (RpmSense.Less | RpmSense.Greater | RpmSense.Equal);
        string op = comparison switch
        {
            RpmSense.Less => "<",
            RpmSense.Less | RpmSense.Equal => "<=",
            RpmSense.Equal => "=",
            RpmSense.Greater | RpmSense.Equal => ">=",
            RpmSense.Greater => ">",
            _ => string.Empty,
        };
        return op.Length == 0 ? dependency.Name : $"{dependency.Name} {op} {dependency.Version}";
    }

    /// <summary>
    /// The entries as the spec template sees them: how %install recreates each one. Every value that reaches the spec
    /// is made inert there: rpm expands macros everywhere in a spec (a here-document too), so file contents travel
    /// base64-encoded (no '%', no line that could start a spec section) and paths go through rpm_escape and sh_quote.
    /// </summary>
    /// <remarks>From a source RPM's tarball every file is copied as it is, generated ones included: the tarball holds them as packaged.</remarks>
    private static ScriptArray SpecEntries(PackageSpec spec, bool fromTarball)
    {
        var array = new ScriptArray();
        foreach (PackageEntry entry in spec.Entries)
        {
            bool extra = !entry.Path.StartsWith(spec.SourceDirectory, StringComparison.Ordinal);
            string relative = entry.TreePath ?? (!extra && entry.Path.Length > spec.SourceDirectory.Length ? entry.Path[(spec.SourceDirectory.Length + 1)..] : string.Empty);
            array.Add(new ScriptObject
            {
                ["path"] = entry.Path,
                ["relative"] = relative,
                ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
                ["mode"] = Convert.ToString(entry.Permissions, 8).PadLeft(4, '0'),
                ["target"] = entry.LinkTarget ?? string.Empty,
                ["generated"] = entry.Content is MemoryContent && !fromTarball,
                ["extra"] = extra,
                ["parent"] = entry.Path[..Math.Max(0, entry.Path.LastIndexOf('/'))],
                ["config"] = entry.IsConfig,
                ["doc"] = (FileFlags(entry) & RpmFileFlags.Doc) != 0,
                ["base64"] = entry.Content is MemoryContent memory && !fromTarball ? Convert.ToBase64String(memory.Bytes.Span, Base64FormattingOptions.InsertLineBreaks).ReplaceLineEndings("\n") : string.Empty,
            });
        }

        return array;
    }

    private sealed record PayloadSummary(FileDigests FileDigests, long UncompressedSize, string UncompressedSha256, string CompressedSha256);
}
