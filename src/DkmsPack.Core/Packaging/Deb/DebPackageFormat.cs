using System.Security.Cryptography;
using System.Text;
using DkmsPack.Archives.Ar;
using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Licensing;
using DkmsPack.Model;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// A binary .deb (deb(5)): an ar archive of debian-binary, control.tar and data.tar, in that order.
/// data.tar is streamed to a scratch file first, because control.tar (which comes before it) holds the
/// md5sums and Installed-Size that only the data pass can tell.
/// </summary>
public sealed class DebPackageFormat : IPackageFormat
{
    private const string FormatVersion = "2.0\n";
    private const string OriginSignatureMember = "_gpgorigin";
    private const string Architecture = "all";

    /// <summary>Template names under templates/.</summary>
    private const string ControlTemplate = "deb/control.sbn";
    private const string PostinstTemplate = "deb/postinst.sbn";
    private const string PrermTemplate = "deb/prerm.sbn";
    private const string CopyrightTemplate = "deb/copyright.sbn";
    private const string ChangelogTemplate = "deb/changelog.sbn";
    private const string PostrmTemplate = "deb/postrm.sbn";

    /// <summary>The control fields of each relationship kind, in dpkg-gencontrol's field order.</summary>
    private static readonly (RelationshipKind Kind, string Field)[] s_relationshipFields =
    [
        (RelationshipKind.Depends, "Depends"),
        (RelationshipKind.Recommends, "Recommends"),
        (RelationshipKind.Suggests, "Suggests"),
        (RelationshipKind.Breaks, "Breaks"),
        (RelationshipKind.Conflicts, "Conflicts"),
        (RelationshipKind.Replaces, "Replaces"),
        (RelationshipKind.Provides, "Provides"),
    ];

    public string Name => "deb";

