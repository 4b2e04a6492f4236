using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Model;
using DkmsPack.Packaging;
using DkmsPack.Packaging.Deb;
using DkmsPack.Rendering;
using Scriban.Runtime;

namespace DkmsPack.SourcePackages.Dsc;

/// <summary>
/// A Debian source package of format 3.0 (quilt) (dpkg-source(1), Debian Policy §4 and §5.4; docs/source-packages.md,
/// "Debian source package"): the upstream tarball (.orig.tar.gz, <see cref="SourceTarball"/>, or --orig as it is), a
/// .debian.tar.gz of the debian/ directory rendered from templates/dsc/ (changelog and copyright from templates/deb/, the
/// same as the binary package's), the .dsc that names both with their checksums, and the _source.changes that uploads
/// them. debhelper and dh_dkms build from it a package that installs the same files under /usr/src as <c>mkdeb</c>'s.
/// </summary>
public sealed partial class DscPackageFormat : IPackageFormat
{
    public const string ControlTemplate = "dsc/control.sbn";
    public const string RulesTemplate = "dsc/rules.sbn";
    public const string WatchTemplate = "dsc/watch.sbn";
    public const string ChangelogTemplate = "deb/changelog.sbn";
    public const string CopyrightTemplate = "deb/copyright.sbn";

    /// <summary>The Debian Policy version the control file declares (Debian 12's debian-policy).</summary>
    public const string StandardsVersion = "4.6.2";

    private const string SourceFormat = "3.0 (quilt)\n";

    /// <summary>The .changes format dpkg-genchanges writes (deb-changes(5)).</summary>
    private const string ChangesFormat = "1.8";

    private const string Section = "kernel";
    private const string Priority = "optional";

    private static readonly string[] s_urgencies = ["low", "medium", "high", "emergency", "critical"];

    public string Name => "dsc";

    public PackageIdentity Identify(PackageSpec spec)
    {
        PackageIdentity binary = new DebPackageFormat().Identify(spec);
        if (spec.Entries.FirstOrDefault(e => e.Path.Contains('\n', StringComparison.Ordinal) || (e.TreePath?.Contains('\n', StringComparison.Ordinal) ?? false)) is { } entry)
        {
            throw DkmsPackException.Input(null, $"\"{entry.Path.ReplaceLineEndings(" ")}\" has a line break in its name, which debian/rules cannot install", "rename the file or leave it out with " + OptionRef.To("exclude"));
        }

        return binary with { Format = Name, Architecture = "source", FileName = $"{binary.Name}_{WithoutEpoch(binary.Version)}.dsc" };
    }

    public IReadOnlyList<PlannedOutput> Outputs(PackageSpec spec, PackageIdentity identity, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        SourcePackageRequest options = request.SourcePackage;
        if (options.Distribution is { } distribution && !DistributionName().IsMatch(distribution))
        {
            throw DkmsPackException.Options($"\"{distribution}\" is not a distribution name", $"give {OptionRef.To("distribution")} a suite such as unstable, bookworm or noble");
        }

        if (options.Urgency is { } urgency && !s_urgencies.Contains(urgency, StringComparer.Ordinal))
        {
            throw DkmsPackException.Options($"\"{urgency}\" is not an urgency", $"give {OptionRef.To("urgency")} one of {string.Join(", ", s_urgencies)}");
        }

        string version = WithoutEpoch(identity.Version);
        string upstream = version[..version.LastIndexOf('-')];
        string origName;
        if (options.OrigTarball is { } orig)
        {
            if (!File.Exists(orig))
            {
                throw DkmsPackException.Input(orig, "the upstream tarball does not exist", $"give {OptionRef.To("orig")} an existing .tar.gz, .tar.xz or .tar.bz2");
            }

            string? suffix = ((string[])[".tar.gz", ".tar.xz", ".tar.bz2"]).FirstOrDefault(s => orig.EndsWith(s, StringComparison.Ordinal));
            origName = suffix is null
                ? throw DkmsPackException.Input(orig, "is not a .tar.gz, .tar.xz or .tar.bz2", $"give {OptionRef.To("orig")} a compressed tarball of the tree")
                : $"{identity.Name}_{upstream}.orig{suffix}";
        }
        else
        {
            origName = $"{identity.Name}_{upstream}.orig.tar.gz";
        }

        var state = new State(spec, identity, options, origName, $"{identity.Name}_{version}.debian.tar.gz");
        return
        [
            new PlannedOutput(origName, Package: null, (output, context) => state.Orig = Hashed(output, stream => WriteOrig(spec, options.OrigTarball, stream))),
            new PlannedOutput(state.DebianName, Package: null, (output, context) => state.Debian = Hashed(output, stream => WriteDebianTarball(state, context, stream))),
            new PlannedOutput(identity.FileName, identity, (output, context) => state.Dsc = Hashed(output, stream => stream.Write(Encoding.UTF8.GetBytes(Sign(context, spec, DscText(state, context)))))),
            new PlannedOutput($"{identity.Name}_{version}_source.changes", Package: null, (output, context) => output.Write(Encoding.UTF8.GetBytes(Sign(context, spec, ChangesText(state, context))))),
        ];
    }

