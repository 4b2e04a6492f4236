using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DkmsPack.Archives.Rpm;

namespace DkmsPack.Repository.Rpm;

/// <summary>One package's entries in the three metadata files, and its identity.</summary>
public sealed record RpmMetadataEntry(string PkgId, string Name, string Arch, string Epoch, string Version, string Release, string Location, XElement Primary, XElement Filelists, XElement Other)
{
    public (string Name, string Arch, string Epoch, string Version, string Release) Key => (Name, Arch, Epoch, Version, Release);

    public (string, string, string) Evr => (Epoch, Version, Release);
}

/// <summary>
/// Turns an RPM header into its <c>primary</c>, <c>filelists</c> and <c>other</c> entries as createrepo_c writes
/// them (createrepo_c's parsehdr.c and xml_dump_*.c; the format is described in docs/repository.md): the same
/// dependency filtering (no <c>rpmlib(…)</c> requires, none that the package itself provides, none naming one of its
/// primary files, a repeat of the previous requirement of a name dropped, <c>pre="1"</c> for pre/post-script
/// requirements), the same primary-file rule, the ten newest changelog entries oldest first, and the header range.
/// </summary>
public static partial class RpmMetadata
{
    public static readonly XNamespace Common = "http://linux.duke.edu/metadata/common";
    public static readonly XNamespace Rpm = "http://linux.duke.edu/metadata/rpm";
    public static readonly XNamespace Filelists = "http://linux.duke.edu/metadata/filelists";
    public static readonly XNamespace Other = "http://linux.duke.edu/metadata/other";

    /// <summary>createrepo_c's default --changelog-limit.</summary>
    public const int ChangelogLimit = 10;

    // Tags this code reads that the package writer never writes (rpm's rpmtag.h).
    private const RpmTag SupplementName = (RpmTag)5052;
    private const RpmTag SupplementVersion = (RpmTag)5053;
    private const RpmTag SupplementFlags = (RpmTag)5054;
    private const RpmTag EnhanceName = (RpmTag)5055;
    private const RpmTag EnhanceVersion = (RpmTag)5056;
    private const RpmTag EnhanceFlags = (RpmTag)5057;

    /// <summary>The signature header's RPMSIGTAG_PAYLOADSIZE, which rpm shows as ARCHIVESIZE when the main header has none.</summary>
    private const RpmTag SignaturePayloadSize = (RpmTag)1007;

    // rpmds.h sense flags.
    private const uint SenseLess = 1 << 1;
    private const uint SenseGreater = 1 << 2;
    private const uint SenseEqual = 1 << 3;
    private const uint SensePrereq = 1 << 6;
    private const uint SenseScriptPre = 1 << 9;
    private const uint SenseScriptPost = 1 << 10;

    // rpmfiles.h
    private const uint FileGhost = 1 << 6;
    private const uint ModeTypeMask = 0xF000;
    private const uint ModeDirectory = 0x4000;

    /// <summary>The entries of a package file: <paramref name="package"/> read up to its payload, the file's sha256, size and mtime.</summary>
    public static RpmMetadataEntry FromPackage(RpmPackageReader package, string pkgId, long fileSize, long fileTime, string location)
    {
        ArgumentNullException.ThrowIfNull(package);
        RpmHeaderReader h = package.Header;
        string name = Text(h, RpmTag.Name);
        string arch = h.Contains(RpmTag.SourcePackage) ? "src" : Text(h, RpmTag.Arch);
        string epoch = h.Contains(RpmTag.Epoch) ? RepositoryContext.Decimal(h.GetInt32(RpmTag.Epoch)) : "0";
        string version = Text(h, RpmTag.Version);
        string release = Text(h, RpmTag.Release);
        List<(string Path, string Type)> files = Files(h);
        var fileNames = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);

        List<Dependency> provides = Dependencies(h, RpmTag.ProvideName, RpmTag.ProvideFlags, RpmTag.ProvideVersion);
        var provided = provides.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        List<Dependency> requires = Requires(h, fileNames, provided);
        long archiveSize = h.Contains(RpmTag.ArchiveSize) ? h.GetInt32(RpmTag.ArchiveSize)
            : package.Signature.Contains(SignaturePayloadSize) ? package.Signature.GetInt32(SignaturePayloadSize) : 0;
        long installedSize = h.Contains(RpmTag.Size) ? h.GetInt32(RpmTag.Size) : h.Contains(RpmTag.LongSize) ? (long)h.GetInt64(RpmTag.LongSize) : 0;

