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
        package["installed_size"] = DebArchive.InstalledSizeKiB(entries);
        package["depends"] = Field(spec, RelationshipKind.Depends);
        package["relationships"] = RelationshipFields(spec);
        string control = TemplateRenderer.Render(context.Templates, ControlTemplate, model);
        DebControlCheck.Validate(control, context.Templates.Origin(ControlTemplate));
        (string postinst, string prerm, string? postrm) = MaintainerScripts(spec, context.Templates, model);
        var members = new DebArchive.ControlMembers(control, postinst, prerm, postrm, [.. spec.ConfigFiles.Select(e => e.Path)]);
        DebArchive.Write(output, spec, entries, members, new ProgressCounter(Name, entries, context.Progress), context);
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
        long tar = TarStreamWriter.EndLength + docFilesAndParents;
        var name = new PathBuffer();
        foreach (PackageEntry e in spec.Entries)
        {
            tar += TarStreamWriter.EntryLength(DebDataArchive.NameOf(e, name), e.LinkTarget, e.Kind == EntryKind.File ? e.Size : 0);
        }

        return tar + (tar / 256);
    }

    /// <summary>Everything data.tar holds, sorted so that every directory comes before its contents.</summary>
    private static List<PackageEntry> DataEntries(PackageSpec spec, TemplateSet templates, ScriptObject model, string packageName)
    {
        long time = spec.BuildTime;
        // Sized once: on a large tree a list of the entries is a large-object array, and growing it leaves copies
        // (room for usr/src and the doc entries; the extras' parent directories may still grow it).
        const int Headroom = 8;
        var entries = new List<PackageEntry>(spec.SourceEntries.Count + spec.ExtraEntries.Count + Headroom) { PackageEntry.Directory("usr/src", time) };
        entries.AddRange(DocEntries(templates, model, packageName, time));
        entries.AddRange(spec.SourceEntries);

        if (spec.ExtraEntries.Count > 0)
        {
            // dpkg needs every parent directory of an extra in data.tar (it shares them with other packages, and
            // removes them when the last package that has them goes); a directory the project names keeps its own
            // mode. Without extras there is nothing to add, and a set of every path in the tree is not made.
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
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        // dpkg-deb writes symlinks last so their targets exist when dpkg creates them (src/deb/build.c).
        var ordered = new List<PackageEntry>(entries.Count);
        ordered.AddRange(entries.Where(e => e.Kind != EntryKind.Symlink));
        ordered.AddRange(entries.Where(e => e.Kind == EntryKind.Symlink));
        return ordered;
    }

    /// <summary>
    /// /usr/share/doc/PACKAGE with copyright and changelog.Debian.gz, and its parents (usr, usr/share, usr/share/doc):
    /// what every .deb dkmspack writes carries (Debian Policy 12.5 and 12.7). changelog.Debian.gz is gzip -n'd (no
    /// name, mtime 0) and always gzip: lintian wants exactly that.
    /// </summary>
    internal static IEnumerable<PackageEntry> DocEntries(TemplateSet templates, ScriptObject model, string packageName, long time)
    {
        string docDirectory = $"usr/share/doc/{packageName}";
        string copyright = TemplateRenderer.Render(templates, CopyrightTemplate, model);
        string changelog = TemplateRenderer.Render(templates, ChangelogTemplate, model);
        yield return PackageEntry.Directory("usr", time);
        yield return PackageEntry.Directory("usr/share", time);
        yield return PackageEntry.Directory("usr/share/doc", time);
        yield return PackageEntry.Directory(docDirectory, time);
        yield return PackageEntry.File($"{docDirectory}/copyright", UnixPermissions.Regular, new MemoryContent(copyright), time);
        yield return PackageEntry.File($"{docDirectory}/changelog.Debian.gz", UnixPermissions.Regular, new MemoryContent(Compressor.GzipBytes(Encoding.UTF8.GetBytes(changelog))), time);
    }

    internal static IEnumerable<string> Parents(string path)
    {
        for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    /// <summary>postinst, prerm and, when there is something to do after removal (a hook, the user's template), postrm.</summary>
    internal static (string Postinst, string Prerm, string? Postrm) MaintainerScripts(PackageSpec spec, TemplateSet templates, ScriptObject model) =>
    (
        TemplateRenderer.Render(templates, PostinstTemplate, model),
        TemplateRenderer.Render(templates, PrermTemplate, model),
        templates.IsOverridden(PostrmTemplate) || spec.Hooks.Any("deb", HookPoint.PostRemove) ? TemplateRenderer.Render(templates, PostrmTemplate, model) : null);
}
