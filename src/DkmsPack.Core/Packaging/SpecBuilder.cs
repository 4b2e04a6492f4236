using System.Globalization;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Licensing;
using DkmsPack.Model;
using DkmsPack.Project;
using DkmsPack.Source;

namespace DkmsPack.Packaging;

/// <summary>
/// Turns a <see cref="BuildRequest"/> into a validated <see cref="PackageSpec"/>: reads dkms.conf, lists the tree,
/// and derives what the user did not give. The only place that reads the module tree's metadata.
/// </summary>
public static class SpecBuilder
{
    public const string DkmsConfName = "dkms.conf";

    /// <summary>Used when no maintainer is given: .invalid (RFC 2606) says plainly that it is no real address.</summary>
    public const string PlaceholderMaintainer = "Unknown Packager <unknown@example.invalid>";

    /// <summary>The result, with the warnings (dkms.conf's and our own) for the caller to show.</summary>
    public sealed record Result(PackageSpec Spec, DkmsConf Conf, IReadOnlyList<Diagnostic> Warnings);

    public static Result Build(BuildRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.SourceDirectory))
        {
            throw DkmsPackException.Options("the source directory is an empty string", "give the module's source tree (the directory holding dkms.conf), e.g. .");
        }

        if (string.IsNullOrWhiteSpace(request.OutputDirectory))
        {
            throw DkmsPackException.Options($"{OptionRef.To("output")} is an empty string", "give the directory to write the packages to, e.g. dist/");
        }

        long? clamp = ParseSourceDateEpoch(request.SourceDateEpoch);
        string root = Path.GetFullPath(request.SourceDirectory);
        if (!Directory.Exists(root))
        {
            throw DkmsPackException.Input(request.SourceDirectory, "no such directory", "give the module's source tree (the directory holding dkms.conf)");
        }

        string confPath = Path.Combine(root, DkmsConfName);
        string confDisplay = Path.Combine(request.SourceDirectory, DkmsConfName);
        DkmsConfFileContent confFile = DkmsConfFile.Read(confPath, confDisplay);

        DkmsConf conf = DkmsConfReader.Read(confFile.Text, confDisplay, new DkmsConfOptions
        {
            Version = request.Version,
            ProbeTree = relative => Probe(root, relative),
        });

        long buildTime = clamp ?? now.ToUnixTimeSeconds();
        string installDirectory = $"usr/src/{conf.PackageName}-{conf.PackageVersion}";
        ProjectParts project = ProjectResolver.Resolve(request.Project, root, installDirectory, clamp, buildTime);
        TreePathFilter isExcluded = ExclusionRules.ForTree(root, request.OutputDirectory, request.Excludes).AlsoExcluding(project.TreeExclusions);
        List<PackageEntry> entries = SourceTree.Scan(root, installDirectory, clamp, buildTime, isExcluded);
        ProjectResolver.PruneEmptied(entries, project, installDirectory);
        ShipConfContent(entries, $"{installDirectory}/{DkmsConfName}", confFile.Encode(conf.PackagedText));
        // The sources are read only for what the options leave open: on a large tree that read is a tenth of the run.
        SourceMetadata.Findings found = request.License is not null && request.Copyright is not null
            ? SourceMetadata.Findings.Nothing
            : SourceMetadata.Read(entries, installDirectory, request.SourceDirectory);

        var warnings = new List<Diagnostic>(conf.Warnings);
        warnings.AddRange(LegacyDkmsPackaging.Findings(root, request.SourceDirectory, conf, request.NamedModule));
        warnings.AddRange(request.License is null ? found.LicenseWarnings : []);
        string license = request.License is { } givenLicense ? LicenseOption.Normalise(givenLicense, warnings) : found.License?.ToString()
            ?? throw new DkmsPackException([.. warnings, Diagnostic.Error(request.SourceDirectory, 0, "cannot tell the module's licence (no usable SPDX-License-Identifier tag or MODULE_LICENSE in the sources)", $"pass {OptionRef.To("license")} with an SPDX expression such as GPL-2.0-only")], ExitCode.InvalidInput);
        string maintainer = request.Maintainer ?? DefaultMaintainer(request.Environment) ?? PlaceholderMaintainer;
        if (ReferenceEquals(maintainer, PlaceholderMaintainer))
        {
            warnings.Add(Diagnostic.Warning(null, 0, $"no {OptionRef.To("maintainer")} given (nor DEBFULLNAME and DEBEMAIL); the package says \"{PlaceholderMaintainer}\"", $"pass {OptionRef.To("maintainer")} before publishing it"));
        }

        string modules = string.Join(", ", conf.Modules.Select(m => m.DestModuleName));
        Dictionary<string, string> dependsMap = DerivedRelationships.ParseMap(request.DependsMap);
        warnings.AddRange(DerivedRelationships.UnusedMappings(conf, dependsMap));

        var spec = new PackageSpec
        {
            ModuleName = conf.PackageName,
            ModuleVersion = conf.PackageVersion,
            Revision = request.Revision,
            Maintainer = SingleLine(maintainer, "maintainer"),
            Summary = Synopsis(request.Summary ?? $"DKMS source of the {conf.PackageName} kernel module"),
            Description = request.Description is { } description ? Paragraphs(description) : DefaultDescription(conf.PackageName, modules),
            License = license,
            Copyright = request.Copyright is { } givenCopyright ? SingleLine(givenCopyright, "copyright") : found.CopyrightField(maintainer, buildTime),
            Homepage = request.Homepage is null ? null : Url(request.Homepage),
            UsesBuildExclusiveConfig = conf.UsesBuildExclusiveConfig,
            AutoInstall = conf.AutoInstall,
            SourceEntries = entries,
            ExtraEntries = project.ExtraEntries,
            Relationships = DerivedRelationships.For(conf, dependsMap).Under(project.Relationships),
            Changelog = [.. project.Changelog.Select(e => e.Author.Length > 0 ? e : e with { Author = SingleLine(maintainer, "maintainer") })],
            Hooks = project.Hooks,
            BuildTime = buildTime,
            Compression = request.Compression,
            CompressionChosen = request.CompressionChosen,
            CompressionLevel = request.CompressionLevel,
            CompressionExtreme = request.CompressionExtreme,
        };
        return new Result(spec, conf, warnings);
    }

    /// <summary>
    /// SOURCE_DATE_EPOCH as the reproducible-builds spec defines it: a decimal count of seconds. It dates every
    /// package, and RPM's BUILDTIME and cpio's mtime fields hold 32 bits, so it must stop at 2106-02-07.
    /// </summary>
    public static long? ParseSourceDateEpoch(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds > SourceTree.LatestModifiedTime)
        {
            throw DkmsPackException.Options($"SOURCE_DATE_EPOCH={value} is after 2106-02-07, beyond the 32-bit times of RPM and cpio", "set it to e.g. $(git log -1 --format=%ct)");
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            ? seconds
            : throw DkmsPackException.Options($"SOURCE_DATE_EPOCH=\"{value}\" is not a whole number of seconds since 1970", "set it to e.g. $(git log -1 --format=%ct)");
    }

    private static TreeFileKind Probe(string root, string relative)
    {
        string path = Path.Combine(root, relative);
        if (Directory.Exists(path))
        {
            return TreeFileKind.Directory;
        }

        if (!File.Exists(path))
        {
            return TreeFileKind.Missing;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0 ? TreeFileKind.ExecutableFile : TreeFileKind.File;
    }

    private static string? DefaultMaintainer(IReadOnlyDictionary<string, string> environment)
    {
        string? name = environment.GetValueOrDefault("DEBFULLNAME") ?? environment.GetValueOrDefault("NAME");
        string? email = environment.GetValueOrDefault("DEBEMAIL") ?? environment.GetValueOrDefault("EMAIL");
        if (!string.IsNullOrWhiteSpace(name) && !string.IsNullOrWhiteSpace(email))
        {
            return $"{name} <{email}>";
        }

        return null;
    }

    private static string DefaultDescription(string name, string modules) =>
        $"This package provides the source code of the {name} Linux kernel module{(modules.Length > 0 ? $" ({modules})" : string.Empty)}. "
        + "DKMS builds and installs it for every installed kernel that has headers, and rebuilds it when a new kernel is installed.";

    /// <summary>
    /// dkms.conf is shipped as the bytes that were read and validated (rewritten only where --version replaced the
    /// version): never re-read from disk after validation, and a symlinked dkms.conf becomes a file, since DKMS on the
    /// target reads /usr/src/NAME-VERSION/dkms.conf, where the link's target would not exist.
    /// </summary>
    private static void ShipConfContent(List<PackageEntry> entries, string confPath, byte[] packaged)
    {
        int index = entries.FindIndex(e => e.Path == confPath);
        if (index >= 0)
        {
            PackageEntry entry = entries[index];
            int permissions = entry.Kind == EntryKind.File ? entry.Permissions : UnixPermissions.Regular;
            entries[index] = PackageEntry.File(confPath, permissions, new MemoryContent(packaged), entry.ModifiedTime);
        }
    }

    /// <summary>The one-line synopsis without trailing dots, which must leave some text (lintian: empty synopsis is an error).</summary>
    private static string Synopsis(string value)
    {
        string synopsis = SingleLine(value, "summary").TrimEnd('.').TrimEnd();
        return synopsis.Length > 0
            ? synopsis
            : throw DkmsPackException.Options($"{OptionRef.To("summary")} \"{value}\" has no text besides dots", "give a one-line synopsis");
    }

    /// <summary>
    /// A long description: lines and blank-line paragraphs, nothing else; a control character or terminal escape would
    /// reach Description fields and terminals verbatim.
    /// </summary>
    private static string Paragraphs(string value)
    {
        string text = value.ReplaceLineEndings("\n").Trim();
        if (text.Length == 0 || text.Any(c => char.IsControl(c) && c != '\n'))
        {
            throw DkmsPackException.Options($"{OptionRef.To("description")} must be non-empty text of lines, without control characters or terminal escapes");
        }

        return text;
    }

    /// <summary>A homepage is one token: Debian's Homepage field and RPM's URL tag take a URL, with no spaces.</summary>
    private static string Url(string value)
    {
        string url = SingleLine(value, "homepage");
        return url.Any(char.IsWhiteSpace)
            ? throw DkmsPackException.Options($"{OptionRef.To("homepage")} \"{value}\" is not a URL: it holds spaces", "percent-encode them as %20")
            : url;
    }

    /// <summary>Control fields and RPM tags are line-based: a newline in a value would inject fields.</summary>
    private static string SingleLine(string value, string option)
    {
        string trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Any(char.IsControl))
        {
            throw DkmsPackException.Options($"{OptionRef.To(option)} \"{value.ReplaceLineEndings(" ")}\" must be one non-empty line without control characters");
        }

        return trimmed;
    }
}