        var format = new XElement(
            Common + "format",
            new XElement(Rpm + "license", Text(h, RpmTag.License)),
            new XElement(Rpm + "vendor", Text(h, RpmTag.Vendor)),
            new XElement(Rpm + "group", Text(h, RpmTag.Group)),
            new XElement(Rpm + "buildhost", Text(h, RpmTag.BuildHost)),
            new XElement(Rpm + "sourcerpm", Text(h, RpmTag.SourceRpm)),
            new XElement(Rpm + "header-range", new XAttribute("start", RepositoryContext.Decimal(package.HeaderOffset)), new XAttribute("end", RepositoryContext.Decimal(package.PayloadOffset))));
        foreach ((string element, List<Dependency> list) in (ReadOnlySpan<(string, List<Dependency>)>)
        [
            ("provides", provides),
            ("requires", requires),
            ("conflicts", Dependencies(h, RpmTag.ConflictName, RpmTag.ConflictFlags, RpmTag.ConflictVersion)),
            ("obsoletes", Dependencies(h, RpmTag.ObsoleteName, RpmTag.ObsoleteFlags, RpmTag.ObsoleteVersion)),
            ("suggests", Dependencies(h, RpmTag.SuggestName, RpmTag.SuggestFlags, RpmTag.SuggestVersion)),
            ("enhances", Dependencies(h, EnhanceName, EnhanceFlags, EnhanceVersion)),
            ("recommends", Dependencies(h, RpmTag.RecommendName, RpmTag.RecommendFlags, RpmTag.RecommendVersion)),
            ("supplements", Dependencies(h, SupplementName, SupplementFlags, SupplementVersion)),
        ])
        {
            if (list.Count > 0)
            {
                format.Add(new XElement(Rpm + element, list.Select(d => d.ToXml(element == "requires"))));
            }
        }

        format.Add(files.Where(f => IsPrimaryFile(f.Path)).Select(f => FileElement(Common, f)));

        var primary = new XElement(
            Common + "package",
            new XAttribute("type", "rpm"),
            new XElement(Common + "name", name),
            new XElement(Common + "arch", arch),
            VersionElement(Common, epoch, version, release),
            new XElement(Common + "checksum", new XAttribute("type", "sha256"), new XAttribute("pkgid", "YES"), pkgId),
            new XElement(Common + "summary", Text(h, RpmTag.Summary)),
            new XElement(Common + "description", Text(h, RpmTag.Description)),
            new XElement(Common + "packager", Text(h, RpmTag.Packager)),
            new XElement(Common + "url", Text(h, RpmTag.Url)),
            new XElement(Common + "time", new XAttribute("file", RepositoryContext.Decimal(fileTime)), new XAttribute("build", RepositoryContext.Decimal(h.Contains(RpmTag.BuildTime) ? h.GetInt32(RpmTag.BuildTime) : 0))),
            new XElement(Common + "size", new XAttribute("package", RepositoryContext.Decimal(fileSize)), new XAttribute("installed", RepositoryContext.Decimal(installedSize)), new XAttribute("archive", RepositoryContext.Decimal(archiveSize))),
            new XElement(Common + "location", new XAttribute("href", location)),
            format);