    /// <summary>The files of debian/, as (path under debian/, mode, content), in the order the tarball holds them.</summary>
    public static IReadOnlyList<(string Path, int Mode, byte[] Content)> DebianFiles(PackageSpec spec, PackageIdentity identity, SourcePackageRequest options, TemplateSet templates)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(templates);
        ScriptObject model = Model(spec, identity, options);
        var files = new List<(string, int, byte[])>
        {
            ("changelog", UnixPermissions.Regular, Render(templates, ChangelogTemplate, model)),
            ("control", UnixPermissions.Regular, Render(templates, ControlTemplate, model)),
            ("copyright", UnixPermissions.Regular, Render(templates, CopyrightTemplate, model)),
            (identity.Name + ".dkms", UnixPermissions.Regular, PackagedConf(spec)),
            ("rules", UnixPermissions.Executable, Render(templates, RulesTemplate, model)),
            ("source/format", UnixPermissions.Regular, Encoding.ASCII.GetBytes(SourceFormat)),
        };

        // The maintainer scripts are mkdeb's, rendered from the same templates, so the package Debian's tools build
        // behaves as mkdeb's does. They have no #DEBHELPER# token: dh_dkms's own snippet would register the module a
        // second time (dh_dkms still installs dkms.conf and adds dkms to ${misc:Depends}).
        (string postinst, string prerm, string? postrm) = DebPackageFormat.MaintainerScripts(spec, templates, model);
        foreach ((string script, string? text) in (ReadOnlySpan<(string, string?)>)[("postinst", postinst), ("postrm", postrm), ("prerm", prerm)])
        {
            if (text is not null)
            {
                files.Add(($"{identity.Name}.{script}", UnixPermissions.Executable, Encoding.UTF8.GetBytes(text)));
            }
        }

        if (spec.Homepage is not null)
        {
            files.Add(("watch", UnixPermissions.Regular, Render(templates, WatchTemplate, model)));
        }

