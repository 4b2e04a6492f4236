using System.Globalization;
using System.Security.Cryptography;
using DkmsPack.Archives.Cpio;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Rpm;

/// <summary>
/// Writes a binary RPM v4 package (rpm docs/manual/format_v4.md; docs/rpm-format.md): lead, signature header, main header, compressed cpio.
/// The payload is finished and measured first in a scratch file, because the headers before it hold its
/// digests and sizes; then <see cref="RpmPackageAssembler"/> writes the whole file.
/// </summary>
public sealed class RpmPackageWriter : IPackageWriter
{
    public const string PostTemplate = "rpm/post.sbn";
    public const string PreunTemplate = "rpm/preun.sbn";
    public const string PosttransTemplate = "rpm/posttrans.sbn";
    public const string SpecTemplate = "rpm/spec.sbn";

    /// <summary>rpmbuild's Group for kernel packages; rpmlint wants a non-empty one.</summary>
    public const string Group = "System Environment/Kernel";

    /// <summary>A fixed build host: the real one would make the bytes depend on the machine.</summary>
    public const string BuildHost = "localhost";

    private const string Interpreter = "/bin/sh";
    private const string Owner = "root";

    /// <summary>rpmbuild 4.18 records 0 as the size of a directory.</summary>
    private const uint DirectorySize = 0;

    /// <summary>RPMVERIFY_ALL: verify every attribute (rpmfiles.h).</summary>
    private const uint VerifyAll = 0xFFFFFFFF;

    /// <summary>PGPHASHALGO_SHA256 (rpmpgp.h), for file and payload digests.</summary>
    private const uint DigestAlgorithmSha256 = 8;

    public string Format => "rpm";

    public string PackageName(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return RpmNames.PackageName(spec.ModuleName);
    }

    public string PackageVersion(PackageSpec spec) => $"{RpmNames.Version(spec)}-{RpmNames.Release(spec)}";

    public string FileName(PackageSpec spec) => $"{PackageName(spec)}-{PackageVersion(spec)}.noarch.rpm";

    /// <summary>The template model, with what the RPM templates add under <c>package</c>.</summary>
    public ScriptObject Model(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ScriptObject model = TemplateModel.Create(spec, this);
        TemplateModel.Package(model)["rpm_version"] = RpmNames.Version(spec);
        return model;
    }

    /// <summary>
    /// Renders the spec that builds the same package with rpmbuild (mkrpm --spec). Only the spec gets
    /// <c>package.entries</c>, an object per file: the scriptlets do not need it, and a big tree would pay for it.
    /// </summary>
    public string RenderSpec(PackageSpec spec, TemplateSet templates)
    {
        ScriptObject model = Model(spec);
        TemplateModel.Package(model)["entries"] = SpecEntries(spec);
        return TemplateRenderer.Render(templates, SpecTemplate, model);
    }

    public void Write(PackageSpec spec, TemplateSet templates, Stream output, string scratchDirectory, IProgress<PackagingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        ScriptObject model = Model(spec);
        // rpmbuild stores a scriptlet without its final newline; so do we, so that both packages agree.
        var scripts = new Scriptlets(
            TemplateRenderer.Render(templates, PostTemplate, model).TrimEnd('\n'),
            TemplateRenderer.Render(templates, PreunTemplate, model).TrimEnd('\n'),
            TemplateRenderer.Render(templates, PosttransTemplate, model).TrimEnd('\n'));

        using var payload = new ScratchFile(scratchDirectory, ".payload.cpio");
        PayloadSummary summary = WritePayload(spec, payload.Stream, new ProgressCounter(Format, spec.SourceEntries, progress));
        byte[] header = MainHeader(spec, scripts, summary);

        string name = PackageName(spec);
        payload.Rewind();
        RpmPackageAssembler.Write(output, $"{name}-{PackageVersion(spec)}", header, payload.Stream, summary.UncompressedSize);
    }

