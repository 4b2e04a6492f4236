using System.IO.Enumeration;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Source;

namespace DkmsPack.Project;

/// <summary>What a project file adds to the spec, resolved against the tree: extras, relationships, changelog, hooks.</summary>
/// <param name="TreeExclusions">Tree paths (relative, '/') that are packaging inputs, not module sources: not shipped in /usr/src.</param>
public sealed record ProjectParts(
    IReadOnlyList<PackageEntry> ExtraEntries,
    IReadOnlySet<string> TreeExclusions,
    RelationshipSet Relationships,
    IReadOnlyList<ChangelogEntry> Changelog,
    PackageHooks Hooks);

/// <summary>
/// Resolves a <see cref="ProjectFile"/> against the module tree once dkms.conf is known: globs are expanded, every
/// source must be a file in the tree, every destination absolute, outside the source directory and given once.
/// Every finding of the file (the reader's too) is reported at once, before anything is written.
/// </summary>
public static class ProjectResolver
{
    /// <summary>A hook fragment is a short script.</summary>
    public const int MaxFragmentBytes = 64 * 1024;

    private static readonly string[] s_udevRuleDirectories = ["usr/lib/udev/rules.d/", "lib/udev/rules.d/", "etc/udev/rules.d/"];

    /// <summary>Nothing from a project file.</summary>
    public static ProjectParts None { get; } = new([], new HashSet<string>(), RelationshipSet.Empty, [], PackageHooks.None);

    /// <param name="project">The project file, or null for none.</param>
    /// <param name="root">The module tree, absolute.</param>
    /// <param name="installDirectory">The source directory, without leading slash: usr/src/NAME-VERSION.</param>
    /// <param name="clampTime">SOURCE_DATE_EPOCH.</param>
    /// <param name="buildTime">The time of generated entries (directories, symlinks).</param>
    public static ProjectParts Resolve(ProjectFile? project, string root, string installDirectory, long? clampTime, long buildTime)
    {
        if (project is null)
        {
            return None;
        }

        ArgumentNullException.ThrowIfNull(root);
        var errors = new List<Diagnostic>(project.Errors);
        var resolver = new Resolver(project, Path.TrimEndingDirectorySeparator(root), installDirectory, clampTime, buildTime, errors);
        ProjectParts parts = resolver.Run();
        // The file's findings in line order, then those of the files it names (a changelog).
        return errors.Count == 0
            ? parts
            : throw new DkmsPackException([.. errors.OrderBy(d => d.File == project.DisplayPath ? 0 : 1).ThenBy(d => d.Line)], ExitCode.InvalidInput);
    }

    /// <summary>
    /// Removes the directories of the source tree that only held files the project installs elsewhere (udev/ when
    /// its one rule goes to /usr/lib/udev/rules.d): an empty directory in /usr/src says nothing to DKMS.
    /// </summary>
    public static void PruneEmptied(List<PackageEntry> sourceEntries, ProjectParts parts, string installDirectory)
    {
        ArgumentNullException.ThrowIfNull(sourceEntries);
        ArgumentNullException.ThrowIfNull(parts);
        HashSet<string> emptied = [.. parts.TreeExclusions.SelectMany(Parents).Select(p => installDirectory + "/" + p)];
        if (emptied.Count == 0)
        {
            return;
        }

        int removed;
        do
        {
            removed = sourceEntries.RemoveAll(e => e.Kind == EntryKind.Directory && emptied.Contains(e.Path) && !HasEntryBelow(sourceEntries, e.Path));
        }
        while (removed > 0);
    }

