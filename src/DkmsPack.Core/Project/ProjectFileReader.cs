using System.Globalization;
using System.Text;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Model;
using Tomlyn;

namespace DkmsPack.Project;

/// <summary>
/// Reads dkmspack.toml (TOML 1.1, through Tomlyn's syntax tree). Every key is known: an unknown key, a value of the
/// wrong type or form is a finding with its line, and all findings of the file are collected, not just the first.
/// </summary>
public static class ProjectFileReader
{
    /// <summary>A project file is small; a bigger one is a mistake (a wrong --config), not something to parse.</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly Dictionary<string, RelationshipKind> s_relationshipKeys = new(StringComparer.Ordinal)
    {
        ["depends"] = RelationshipKind.Depends,
        ["recommends"] = RelationshipKind.Recommends,
        ["suggests"] = RelationshipKind.Suggests,
        ["breaks"] = RelationshipKind.Breaks,
        ["conflicts"] = RelationshipKind.Conflicts,
        ["replaces"] = RelationshipKind.Replaces,
        ["provides"] = RelationshipKind.Provides,
    };

    private static readonly Dictionary<string, HookPoint> s_hookKeys = new(StringComparer.Ordinal)
    {
        ["post-install"] = HookPoint.PostInstall,
        ["pre-remove"] = HookPoint.PreRemove,
        ["post-remove"] = HookPoint.PostRemove,
    };

    private static readonly string[] s_formats = ["deb", "rpm"];

    /// <summary>
    /// The project file of a build: <paramref name="configPath"/> when given (it must exist), else dkmspack.toml in
    /// <paramref name="sourceDirectory"/> when there is one, else null.
    /// </summary>
    public static ProjectFile? Find(string sourceDirectory, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(sourceDirectory);
        if (configPath is not null)
        {
            return File.Exists(configPath)
                ? Read(configPath, configPath)
                : throw DkmsPackException.Input(configPath, "no such file", $"give {OptionRef.To("config")} the path of a dkmspack.toml, or drop it to use the one beside dkms.conf");
        }

        string beside = Path.Combine(sourceDirectory, ProjectFile.FileName);
        return File.Exists(beside) ? Read(beside, beside) : null;
    }

    /// <summary>Reads and checks the file; its findings are in <see cref="ProjectFile.Errors"/>, unreadable files throw.</summary>
    public static ProjectFile Read(string path, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = ReadText(path, displayPath);
        var errors = new List<Diagnostic>();
        var syntax = new List<(int Line, string Message)>();
        TomlTableNode? root = TomlTree.Parse(text, displayPath, syntax);
        string fullPath = Path.GetFullPath(path);
        if (root is null)
        {
            return new ProjectFile
            {
                DisplayPath = displayPath,
                FullPath = fullPath,
                Errors = [.. syntax.Select(s => Error(displayPath, s.Line, $"not valid TOML: {s.Message.TrimEnd('.')}"))],
            };
        }

        var reader = new Reader(displayPath, Path.GetDirectoryName(fullPath)!, errors);
        return reader.Project(root, fullPath);
    }