        var filelists = new XElement(Filelists + "package", Identity(pkgId, name, arch), VersionElement(Filelists, epoch, version, release), files.Select(f => FileElement(Filelists, f)));
        var other = new XElement(Other + "package", Identity(pkgId, name, arch), VersionElement(Other, epoch, version, release), Changelog(h));
        return new RpmMetadataEntry(pkgId, name, arch, epoch, version, release, location, primary, filelists, other);
    }

    /// <summary>An entry of existing metadata (primary, filelists and other matched by pkgid).</summary>
    /// <exception cref="FormatException">A field the repository relies on is missing or malformed.</exception>
    public static RpmMetadataEntry FromMetadata(XElement primary, XElement filelists, XElement other)
    {
        ArgumentNullException.ThrowIfNull(primary);
        string pkgId = primary.Element(Common + "checksum")?.Value ?? throw new FormatException("a package has no checksum");
        string name = primary.Element(Common + "name")?.Value ?? throw new FormatException($"package {pkgId} has no name");
        string arch = primary.Element(Common + "arch")?.Value ?? throw new FormatException($"package {name} has no arch");
        XElement version = primary.Element(Common + "version") ?? throw new FormatException($"package {name} has no version");
        string location = primary.Element(Common + "location")?.Attribute("href")?.Value ?? throw new FormatException($"package {name} has no location");
        if (!RepositoryNames.IsInside(location, RpmRepository.PackagesDirectory))
        {
            throw new FormatException($"package {name} has the location \"{location}\", not a path inside {RpmRepository.PackagesDirectory}/");
        }

        if (!Sha256Hex().IsMatch(pkgId))
        {
            throw new FormatException($"package {name} has the checksum \"{pkgId}\", not a sha256");
        }

        return new RpmMetadataEntry(pkgId, name, arch, (string?)version.Attribute("epoch") ?? "0", (string?)version.Attribute("ver") ?? string.Empty, (string?)version.Attribute("rel") ?? string.Empty, location, primary, filelists, other);
    }

    /// <summary>Names, versions and architectures become a file name: only the characters rpm names use.</summary>
    public static bool IsPlainName(string value) => PlainName().IsMatch(value);

    // cr_is_primary: the files that primary.xml lists, so that file requirements on them resolve without filelists.
    internal static bool IsPrimaryFile(string path) =>
        path.StartsWith("/etc/", StringComparison.Ordinal) || path == "/usr/lib/sendmail" || path.Contains("bin/", StringComparison.Ordinal);

    private static XElement FileElement(XNamespace ns, (string Path, string Type) file) =>
        file.Type.Length == 0 ? new XElement(ns + "file", file.Path) : new XElement(ns + "file", new XAttribute("type", file.Type), file.Path);

    private static XAttribute[] Identity(string pkgId, string name, string arch) => [new("pkgid", pkgId), new("name", name), new("arch", arch)];

    private static XElement VersionElement(XNamespace ns, string epoch, string version, string release) =>
        new(ns + "version", new XAttribute("epoch", epoch), new XAttribute("ver", version), new XAttribute("rel", release));

    private static List<(string Path, string Type)> Files(RpmHeaderReader h)
    {
        if (!h.Contains(RpmTag.BaseNames))
        {
            return [];
        }

        IReadOnlyList<string> baseNames = h.GetStringArray(RpmTag.BaseNames);
        IReadOnlyList<string> dirNames = h.GetStringArray(RpmTag.DirNames);
        IReadOnlyList<uint> dirIndexes = h.GetInt32Array(RpmTag.DirIndexes);
        IReadOnlyList<ushort> modes = h.GetInt16Array(RpmTag.FileModes);
        IReadOnlyList<uint> flags = h.Contains(RpmTag.FileFlags) ? h.GetInt32Array(RpmTag.FileFlags) : new uint[baseNames.Count];
        if (dirIndexes.Count != baseNames.Count || modes.Count != baseNames.Count || flags.Count != baseNames.Count || dirIndexes.Any(i => i >= dirNames.Count))
        {
            throw new InvalidDataException("rpm header: the file tables (BASENAMES, DIRINDEXES, FILEMODES, FILEFLAGS) do not agree");
        }

        var files = new List<(string, string)>(baseNames.Count);
        for (int i = 0; i < baseNames.Count; i++)
        {
            string type = (modes[i] & ModeTypeMask) == ModeDirectory ? "dir" : (flags[i] & FileGhost) != 0 ? "ghost" : string.Empty;
            files.Add((Clean(dirNames[(int)dirIndexes[i]] + baseNames[i]), type));
        }

        return files;
    }

    private static List<Dependency> Dependencies(RpmHeaderReader h, RpmTag nameTag, RpmTag flagsTag, RpmTag versionTag)
    {
        if (!h.Contains(nameTag))
        {
            return [];
        }

        IReadOnlyList<string> names = h.GetStringArray(nameTag);
        IReadOnlyList<uint> flags = h.Contains(flagsTag) ? h.GetInt32Array(flagsTag) : new uint[names.Count];
        IReadOnlyList<string> versions = h.Contains(versionTag) ? h.GetStringArray(versionTag) : [.. names.Select(_ => string.Empty)];
        if (flags.Count != names.Count || versions.Count != names.Count)
        {
            throw new InvalidDataException($"rpm header: the {nameTag} table and its flags or versions differ in length");
        }

        return [.. names.Select((n, i) => new Dependency(Clean(n), flags[i], Clean(versions[i]), Pre: false))];
    }

    private static List<Dependency> Requires(RpmHeaderReader h, HashSet<string> fileNames, HashSet<string> provided)
    {
        var kept = new List<Dependency>();
        var lastByName = new Dictionary<string, Dependency>(StringComparer.Ordinal);
        Dependency? libc = null;
        foreach (Dependency candidate in Dependencies(h, RpmTag.RequireName, RpmTag.RequireFlags, RpmTag.RequireVersion))
        {
            if (candidate.Name.StartsWith("rpmlib(", StringComparison.Ordinal)
                || (fileNames.Contains(candidate.Name) && IsPrimaryFile(candidate.Name))
                || provided.Contains(candidate.Name))
            {
                continue;
            }

            Dependency requirement = candidate with { Pre = (candidate.Flags & (SensePrereq | SenseScriptPre | SenseScriptPost)) != 0 };
            if (lastByName.TryGetValue(requirement.Name, out Dependency? last) && last.Operator == requirement.Operator && last.Evr == requirement.Evr && last.Pre == requirement.Pre)
            {
                continue;
            }

            // Of the libc.so.6 requirements only the highest symbol version is kept, and it goes last.
            if (requirement.Name.StartsWith("libc.so.6", StringComparison.Ordinal))
            {
                if (libc is null || CompareLibc(libc.Name, requirement.Name) == 2)
                {
                    libc = requirement;
                }

                continue;
            }

            kept.Add(requirement);
            lastByName[requirement.Name] = requirement;
        }

        if (libc is not null)
        {
            kept.Add(libc);
        }

        return kept;
    }

    // cr_compare_dependency: 2 when the second name's parenthesised version is higher.
    private static int CompareLibc(string first, string second)
    {
        static string? Inner(string name)
        {
            int open = name.IndexOf('(', StringComparison.Ordinal);
            int close = open < 0 ? -1 : name.IndexOf(')', open);
            if (open < 0 || close < 0)
            {
                return null;
            }

            string inside = name[(open + 1)..close];
            int digit = inside.AsSpan().IndexOfAnyInRange('0', '9');
            return digit < 0 ? string.Empty : inside[digit..];
        }

        string? a = Inner(first);
        string? b = Inner(second);
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 2) : 1;
        }

        int compared = RpmVersion.VerCmp(a, b);
        return compared < 0 ? 2 : compared;
    }

    private static IEnumerable<XElement> Changelog(RpmHeaderReader h)
    {
        if (!h.Contains(RpmTag.ChangelogTime) || !h.Contains(RpmTag.ChangelogName) || !h.Contains(RpmTag.ChangelogText))
        {
            return [];
        }

        IReadOnlyList<uint> times = h.GetInt32Array(RpmTag.ChangelogTime);
        IReadOnlyList<string> names = h.GetStringArray(RpmTag.ChangelogName);
        IReadOnlyList<string> texts = h.GetStringArray(RpmTag.ChangelogText);
        int count = Math.Min(ChangelogLimit, Math.Min(times.Count, Math.Min(names.Count, texts.Count)));

        // The header lists the newest first; createrepo_c keeps the newest ten and writes them oldest first,
        // moving an entry's date one second later for each newer entry of the same date (so dates stay unique).
        var entries = new List<(string Author, long Date, string Text)>();
        for (int i = 0; i < count; i++)
        {
            entries.Insert(0, (Clean(names[i]).TrimEnd(' '), times[i], Clean(texts[i])));
            if (i > 0 && times[i] == times[i - 1])
            {
                long date = times[i];
                for (int k = 1; k < entries.Count && entries[k].Date == date; k++, date++)
                {
                    entries[k] = entries[k] with { Date = entries[k].Date + 1 };
                }
            }
        }

        return entries.Select(e => new XElement(Other + "changelog", new XAttribute("author", e.Author), new XAttribute("date", RepositoryContext.Decimal(e.Date)), e.Text));
    }

    private static string Text(RpmHeaderReader h, RpmTag tag) => h.Contains(tag) ? Clean(h.GetString(tag)) : string.Empty;

    /// <summary>Drops the characters XML 1.0 cannot carry (control characters other than tab and newlines), as createrepo_c does.</summary>
    private static string Clean(string value)
    {
        if (!value.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r'))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        foreach (char c in value.Where(c => c >= ' ' || c is '\t' or '\n' or '\r'))
        {
            text.Append(c);
        }

        return text.ToString();
    }

    private sealed record Dependency(string Name, uint Flags, string Version, bool Pre)
    {
        public string? Operator => (Flags & (SenseLess | SenseGreater | SenseEqual)) switch
        {
            SenseLess => "LT",
            SenseGreater => "GT",
            SenseEqual => "EQ",
            SenseLess | SenseEqual => "LE",
            SenseGreater | SenseEqual => "GE",
            _ => null,
        };

        public string Evr => Version;

        // cr_str_to_evr: EPOCH:VERSION-RELEASE, epoch 0 when absent, release after the last '-'.
        public XElement ToXml(bool withPre)
        {
            var entry = new XElement(Rpm + "entry", new XAttribute("name", Name));
            if (Operator is { } op)
            {
                entry.Add(new XAttribute("flags", op));
            }

            if (Version.Length > 0)
            {
                int colon = Version.IndexOf(':', StringComparison.Ordinal);
                string epoch = colon > 0 && Version[..colon].All(char.IsAsciiDigit) ? Version[..colon] : "0";
                string rest = colon >= 0 ? Version[(colon + 1)..] : Version;
                int dash = rest.LastIndexOf('-');
                entry.Add(new XAttribute("epoch", epoch), new XAttribute("ver", dash < 0 ? rest : rest[..dash]));
                if (dash >= 0)
                {
                    entry.Add(new XAttribute("rel", rest[(dash + 1)..]));
                }
            }

            if (withPre && Pre)
            {
                entry.Add(new XAttribute("pre", "1"));
            }

            return entry;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_+.^~-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