        return files;
    }

    private static byte[] Render(TemplateSet templates, string name, ScriptObject model) => Encoding.UTF8.GetBytes(TemplateRenderer.Render(templates, name, model));

    /// <summary>dkms.conf as the binary package ships it (the bytes read, the version rewritten by --version).</summary>
    private static byte[] PackagedConf(PackageSpec spec)
    {
        PackageEntry conf = spec.SourceEntries.Single(e => e.Path == spec.SourceDirectory + "/dkms.conf");
        using Stream content = conf.Content!.Open();
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The deb model, plus <c>source.*</c>: what debian/rules installs and the changelog's distribution and urgency.</summary>
    private static ScriptObject Model(PackageSpec spec, PackageIdentity identity, SourcePackageRequest options)
    {
        PackageIdentity binary = identity with { Format = "deb", Architecture = "all" };
        ScriptObject model = TemplateModel.Create(spec, binary);
        ScriptObject package = TemplateModel.Package(model);
        DebPackageFormat.AddDebianLicense(package, spec);
        package["depends"] = DebPackageFormat.Field(spec, RelationshipKind.Depends);
        package["relationships"] = DebPackageFormat.RelationshipFields(spec);
        model["source"] = new ScriptObject
        {
            ["standards_version"] = StandardsVersion,
            ["install"] = InstallEntries(spec),
        };

        // --distribution and --urgency set the newest changelog entry's, or the one entry written for this build.
        var changelog = (ScriptArray)model["changelog"]!;
        if (changelog.Count == 0)
        {
            changelog.Add(new ScriptObject
            {
                ["version"] = identity.Version,
                ["author"] = spec.Maintainer,
                ["changes"] = new ScriptArray { $"Packaged {spec.ModuleName} {spec.ModuleVersion} for DKMS with dkmspack {TemplateModel.ToolVersion}." },
                ["distribution"] = SourcePackageRequest.DefaultDistribution,
                ["urgency"] = SourcePackageRequest.DefaultUrgency,
                ["date_rfc2822"] = ((ScriptObject)model["build"]!)["date_rfc2822"],
            });
        }

        var newest = (ScriptObject)changelog[0]!;
        newest["distribution"] = options.Distribution ?? newest["distribution"];
        newest["urgency"] = options.Urgency ?? newest["urgency"];
        return model;
    }

    /// <summary>
    /// What debian/rules installs into the package, each path single-quoted for the shell with '$' doubled for make:
    /// every tree entry at its /usr/src path (dkms.conf excepted: dh_dkms installs it from debian/NAME.dkms) and every
    /// project file at its destination.
    /// </summary>
    private static ScriptArray InstallEntries(PackageSpec spec)
    {
        static string Quoted(string value) => TemplateFunctions.ShellQuote(value).Replace("$", "$$", StringComparison.Ordinal);
        string conf = spec.SourceDirectory + "/dkms.conf";
        var entries = new ScriptArray();
        foreach (PackageEntry entry in spec.SourceEntries.Where(e => e.Path != conf))
        {
            entries.Add(Entry(entry, entry.Path.Length > spec.SourceDirectory.Length ? entry.Path[(spec.SourceDirectory.Length + 1)..] : string.Empty));
        }

        foreach (PackageEntry extra in spec.ExtraEntries)
        {
            entries.Add(Entry(extra, extra.TreePath ?? string.Empty));
        }

        return entries;

        ScriptObject Entry(PackageEntry entry, string from) => new()
        {
            ["kind"] = entry.Kind.ToString().ToLowerInvariant(),
            ["from"] = Quoted(from.Length == 0 ? "." : from),
            ["to"] = Quoted(entry.Path),
            ["parent"] = Quoted(entry.Path[..Math.Max(0, entry.Path.LastIndexOf('/'))]),
            ["mode"] = Convert.ToString(entry.Permissions, 8).PadLeft(4, '0'),
            ["target"] = Quoted(entry.LinkTarget ?? string.Empty),
        };
    }

    private static void WriteOrig(PackageSpec spec, string? given, Stream output)
    {
        if (given is null)
        {
            SourceTarball.Write(spec, output);
            return;
        }

        using FileStream file = File.OpenRead(given);
        file.CopyTo(output);
    }

    /// <summary>debian.tar.gz: <c>debian/</c> and its files, root:root, dated with the build time, gzip without name or time.</summary>
    private static void WriteDebianTarball(State state, WriteContext context, Stream output)
    {
        long time = state.Spec.BuildTime;
        using (Stream gzip = Compressor.Create(CompressionMethod.Gzip, Compressor.DefaultGzipLevel, output))
        using (var tar = new TarStreamWriter(gzip))
        {
            tar.WriteDirectory("debian/", UnixPermissions.Directory, time);
            bool sourceWritten = false;
            foreach ((string path, int mode, byte[] content) in DebianFiles(state.Spec, state.Identity, state.Options, context.Templates).OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                if (path.StartsWith("source/", StringComparison.Ordinal) && !sourceWritten)
                {
                    tar.WriteDirectory("debian/source/", UnixPermissions.Directory, time);
                    sourceWritten = true;
                }

                tar.WriteFile("debian/" + path, mode, time, content);
            }
        }
    }

    /// <summary>The .dsc (dsc(5)), as dpkg-source -b writes it from debian/control.</summary>
    private static string DscText(State state, WriteContext context)
    {
        PackageSpec spec = state.Spec;
        var text = new StringBuilder();
        text.Append("Format: ").Append(SourceFormat);
        text.Append("Source: ").Append(state.Identity.Name).Append('\n');
        text.Append("Binary: ").Append(state.Identity.Name).Append('\n');
        text.Append("Architecture: all\n");
        text.Append("Version: ").Append(state.Identity.Version).Append('\n');
        text.Append("Maintainer: ").Append(spec.Maintainer).Append('\n');
        if (spec.Homepage is { } homepage)
        {
            text.Append("Homepage: ").Append(homepage).Append('\n');
        }

        text.Append("Standards-Version: ").Append(StandardsVersion).Append('\n');
        text.Append("Build-Depends: debhelper-compat (= 13), dh-sequence-dkms\n");
        text.Append("Package-List:\n ").Append(state.Identity.Name).Append(" deb ").Append(Section).Append(' ').Append(Priority).Append(" arch=all\n");
        (string Name, Checksums Sums)[] files = [(state.OrigName, state.Orig!), (state.DebianName, state.Debian!)];
        AppendChecksums(text, files, extra: null);
        return text.ToString();
    }

    /// <summary>The _source.changes (deb-changes(5)), as dpkg-genchanges -S writes it.</summary>
    private static string ChangesText(State state, WriteContext context)
    {
        PackageSpec spec = state.Spec;
        ScriptObject model = Model(spec, state.Identity, state.Options);
        var newest = (ScriptObject)((ScriptArray)model["changelog"]!)[0]!;
        string changelog = TemplateRenderer.Render(context.Templates, ChangelogTemplate, model);
        string firstEntry = changelog.Split("\n -- ", 2)[0].TrimEnd('\n');
        var text = new StringBuilder();
        text.Append("Format: ").Append(ChangesFormat).Append('\n');
        text.Append("Date: ").Append(newest["date_rfc2822"]).Append('\n');
        text.Append("Source: ").Append(state.Identity.Name).Append('\n');
        text.Append("Architecture: source\n");
        text.Append("Version: ").Append(state.Identity.Version).Append('\n');
        text.Append("Distribution: ").Append(newest["distribution"]).Append('\n');
        text.Append("Urgency: ").Append(newest["urgency"]).Append('\n');
        text.Append("Maintainer: ").Append(spec.Maintainer).Append('\n');
        text.Append("Changed-By: ").Append(newest["author"]).Append('\n');
        text.Append("Description:\n ").Append(state.Identity.Name).Append(" - ").Append(spec.Summary).Append('\n');
        text.Append("Changes:\n");
        foreach (string line in firstEntry.Split('\n'))
        {
            text.Append(' ').Append(line.Length == 0 ? "." : line).Append('\n');
        }

        (string Name, Checksums Sums)[] files = [(state.Identity.FileName, state.Dsc!), (state.OrigName, state.Orig!), (state.DebianName, state.Debian!)];
        AppendChecksums(text, files, extra: $"{Section} {Priority} ");
        return text.ToString();
    }

    /// <summary>Checksums-Sha1, Checksums-Sha256 and Files (MD5; with section and priority in a .changes).</summary>
    private static void AppendChecksums(StringBuilder text, (string Name, Checksums Sums)[] files, string? extra)
    {
        string Line(string digest, Checksums sums, string name, string? middle) =>
            string.Create(CultureInfo.InvariantCulture, $" {digest} {sums.Size} {middle}{name}\n");
        text.Append("Checksums-Sha1:\n");
        foreach ((string name, Checksums sums) in files)
        {
            text.Append(Line(sums.Sha1, sums, name, null));
        }

        text.Append("Checksums-Sha256:\n");
        foreach ((string name, Checksums sums) in files)
        {
            text.Append(Line(sums.Sha256, sums, name, null));
        }

        text.Append("Files:\n");
        foreach ((string name, Checksums sums) in files)
        {
            text.Append(Line(sums.Md5, sums, name, extra));
        }
    }

    /// <summary>With a key, the text OpenPGP clear-signed as debsign does (dated with the build time); else as it is.</summary>
    private static string Sign(WriteContext context, PackageSpec spec, string text) =>
        context.Signer is { } signer ? signer.ClearSign(text, spec.BuildTime) : text;

    private static Checksums Hashed(Stream output, Action<Stream> write)
    {
        using var hashing = new ChecksumStream(output);
        write(hashing);
        hashing.Flush();
        return hashing.Result();
    }

    private static string WithoutEpoch(string version) => version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>A suite or codename as dpkg-source accepts in a changelog (letters, digits, '+', '-', '.'; lowercase by convention).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DistributionName();

    /// <summary>What the four outputs share: each later one lists the checksums of those written before it.</summary>
    private sealed class State(PackageSpec spec, PackageIdentity identity, SourcePackageRequest options, string origName, string debianName)
    {
        public PackageSpec Spec { get; } = spec;

        public PackageIdentity Identity { get; } = identity;

        public SourcePackageRequest Options { get; } = options;

        public string OrigName { get; } = origName;

        public string DebianName { get; } = debianName;

        public Checksums? Orig { get; set; }

        public Checksums? Debian { get; set; }

        public Checksums? Dsc { get; set; }
    }
}