    private static string ReadText(string path, string displayPath)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes)
            {
                throw DkmsPackException.Input(displayPath, $"is {info.Length} bytes, more than a project file's {MaxBytes}", "give the path of the project's dkmspack.toml");
            }

            byte[] bytes = File.ReadAllBytes(path);
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw DkmsPackException.Input(displayPath, "is not UTF-8, which TOML requires", "save it as UTF-8");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Input(displayPath, $"cannot be read ({ex.Message.TrimEnd('.')})", "fix its permissions");
        }
    }

    private static Diagnostic Error(string file, int line, string message, string? remedy = null) =>
        Diagnostic.Error(file, line, message, remedy, DiagnosticCode.Project);

    /// <summary>One pass over the tree, collecting findings.</summary>
    private sealed class Reader(string display, string directory, List<Diagnostic> errors)
    {
        public ProjectFile Project(TomlTableNode root, string fullPath)
        {
            Keys(root, null, "version", "revision", "maintainer", "summary", "description", "license", "copyright", "homepage", "compression", "compression-level", "formats", "output", "templates", "exclude", "relationships", "deb", "rpm", "files", "directories", "symlinks", "changelog", "hooks");
            var common = new List<Relationship>();
            var byFormat = new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal);
            var hooks = new List<HookRule>();
            bool? udev = null;
            if (Table(root, "relationships") is { } relationships)
            {
                common.AddRange(Relationships(relationships, "relationships", rpmRules: false));
            }

            if (Table(root, "hooks") is { } hookTable)
            {
                udev = Hooks(hookTable, "hooks", null, hooks);
            }

            foreach (string format in s_formats)
            {
                if (Table(root, format) is not { } formatTable)
                {
                    continue;
                }

                Keys(formatTable, format, "relationships", "hooks");
                if (Table(formatTable, "relationships") is { } own)
                {
                    // A format's list of a kind replaces the common list of that kind; other kinds stay common.
                    List<Relationship> overrides = Relationships(own, $"{format}.relationships", rpmRules: format == "rpm");
                    HashSet<RelationshipKind> given = [.. own.Items.Where(i => s_relationshipKeys.ContainsKey(i.Key)).Select(i => s_relationshipKeys[i.Key])];
                    byFormat[format] = [.. common.Where(r => !given.Contains(r.Kind)), .. overrides];
                }

                if (Table(formatTable, "hooks") is { } formatHooks)
                {
                    Hooks(formatHooks, $"{format}.hooks", format, hooks, allowUdev: false);
                }
            }

            string? compression = String(root, "compression");
            CompressionMethod? method = compression switch
            {
                null => null,
                "gzip" => CompressionMethod.Gzip,
                "zstd" => CompressionMethod.Zstd,
                "xz" => CompressionMethod.Xz,
                "none" => CompressionMethod.None,
                _ => Invalid<CompressionMethod>(root, "compression", $"compression \"{compression}\" is not gzip, zstd, xz or none"),
            };
            (int? level, bool extreme) = CompressionLevel(root);
            if (level is { } l && (method ?? CompressionMethod.Gzip) is var m && Compressor.LevelProblem(m, l, extreme) is { } problem)
            {
                Add(root["compression-level"]!.Line, m == CompressionMethod.None
                    ? "compression-level has no meaning with compression = \"none\""
                    : string.Create(CultureInfo.InvariantCulture, $"compression-level {l}{(extreme ? "e" : string.Empty)} {problem}"));
                (level, extreme) = (null, false);
            }

            List<string>? formats = Strings(root, "formats");
            string[] known = [.. Packaging.PackageFormats.All().Select(format => format.Name)];
            if (formats?.FirstOrDefault(f => !known.Contains(f)) is { } unknown)
            {
                Add(root["formats"]!.Line, $"formats names \"{unknown}\"; the formats are {string.Join(", ", known)}");
                formats = null;
            }

            (string?, int)? changelogFile = null;
            var changelog = new List<ChangelogEntry>();
            switch (root["changelog"])
            {
                case null:
                    break;
                case TomlScalarNode { Value: string file } node:
                    changelogFile = (file, node.Line);
                    break;
                case TomlArrayNode { OfTables: true } entries:
                    changelog.AddRange(entries.Items.OfType<TomlTableNode>().Select(ChangelogEntry).OfType<ChangelogEntry>());
                    break;
                case var other:
                    Add(other.Line, $"changelog must be a string (a Debian changelog file) or [[changelog]] tables, not {other.TypeName}");
                    break;
            }

            return new ProjectFile
            {
                DisplayPath = display,
                FullPath = fullPath,
                Version = String(root, "version"),
                Revision = Revision(root),
                Maintainer = String(root, "maintainer"),
                Summary = String(root, "summary"),
                Description = String(root, "description"),
                License = String(root, "license"),
                Copyright = String(root, "copyright"),
                Homepage = String(root, "homepage"),
                Compression = method,
                CompressionLevel = level,
                CompressionExtreme = extreme,
                Formats = formats,
                Output = String(root, "output") is { } output ? Path.GetFullPath(output, directory) : null,
                Templates = String(root, "templates") is { } templates ? Path.GetFullPath(templates, directory) : null,
                Excludes = Strings(root, "exclude") ?? [],
                Relationships = common.Count == 0 && byFormat.Count == 0 ? RelationshipSet.Empty : new RelationshipSet(common, byFormat),
                Files = [.. Tables(root, "files").Select(FileRule).OfType<ExtraFileRule>()],
                Directories = [.. Tables(root, "directories").Select(DirectoryRule).OfType<ExtraDirectoryRule>()],
                Symlinks = [.. Tables(root, "symlinks").Select(SymlinkRule).OfType<ExtraSymlinkRule>()],
                ChangelogFile = changelogFile is ({ } p, int line) ? (p, line) : null,
                ChangelogEntries = changelog,
                ReloadUdev = udev,
                Hooks = hooks,
                Errors = errors,
            };
        }

        private List<Relationship> Relationships(TomlTableNode table, string name, bool rpmRules)
        {
            Keys(table, name, [.. s_relationshipKeys.Keys]);
            var list = new List<Relationship>();
            foreach ((string key, TomlNode value) in table.Items)
            {
                if (!s_relationshipKeys.TryGetValue(key, out RelationshipKind kind) || Strings(table, key) is not { } texts)
                {
                    continue;
                }

                TomlArrayNode array = (TomlArrayNode)value;
                for (int i = 0; i < texts.Count; i++)
                {
                    if (RelationshipSyntax.Parse(texts[i], kind, rpmRules, out string? error) is { } relationship)
                    {
                        list.Add(relationship);
                    }
                    else
                    {
                        Add(array.Items[i].Line, $"{name}.{key}: {error}");
                    }
                }
            }

            return list;
        }

        private bool? Hooks(TomlTableNode table, string name, string? format, List<HookRule> hooks, bool allowUdev = true)
        {
            Keys(table, name, allowUdev ? ["udev", .. s_hookKeys.Keys] : [.. s_hookKeys.Keys]);
            foreach ((string key, HookPoint point) in s_hookKeys)
            {
                if (String(table, key) is { } source)
                {
                    hooks.Add(new HookRule(point, format, source, table[key]!.Line));
                }
            }

            return allowUdev ? Boolean(table, "udev") : null;
        }

        private ExtraFileRule? FileRule(TomlTableNode table)
        {
            Keys(table, "files", "source", "destination", "mode", "config", "keep-in-source");
            string? source = Required(table, "files", "source");
            string? destination = Required(table, "files", "destination");
            int? mode = Mode(table);
            bool? config = Boolean(table, "config");
            bool keep = Boolean(table, "keep-in-source") ?? false;
            return source is null || destination is null
                ? null
                : new ExtraFileRule(source, destination, mode, config, keep, table.Line, table["source"]!.Line, table["destination"]!.Line);
        }

        private ExtraDirectoryRule? DirectoryRule(TomlTableNode table)
        {
            Keys(table, "directories", "path", "mode");
            string? path = Required(table, "directories", "path");
            int mode = Mode(table) ?? UnixPermissions.Directory;
            return path is null ? null : new ExtraDirectoryRule(path, mode, table["path"]!.Line);
        }

        private ExtraSymlinkRule? SymlinkRule(TomlTableNode table)
        {
            Keys(table, "symlinks", "path", "target");
            string? path = Required(table, "symlinks", "path");
            string? target = Required(table, "symlinks", "target");
            return path is null || target is null ? null : new ExtraSymlinkRule(path, target, table["path"]!.Line);
        }

        private ChangelogEntry? ChangelogEntry(TomlTableNode table)
        {
            Keys(table, "changelog", "version", "date", "author", "changes", "distribution", "urgency");
            string? version = Required(table, "changelog", "version");
            List<string>? changes = Strings(table, "changes");
            string? author = String(table, "author");
            long? time = null;
            switch (table["date"])
            {
                case null:
                    Add(table.Line, "this [[changelog]] entry has no date; add date = 2026-01-31 (or a date-time)");
                    break;
                case TomlScalarNode { Value: TomlDateTime date }:
                    // A local date is taken as that day at 12:00 UTC, the time rpm stores for a %changelog day.
                    time = date.Kind == TomlDateTimeKind.LocalDate ? date.DateTime.ToUnixTimeSeconds() + (12 * 3600) : date.DateTime.ToUnixTimeSeconds();
                    break;
                case var other:
                    Add(other.Line, $"changelog date must be a TOML date (2026-01-31) or date-time, not {other.TypeName}");
                    break;
            }

            if (changes is { Count: 0 })
            {
                Add(table["changes"]!.Line, "changes is empty; list at least one change");
            }
            else if (changes is null && table["changes"] is null)
            {
                Add(table.Line, "this [[changelog]] entry has no changes; add changes = [\"…\"]");
            }

            if (version is not null && !RelationshipSyntax.IsDebianVersion(version))
            {
                Add(table["version"]!.Line, $"changelog version \"{version}\" is not a Debian version ([EPOCH:]UPSTREAM[-REVISION], starting with a digit)");
                version = null;
            }

            if (version is null || time is null || changes is not { Count: > 0 })
            {
                return null;
            }

            // An entry's author defaults to the maintainer, filled in when the spec is built.
            return new ChangelogEntry(version, time.Value, author ?? string.Empty, changes, String(table, "distribution") ?? "unstable", String(table, "urgency") ?? "medium");
        }

        private string? Revision(TomlTableNode table) => table["revision"] switch
        {
            TomlScalarNode { Value: long number } => number.ToString(CultureInfo.InvariantCulture),
            _ => String(table, "revision"),
        };

        private int? Mode(TomlTableNode table)
        {
            switch (table["mode"])
            {
                case null:
                    return null;
                case TomlScalarNode { Value: long number } when number is >= 0 and <= 0b111_111_111:
                    return (int)number;
                case TomlScalarNode { Value: string text } when text.Length is > 0 and <= 4 && text.All(c => c is >= '0' and <= '7') && Convert.ToInt32(text, 8) <= 0b111_111_111:
                    return Convert.ToInt32(text, 8);
                case var other:
                    Add(other.Line, "mode must be permission bits: an octal string such as \"0644\" or an integer such as 0o644, at most 0o777");
                    return null;
            }
        }

        private void Keys(TomlTableNode table, string? name, params string[] known)
        {
            foreach ((string key, TomlNode value) in table.Items)
            {
                if (!known.Contains(key))
                {
                    string where = name is null ? "at the top level" : $"in [{name}]";
                    Add(value.Line, $"unknown key \"{key}\" {where}", $"the keys there are {string.Join(", ", known)}");
                }
            }
        }

        private TomlTableNode? Table(TomlTableNode table, string key) => table[key] switch
        {
            null => null,
            TomlTableNode child => child,
            var other => InvalidReference<TomlTableNode>(table, key, $"{key} must be a table ([{key}]), not {other.TypeName}"),
        };

        private IEnumerable<TomlTableNode> Tables(TomlTableNode table, string key)
        {
            switch (table[key])
            {
                case null:
                    return [];
                case TomlArrayNode array when array.Items.All(i => i is TomlTableNode):
                    return array.Items.Cast<TomlTableNode>();
                case var other:
                    Add(other.Line, $"{key} must be an array of tables ([[{key}]]), not {other.TypeName}");
                    return [];
            }
        }

        private string? Required(TomlTableNode table, string name, string key)
        {
            if (table[key] is null)
            {
                Add(table.Line, $"this [[{name}]] table has no {key}");
                return null;
            }

            string? value = String(table, key);
            if (value is { Length: 0 })
            {
                Add(table[key]!.Line, $"{key} is empty");
                return null;
            }

            return value;
        }

        private string? String(TomlTableNode table, string key) => table[key] switch
        {
            null => null,
            TomlScalarNode { Value: string text } => text,
            var other => InvalidReference<string>(table, key, $"{key} must be a string, not {other.TypeName}"),
        };

        private int? Integer(TomlTableNode table, string key) => table[key] switch
        {
            null => null,
            TomlScalarNode { Value: long number } when number is >= int.MinValue and <= int.MaxValue => (int)number,
            var other => Invalid<int>(table, key, $"{key} must be an integer, not {other.TypeName}"),
        };

        /// <summary>compression-level: an integer, or a string for xz's extreme variant ("9e").</summary>
        private (int? Level, bool Extreme) CompressionLevel(TomlTableNode table)
        {
            const string key = "compression-level";
            switch (table[key])
            {
                case TomlScalarNode { Value: string text } when Compressor.TryParseLevel(text, out int level, out bool extreme):
                    return (level, extreme);
                case TomlScalarNode { Value: string text }:
                    Add(table[key]!.Line, $"{key} \"{text}\" is not a level: write a whole number, or for xz one followed by e (\"9e\")");
                    return (null, false);
                default:
                    return (Integer(table, key), false);
            }
        }

        private bool? Boolean(TomlTableNode table, string key) => table[key] switch
        {
            null => null,
            TomlScalarNode { Value: bool flag } => flag,
            var other => Invalid<bool>(table, key, $"{key} must be true or false, not {other.TypeName}"),
        };

        private List<string>? Strings(TomlTableNode table, string key)
        {
            switch (table[key])
            {
                case null:
                    return null;
                case TomlArrayNode { OfTables: false } array when array.Items.All(i => i is TomlScalarNode { Value: string }):
                    return [.. array.Items.Select(i => (string)((TomlScalarNode)i).Value)];
                case var other:
                    Add(other.Line, $"{key} must be an array of strings, not {(other is TomlArrayNode ? "an array holding other values" : other.TypeName)}");
                    return null;
            }
        }

        private T? Invalid<T>(TomlTableNode table, string key, string message)
            where T : struct
        {
            Add(table[key]!.Line, message);
            return null;
        }

        private T? InvalidReference<T>(TomlTableNode table, string key, string message)
            where T : class
        {
            Add(table[key]!.Line, message);
            return null;
        }

        private void Add(int line, string message, string? remedy = null) => errors.Add(Error(display, line, message, remedy));
    }
}