    private static PayloadSummary WritePayload(PackageSpec spec, Stream destination, ProgressCounter progress)
    {
        var digests = new string[spec.SourceEntries.Count];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var compressed = new HashingWriteStream(destination, leaveOpen: true);
        Stream compressor = Compressor.Create(spec.Compression, spec.CompressionLevel, compressed);
        var raw = new HashingWriteStream(new BufferedStream(compressor, 1 << 16), leaveOpen: false);
        using (var cpio = new CpioNewcWriter(raw, leaveOpen: true))
        {
            for (int i = 0; i < spec.SourceEntries.Count; i++)
            {
                PackageEntry entry = spec.SourceEntries[i];
                string name = "./" + entry.Path;
                long inode = i + 1;
                switch (entry.Kind)
                {
                    case EntryKind.Directory:
                        cpio.WriteDirectory(name, entry.Permissions, entry.ModifiedTime, inode);
                        digests[i] = string.Empty;
                        break;
                    case EntryKind.Symlink:
                        cpio.WriteSymlink(name, entry.LinkTarget!, entry.ModifiedTime, inode);
                        digests[i] = string.Empty;
                        break;
                    default:
                        using (var content = new HashingReadStream(entry.Content!.Open(), sha256))
                        {
                            cpio.WriteFile(name, entry.Permissions, entry.ModifiedTime, inode, entry.Size, content);
                            digests[i] = content.HexDigest();
                        }

                        progress.FileWritten(entry.Size);
                        break;
                }
            }
        }

        // Dispose order matters: the cpio trailer, then the buffer and compressor (which write the
        // compressed tail), then the outer hash, which must have seen every compressed byte.
        raw.Dispose();
        compressor.Dispose();
        compressed.Dispose();
        return new PayloadSummary(digests, raw.BytesWritten, raw.GetSha256Hex(), compressed.GetSha256Hex());
    }

    private byte[] MainHeader(PackageSpec spec, Scriptlets scripts, PayloadSummary payload)
    {
        string name = PackageName(spec);
        string version = RpmNames.Version(spec);
        string release = RpmNames.Release(spec);
        IReadOnlyList<PackageEntry> entries = spec.SourceEntries;
        var header = new RpmHeaderBuilder()
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddString(RpmTag.Name, name)
            .AddString(RpmTag.Version, version)
            .AddString(RpmTag.Release, release)
            .AddI18nString(RpmTag.Summary, spec.Summary)
            .AddI18nString(RpmTag.Description, TemplateFunctions.Wrap(spec.Description, 79))
            .AddInt32(RpmTag.BuildTime, checked((uint)spec.BuildTime))
            .AddString(RpmTag.BuildHost, BuildHost)
            .AddInt32(RpmTag.Size, checked((uint)spec.ContentSize))
            .AddString(RpmTag.License, spec.License)
            .AddString(RpmTag.Packager, spec.Maintainer)
            .AddI18nString(RpmTag.Group, Group)
            .AddString(RpmTag.Os, "linux")
            .AddString(RpmTag.Arch, "noarch")
            .AddString(RpmTag.PostIn, scripts.Post)
            .AddString(RpmTag.PreUn, scripts.Preun)
            .AddString(RpmTag.PostInProg, Interpreter)
            .AddString(RpmTag.PreUnProg, Interpreter)
            .AddString(RpmTag.PostTrans, scripts.Posttrans)
            .AddString(RpmTag.PostTransProg, Interpreter)
            .AddString(RpmTag.SourceRpm, $"{name}-{version}-{release}.src.rpm")
            .AddString(RpmTag.PayloadFormat, "cpio")
            .AddInt32(RpmTag.FileDigestAlgo, DigestAlgorithmSha256)
            .AddString(RpmTag.Encoding, "utf-8")
            .AddStringArray(RpmTag.PayloadDigest, [payload.CompressedSha256])
            .AddInt32(RpmTag.PayloadDigestAlgo, DigestAlgorithmSha256)
            .AddStringArray(RpmTag.PayloadDigestAlt, [payload.UncompressedSha256]);

        if (spec.Homepage is { } url)
        {
            header.AddString(RpmTag.Url, url);
        }

        AddPayloadCompression(header, spec);
        AddFiles(header, entries, payload.FileDigests);
        AddDependencies(header, spec, name, $"{version}-{release}");
        AddChangelog(header, spec, $"{version}-{release}");
        return header.Build(RpmTag.HeaderImmutable);
    }