    public PackageIdentity Identify(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string name = DebianNames.PackageName(spec.ModuleName);
        string version = DebianNames.Version(spec);
        // ar(5) holds a member's size in 10 digits: refuse a tree whose data.tar could pass it before writing anything.
        ArWriter.EnsureMemberFits("data.tar" + Compressor.FileSuffix(spec.Compression), DataTarUpperBound(spec));

        // The doc directory's copyright and changelog.Debian.gz are the .deb's own: a project file may not install them.
        string[] generated = [$"usr/share/doc/{name}/copyright", $"usr/share/doc/{name}/changelog.Debian.gz"];
        if (spec.ExtraEntries.FirstOrDefault(e => generated.Contains(e.Path)) is { } taken)
        {
            throw DkmsPackException.Input(null, $"the project file installs /{taken.Path}, which the .deb writes itself", "give that file another name or directory");
        }

        return new PackageIdentity(Name, name, version, Architecture, $"{name}_{version}_{Architecture}.deb");
    }

    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return [new PlannedOutput(identity.FileName, identity, (output, context) => Write(spec, identity, output, context))];
    }

    private void Write(PackageSpec spec, PackageIdentity identity, Stream output, WriteContext context)
    {
        ScriptObject model = TemplateModel.Create(spec, identity);
        ScriptObject package = TemplateModel.Package(model);
        AddDebianLicense(package, spec);

        IReadOnlyList<PackageEntry> entries = DataEntries(spec, context.Templates, model, identity.Name);
        string suffix = Compressor.FileSuffix(spec.Compression);

        using var data = new ScratchFile(context.ScratchDirectory, ".data.tar");
        string md5Sums = WriteData(entries, spec, data.Stream, new ProgressCounter(Name, entries, context.Progress));

        package["installed_size"] = InstalledSizeKiB(entries);
        package["depends"] = Field(spec, RelationshipKind.Depends);
        package["relationships"] = RelationshipFields(spec);
        byte[] control = ControlTar(spec, context.Templates, model, md5Sums);

        byte[] debianBinary = Encoding.ASCII.GetBytes(FormatVersion);
        using var ar = new ArWriter(output);
        ar.WriteMember("debian-binary", spec.BuildTime, debianBinary);
        ar.WriteMember("control.tar" + suffix, spec.BuildTime, control);
        ar.WriteMember("data.tar" + suffix, spec.BuildTime, data.Stream.Length, data.Rewind());
        if (context.Signer is { } signer)
        {
            ar.WriteMember(OriginSignatureMember, spec.BuildTime, OriginSignature(signer, spec.BuildTime, debianBinary, control, data.Rewind()));
        }
    }

    /// <summary>
    /// The debsigs origin signature: a binary detached OpenPGP signature (debsigs runs gpg --detach-sign without
    /// --armor) of the members debian-binary, control.tar.* and data.tar.*, concatenated in that order, as
    /// debsig-verify checks it. dpkg itself ignores members whose names start with '_' (deb(5)).
    /// </summary>
    private static byte[] OriginSignature(Signing.SigningKey signer, long time, byte[] debianBinary, byte[] control, Stream data)
    {
        using var first = new MemoryStream(debianBinary, writable: false);
        using var second = new MemoryStream(control, writable: false);
        return signer.SignDetached(time, first, second, data);
    }

    /// <summary>One relationship field's value (deb-control(5)): the relationships of a kind joined by ", ".</summary>
    internal static string Field(PackageSpec spec, RelationshipKind kind) =>
        string.Join(", ", spec.Relationships.For("deb", kind));

    /// <summary>The relationship fields that have a value, as <c>{ field, value }</c> objects in field order.</summary>
    internal static ScriptArray RelationshipFields(PackageSpec spec)
    {
        var fields = new ScriptArray();
        foreach ((RelationshipKind kind, string field) in s_relationshipFields)
        {
            string value = Field(spec, kind);
            if (value.Length > 0)
            {
                fields.Add(new ScriptObject { ["field"] = field, ["value"] = value });
            }
        }

        return fields;
    }

    /// <summary>
    /// The Files paragraph's License line and one stand-alone paragraph per licence (copyright-format 1.0), as
    /// <c>package.debian_license</c> and <c>package.debian_licenses</c> (each with <c>name</c> and <c>text</c>).
    /// </summary>
    internal static void AddDebianLicense(ScriptObject package, PackageSpec spec)
    {
        if (!SpdxExpression.TryParse(spec.License, out SpdxExpression? license, out string? error))
        {
            throw DkmsPackException.Input(null, $"the licence \"{spec.License}\" {error}", $"pass {OptionRef.To("license")} with an SPDX expression such as GPL-2.0-only");
        }

        package["debian_license"] = DebianLicense.ShortNames(license!);
        var paragraphs = new ScriptArray();
        foreach (DebianLicense.Paragraph paragraph in DebianLicense.Paragraphs(license!, "/" + spec.SourceDirectory))
        {
            paragraphs.Add(new ScriptObject { ["name"] = paragraph.Name, ["text"] = paragraph.Text });
        }

        package["debian_licenses"] = paragraphs;
    }

    /// <summary>
    /// The largest data.tar the spec can give: the exact uncompressed tar of the sources, room for the doc files and
    /// the directories above the sources, and what gzip or zstd may add to data that does not compress.
    /// </summary>
    private static long DataTarUpperBound(PackageSpec spec)
    {
        const long docFilesAndParents = 64 * 1024;
        long tar = TarStreamWriter.EndLength + docFilesAndParents
            + spec.Entries.Sum(e => TarStreamWriter.EntryLength("./" + e.Path + (e.Kind == EntryKind.Directory ? "/" : string.Empty), e.LinkTarget, e.Kind == EntryKind.File ? e.Size : 0));
        return tar + (tar / 256);
    }

    /// <summary>Everything data.tar holds, sorted so that every directory comes before its contents.</summary>
    private static List<PackageEntry> DataEntries(PackageSpec spec, TemplateSet templates, ScriptObject model, string packageName)
    {
        long time = spec.BuildTime;
        string docDirectory = $"usr/share/doc/{packageName}";
        string copyright = TemplateRenderer.Render(templates, CopyrightTemplate, model);
        string changelog = TemplateRenderer.Render(templates, ChangelogTemplate, model);

        // changelog.Debian.gz is gzip -n'd (no name, mtime 0) and always gzip: lintian wants exactly that.
        var entries = new List<PackageEntry>
        {
            PackageEntry.Directory("usr", time),
            PackageEntry.Directory("usr/src", time),
            PackageEntry.Directory("usr/share", time),
            PackageEntry.Directory("usr/share/doc", time),
            PackageEntry.Directory(docDirectory, time),
            PackageEntry.File($"{docDirectory}/copyright", UnixPermissions.Regular, new MemoryContent(copyright), time),
            PackageEntry.File($"{docDirectory}/changelog.Debian.gz", UnixPermissions.Regular, new MemoryContent(Compressor.GzipBytes(Encoding.UTF8.GetBytes(changelog))), time),
        };
        entries.AddRange(spec.SourceEntries);

        // dpkg needs every parent directory of an extra in data.tar (it shares them with other packages, and removes
        // them when the last package that has them goes); a directory the project names keeps its own mode.
        HashSet<string> present = [.. spec.ExtraEntries.Select(e => e.Path)];
        entries.RemoveAll(e => present.Contains(e.Path));
        present.UnionWith(entries.Select(e => e.Path));
        foreach (string parent in spec.ExtraEntries.SelectMany(e => Parents(e.Path)).Distinct(StringComparer.Ordinal))
        {
            if (present.Add(parent))
            {
                entries.Add(PackageEntry.Directory(parent, time));
            }
        }

        entries.AddRange(spec.ExtraEntries);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        // dpkg-deb writes symlinks last so their targets exist when dpkg creates them (src/deb/build.c).
        return [.. entries.Where(e => e.Kind != EntryKind.Symlink), .. entries.Where(e => e.Kind == EntryKind.Symlink)];
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    /// <summary>Writes data.tar and returns md5sums: "&lt;md5&gt;  &lt;path&gt;" per file, relative to the root (deb-md5sums(5)).</summary>
    private static string WriteData(IReadOnlyList<PackageEntry> entries, PackageSpec spec, Stream destination, ProgressCounter progress)
    {
        string[] digests;
        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, destination, spec.CompressionExtreme))
        using (var buffered = new BufferedStream(compressed, 1 << 16))
        using (var tar = new DebDataArchive(buffered, spec.BuildTime))
        {
            // md5sums is MD5 by definition (deb-md5sums(5)); it detects corruption, it does not secure anything.
            digests = EntryArchiving.WriteAll(tar, entries, HashAlgorithmName.MD5, progress);
        }

        var md5Sums = new StringBuilder();
        for (int i = 0; i < entries.Count; i++)
        {
            // Conffiles are left out, as dh_md5sums does: dpkg keeps their hashes in its conffile database.
            if (entries[i].Kind == EntryKind.File && !entries[i].IsConfig)
            {
                md5Sums.Append(digests[i]).Append("  ").Append(entries[i].Path).Append('\n');
            }
        }

        return md5Sums.ToString();
    }

    /// <summary>dpkg-gencontrol's Installed-Size: 1 KiB per directory (the root included), ceil(size/1024) per file or link.</summary>
    private static long InstalledSizeKiB(IReadOnlyList<PackageEntry> entries) =>
        1 + entries.Sum(e => e.Kind == EntryKind.Directory ? 1 : (e.Size + 1023) / 1024);

    /// <summary>postinst, prerm and, when there is something to do after removal (a hook, the user's template), postrm.</summary>
    internal static (string Postinst, string Prerm, string? Postrm) MaintainerScripts(PackageSpec spec, TemplateSet templates, ScriptObject model) =>
    (
        TemplateRenderer.Render(templates, PostinstTemplate, model),
        TemplateRenderer.Render(templates, PrermTemplate, model),
        templates.IsOverridden(PostrmTemplate) || spec.Hooks.Any("deb", HookPoint.PostRemove) ? TemplateRenderer.Render(templates, PostrmTemplate, model) : null);

    private static byte[] ControlTar(PackageSpec spec, TemplateSet templates, ScriptObject model, string md5Sums)
    {
        string control = TemplateRenderer.Render(templates, ControlTemplate, model);
        (string postinst, string prerm, string? postrm) = MaintainerScripts(spec, templates, model);
        DebControlCheck.Validate(control, templates.Origin(ControlTemplate));

        // conffiles (deb-conffiles(5)): one absolute path a line, the files dpkg keeps a user's changes of.
        string conffiles = string.Concat(spec.ConfigFiles.Select(e => "/" + e.Path + "\n"));

        using var buffer = new MemoryStream();
        using (Stream compressed = Compressor.Create(spec.Compression, spec.CompressionLevel, buffer, spec.CompressionExtreme))
        using (var tar = new TarStreamWriter(compressed))
        {
            // Control members: plain files owned by root, scripts 0755, the rest 0644 (lintian control-file-has-bad-permissions).
            tar.WriteDirectory("./", UnixPermissions.Directory, spec.BuildTime);
            if (conffiles.Length > 0)
            {
                tar.WriteFile("./conffiles", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(conffiles));
            }

            tar.WriteFile("./control", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(EnsureFinalNewline(control)));
            tar.WriteFile("./md5sums", UnixPermissions.Regular, spec.BuildTime, Encoding.UTF8.GetBytes(md5Sums));
            tar.WriteFile("./postinst", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(postinst));
            if (postrm is not null)
            {
                tar.WriteFile("./postrm", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(postrm));
            }

            tar.WriteFile("./prerm", UnixPermissions.Executable, spec.BuildTime, Encoding.UTF8.GetBytes(prerm));
        }

        return buffer.ToArray();
    }

    private static string EnsureFinalNewline(string text) => text.EndsWith('\n') ? text : text + "\n";
}