    // A loop, not Any with a lambda: that lambda would capture the directory, one closure for every entry of the tree.
    private static bool HasEntryBelow(List<PackageEntry> entries, string directory)
    {
        foreach (PackageEntry entry in entries)
        {
            if (entry.Path.Length > directory.Length && entry.Path[directory.Length] == '/' && entry.Path.StartsWith(directory, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Parents(string relative)
    {
        for (int slash = relative.LastIndexOf('/'); slash > 0; slash = relative.LastIndexOf('/', slash - 1))
        {
            yield return relative[..slash];
        }
    }

    private sealed class Resolver(ProjectFile project, string root, string installDirectory, long? clampTime, long buildTime, List<Diagnostic> errors)
    {
        private readonly Dictionary<string, int> _destinations = new(StringComparer.Ordinal);
        private readonly HashSet<string> _exclusions = new(StringComparer.Ordinal);
        private readonly List<PackageEntry> _entries = [];

        public ProjectParts Run()
        {
            if (TreeRelative(project.FullPath) is { } self)
            {
                _exclusions.Add(self);
            }

            foreach (ExtraFileRule rule in project.Files)
            {
                AddFiles(rule);
            }

            foreach (ExtraDirectoryRule rule in project.Directories)
            {
                if (InstallPath(rule.Path, rule.Line, "path") is { } path && Claim(path, rule.Line))
                {
                    _entries.Add(PackageEntry.Directory(path, rule.Mode, buildTime));
                }
            }

            foreach (ExtraSymlinkRule rule in project.Symlinks)
            {
                if (rule.Target.Any(char.IsControl))
                {
                    Add(rule.Line, "a symlink target must not hold control characters");
                }
                else if (InstallPath(rule.Path, rule.Line, "path") is { } path && Claim(path, rule.Line))
                {
                    _entries.Add(PackageEntry.Symlink(path, rule.Target, buildTime));
                }
            }

            _entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            bool shipsUdevRules = _entries.Any(e => e.Kind != EntryKind.Directory && e.Path.EndsWith(".rules", StringComparison.Ordinal)
                && s_udevRuleDirectories.Any(d => e.Path.StartsWith(d, StringComparison.Ordinal)));
            return new ProjectParts(_entries, _exclusions, project.Relationships, Changelog(), new PackageHooks
            {
                ReloadUdev = project.ReloadUdev ?? shipsUdevRules,
                Fragments = [.. project.Hooks.Select(Fragment).OfType<HookFragment>()],
            });
        }

        private void AddFiles(ExtraFileRule rule)
        {
            if (TreeFile(rule.Source, rule.SourceLine, "source") is not { } source)
            {
                return;
            }

            string name = Path.GetFileName(source);
            bool glob = name.IndexOfAny(['*', '?']) >= 0;
            if (glob && !rule.Destination.EndsWith('/'))
            {
                Add(rule.DestinationLine, $"source \"{rule.Source}\" is a pattern, so destination must be a directory ending in '/'");
                return;
            }

            List<string> files;
            if (glob)
            {
                string directory = Path.GetDirectoryName(source)!;
                files = Directory.Exists(directory)
                    ? [.. Directory.EnumerateFiles(directory).Where(f => FileSystemName.MatchesSimpleExpression(name, Path.GetFileName(f), ignoreCase: false)).Order(StringComparer.Ordinal)]
                    : [];
                if (files.Count == 0)
                {
                    Add(rule.SourceLine, $"source \"{rule.Source}\" matches no file in the module tree");
                    return;
                }
            }
            else
            {
                files = [source];
            }

            foreach (string file in files)
            {
                string destination = rule.Destination.EndsWith('/') ? rule.Destination + Path.GetFileName(file) : rule.Destination;
                string? path = InstallPath(destination, rule.DestinationLine, "destination");
                FileStatus? found = Stat(file, rule.SourceLine, rule.Source);
                if (path is null || found is not { } status)
                {
                    return;
                }

                bool underEtc = path.StartsWith("etc/", StringComparison.Ordinal);
                if (rule.Config == true && !underEtc)
                {
                    Add(rule.Line, $"config = true, but /{path} is not under /etc, where dpkg and Debian policy keep configuration files");
                    return;
                }

                if (!Claim(path, rule.DestinationLine))
                {
                    continue;
                }

                long mtime;
                try
                {
                    mtime = SourceTree.CheckedTime(file, status, clampTime);
                }
                catch (DkmsPackException ex)
                {
                    errors.AddRange(ex.Diagnostics);
                    continue;
                }

                string treePath = TreeRelative(file)!;
                int mode = rule.Mode ?? UnixPermissions.NormaliseFile((UnixFileMode)status.Permissions);
                _entries.Add(PackageEntry.Extra(path, mode, new DiskContent(file, status.Size), mtime, rule.Config ?? underEtc, treePath));
                if (!rule.KeepInSource)
                {
                    _exclusions.Add(treePath);
                }
            }
        }

        /// <summary>The file's status: a regular file (a symlink to one counts), else a finding.</summary>
        private FileStatus? Stat(string file, int line, string written)
        {
            FileStatus status;
            try
            {
                status = FileStatusReader.Stat(file);
            }
            catch (IOException ex)
            {
                Add(line, $"source \"{written}\" cannot be read ({ex.Message.TrimEnd('.')})");
                return null;
            }

            switch (status.Kind)
            {
                case FileKind.Regular:
                    return status;
                case FileKind.Missing:
                    Add(line, $"source \"{written}\" does not exist in the module tree", "fix the path (it is relative to the directory holding dkms.conf)");
                    return null;
                case FileKind.Directory:
                    Add(line, $"source \"{written}\" is a directory", $"name its files, e.g. \"{written.TrimEnd('/')}/*\", and list the directory itself in [[directories]]");
                    return null;
                default:
                    Add(line, $"source \"{written}\" is not a regular file");
                    return null;
            }
        }

        /// <summary>An absolute path of a file in the tree, or a finding when it leads outside it.</summary>
        private string? TreeFile(string written, int line, string key)
        {
            string full = Path.GetFullPath(written, root);
            if (TreeRelative(full) is null)
            {
                Add(line, Path.IsPathRooted(written)
                    ? $"{key} \"{written}\" is outside the module tree {root}"
                    : $"{key} \"{written}\" leads outside the module tree", "keep the files a package installs inside the tree, and name them relative to it");
                return null;
            }

            return full;
        }

        private string? TreeRelative(string full)
        {
            string normal = Path.GetFullPath(full);
            return normal.StartsWith(root + "/", StringComparison.Ordinal) ? normal[(root.Length + 1)..] : null;
        }

        /// <summary>An install path (no leading '/'), or a finding: it must be absolute, plain and outside the source directory.</summary>
        private string? InstallPath(string written, int line, string key)
        {
            string path = written.TrimEnd('/');
            string[] segments = path.Length > 1 ? path[1..].Split('/') : [];
            if (!written.StartsWith('/') || segments.Length == 0 || segments.Any(s => s is "" or "." or "..") || written.Any(char.IsControl))
            {
                Add(line, $"{key} \"{written}\" is not an absolute path such as /etc/modprobe.d/foo.conf (no empty, . or .. parts, no control characters)");
                return null;
            }

            // rpmbuild expands macros in a %files line twice (%% does not protect it) and globs it: the .spec that
            // mkrpm --spec writes could not name such a path inertly, so no package has one.
            if (written.IndexOfAny(['%', '"', '\\', '*', '?', '[', ']']) >= 0)
            {
                Add(line, $"{key} \"{written}\" holds one of % \" \\ * ? [ ], which rpm's %files reads as a macro, quote or pattern", "rename it");
                return null;
            }

            string install = path[1..];
            if (install == installDirectory || install.StartsWith(installDirectory + "/", StringComparison.Ordinal) || installDirectory.StartsWith(install + "/", StringComparison.Ordinal))
            {
                Add(line, $"{key} \"{written}\" is inside /{installDirectory}, where the module's sources go", "the whole tree is shipped there already; install extras elsewhere, or keep a listed file in the sources with keep-in-source = true");
                return null;
            }

            if (Encoding.UTF8.GetByteCount(written) >= FileStatusReader.PathMax)
            {
                Add(line, $"{key} is longer than Linux's PATH_MAX");
                return null;
            }

            return install;
        }

        private bool Claim(string path, int line)
        {
            if (_destinations.TryGetValue(path, out int first))
            {
                Add(line, $"/{path} is installed twice (also on line {first})", "give each destination once");
                return false;
            }

            _destinations[path] = line;
            return true;
        }

        private List<ChangelogEntry> Changelog()
        {
            if (project.ChangelogFile is not ({ } written, int line))
            {
                return [.. project.ChangelogEntries];
            }

            if (TreeFile(written, line, "changelog") is not { } file || ReadText(file, written, line, "changelog") is not { } text)
            {
                return [];
            }

            _exclusions.Add(TreeRelative(file)!);
            return DebianChangelog.Parse(text, Path.Combine(Path.GetDirectoryName(project.DisplayPath) ?? string.Empty, written), errors);
        }

        private HookFragment? Fragment(HookRule rule)
        {
            if (TreeFile(rule.Source, rule.Line, "hook") is not { } file || ReadText(file, rule.Source, rule.Line, "hook") is not { } text)
            {
                return null;
            }

            _exclusions.Add(TreeRelative(file)!);
            return new HookFragment(rule.Point, rule.Format, text.ReplaceLineEndings("\n").TrimEnd('\n'), TreeRelative(file)!);
        }

        private string? ReadText(string file, string written, int line, string key)
        {
            if (!File.Exists(file))
            {
                Add(line, $"{key} \"{written}\" does not exist in the module tree");
                return null;
            }

            try
            {
                if (new FileInfo(file).Length > MaxFragmentBytes * 16)
                {
                    Add(line, $"{key} \"{written}\" is larger than {MaxFragmentBytes * 16} bytes");
                    return null;
                }

                string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(file));
                if (key == "hook" && text.Length > MaxFragmentBytes)
                {
                    Add(line, $"hook \"{written}\" is larger than {MaxFragmentBytes} bytes; a fragment is a short script");
                    return null;
                }

                return text;
            }
            catch (DecoderFallbackException)
            {
                Add(line, $"{key} \"{written}\" is not UTF-8");
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Add(line, $"{key} \"{written}\" cannot be read ({ex.Message.TrimEnd('.')})");
                return null;
            }
        }

        private void Add(int line, string message, string? remedy = null) =>
            errors.Add(Diagnostic.Error(project.DisplayPath, line, message, remedy, DiagnosticCode.Project));
    }
}