    /// <summary>PAYLOADCOMPRESSOR and PAYLOADFLAGS as rpmbuild writes them for w9.gzdio, w3.zstdio and w.ufdio.</summary>
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
            default:
                // As rpmbuild does for w.ufdio: no compressor tag. rpm then reads the payload with its gzip
                // reader, which passes data that is not gzip through unchanged (zlib's gzread).
                break;
        }
    }

    /// <summary>The file arrays, in entry order (which is the cpio order, sorted by path).</summary>
    private static void AddFiles(RpmHeaderBuilder header, IReadOnlyList<PackageEntry> entries, string[] digests)
    {
        int count = entries.Count;
        var dirNames = new List<string>();
        var dirIndexes = new uint[count];
        var baseNames = new string[count];
        for (int i = 0; i < count; i++)
        {
            string path = "/" + entries[i].Path;
            int slash = path.LastIndexOf('/');
            string directory = path[..(slash + 1)];
            int index = dirNames.IndexOf(directory);
            if (index < 0)
            {
                index = dirNames.Count;
                dirNames.Add(directory);
            }

            dirIndexes[i] = (uint)index;
            baseNames[i] = path[(slash + 1)..];
        }

        header
            .AddInt32Array(RpmTag.FileSizes, [.. entries.Select(e => e.Kind == EntryKind.Directory ? DirectorySize : checked((uint)e.Size))])
            .AddInt16Array(RpmTag.FileModes, [.. entries.Select(FileMode)])
            .AddInt16Array(RpmTag.FileRdevs, new ushort[count])
            .AddInt32Array(RpmTag.FileMtimes, [.. entries.Select(e => checked((uint)e.ModifiedTime))])
            .AddStringArray(RpmTag.FileDigests, digests)
            .AddStringArray(RpmTag.FileLinkTos, [.. entries.Select(e => e.LinkTarget ?? string.Empty)])
            .AddInt32Array(RpmTag.FileFlags, new uint[count])
            .AddStringArray(RpmTag.FileUserName, Enumerable.Repeat(Owner, count).ToArray())
            .AddStringArray(RpmTag.FileGroupName, Enumerable.Repeat(Owner, count).ToArray())
            .AddInt32Array(RpmTag.FileVerifyFlags, Enumerable.Repeat(VerifyAll, count).ToArray())
            .AddInt32Array(RpmTag.FileDevices, Enumerable.Repeat(1u, count).ToArray())
            .AddInt32Array(RpmTag.FileInodes, [.. Enumerable.Range(1, count).Select(i => (uint)i)])
            .AddStringArray(RpmTag.FileLangs, Enumerable.Repeat(string.Empty, count).ToArray())
            .AddInt32Array(RpmTag.DirIndexes, dirIndexes)
            .AddStringArray(RpmTag.BaseNames, baseNames)
            .AddStringArray(RpmTag.DirNames, dirNames);
    }

    /// <summary>Full st_mode, type bits included (FILEMODES is INT16: rpmtag.h).</summary>
    private static ushort FileMode(PackageEntry entry) => (ushort)(entry.Permissions | entry.Kind switch
    {
        EntryKind.Directory => CpioNewcLayout.TypeDirectory,
        EntryKind.Symlink => CpioNewcLayout.TypeSymlink,
        _ => CpioNewcLayout.TypeRegular,
    });

    private static void AddDependencies(RpmHeaderBuilder header, PackageSpec spec, string name, string versionRelease)
    {
        header
            .AddStringArray(RpmTag.ProvideName, [name])
            .AddInt32Array(RpmTag.ProvideFlags, [RpmSense.Equal])
            .AddStringArray(RpmTag.ProvideVersion, [versionRelease]);

        List<(string Name, uint Flags, string Version)> requires =
        [
            // One interpreter entry per scriptlet, as rpmbuild writes them.
            (Interpreter, RpmSense.Interpreter | RpmSense.PostTrans, string.Empty),
            (Interpreter, RpmSense.Interpreter | RpmSense.ScriptPost, string.Empty),
            (Interpreter, RpmSense.Interpreter | RpmSense.ScriptPreun, string.Empty),
            ("dkms", 0, string.Empty),
            ("dkms", RpmSense.PostTrans, string.Empty),
            ("dkms", RpmSense.ScriptPost, string.Empty),
            ("dkms", RpmSense.ScriptPreun, string.Empty),
            .. RpmLibRequirements(spec).Select(r => (r.Name, RpmSense.RpmLib | RpmSense.Less | RpmSense.Equal, r.Version)),
        ];
        header
            .AddStringArray(RpmTag.RequireName, [.. requires.Select(r => r.Name)])
            .AddInt32Array(RpmTag.RequireFlags, [.. requires.Select(r => r.Flags)])
            .AddStringArray(RpmTag.RequireVersion, [.. requires.Select(r => r.Version)]);
    }

    /// <summary>The rpmlib() features this package uses, as rpmbuild declares them (docs/rpm-format.md).</summary>
    private static IEnumerable<(string Name, string Version)> RpmLibRequirements(PackageSpec spec)
    {
        yield return ("rpmlib(CompressedFileNames)", "3.0.4-1");
        yield return ("rpmlib(FileDigests)", "4.6.0-1");
        yield return ("rpmlib(PayloadFilesHavePrefix)", "4.0-1");
        if (spec.Compression == CompressionMethod.Zstd)
        {
            yield return ("rpmlib(PayloadIsZstd)", "5.4.18-1");
        }
    }

    private static void AddChangelog(RpmHeaderBuilder header, PackageSpec spec, string versionRelease)
    {
        // rpmbuild stores a %changelog date as that day at 12:00 UTC.
        long day = spec.BuildTime - (spec.BuildTime % 86400) + (12 * 3600);
        header
            .AddInt32Array(RpmTag.ChangelogTime, [checked((uint)day)])
            .AddStringArray(RpmTag.ChangelogName, [$"{spec.Maintainer} - {versionRelease}"])
            .AddStringArray(RpmTag.ChangelogText, [$"- Packaged {spec.ModuleName} {spec.ModuleVersion} for DKMS with dkmspack {TemplateModel.ToolVersion}."]);
    }

    /// <summary>The entries as the spec template sees them: how %install recreates each one.</summary>
    private static ScriptArray SpecEntries(PackageSpec spec)
    {
        var array = new ScriptArray();
        foreach (PackageEntry entry in spec.SourceEntries)
        {
            string relative = entry.Path.Length > spec.SourceDirectory.Length ? entry.Path[(spec.SourceDirectory.Length + 1)..] : string.Empty;
            array.Add(new ScriptObject
            {
                ["path"] = entry.Path,
                ["relative"] = relative,
                ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
                ["mode"] = Convert.ToString(entry.Permissions, 8).PadLeft(4, '0'),
                ["target"] = entry.LinkTarget ?? string.Empty,
                ["generated"] = entry.Content is MemoryContent,
                // rpmbuild expands macros even in a here-document, so '%' is doubled.
                ["text"] = entry.Content is MemoryContent memory ? System.Text.Encoding.UTF8.GetString(memory.Bytes.Span).Replace("%", "%%", StringComparison.Ordinal) : string.Empty,
            });
        }

        return array;
    }

    private sealed record Scriptlets(string Post, string Preun, string Posttrans);

    private sealed record PayloadSummary(string[] FileDigests, long UncompressedSize, string UncompressedSha256, string CompressedSha256);
}

/// <summary>rpmsenseFlags bits (rpmds.h) used in dependency entries.</summary>
internal static class RpmSense
{
    public const uint Less = 1 << 1;
    public const uint Equal = 1 << 3;
    public const uint PostTrans = 1 << 5;
    public const uint Interpreter = 1 << 8;
    public const uint ScriptPost = 1 << 10;
    public const uint ScriptPreun = 1 << 11;
    public const uint RpmLib = 1 << 24;
}
