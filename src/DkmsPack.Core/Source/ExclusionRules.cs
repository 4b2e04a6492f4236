using DkmsPack.IO;

namespace DkmsPack.Source;

/// <summary>
/// Decides whether a path of a module tree (relative to its root, '/' separators) is left out of the package. It
/// takes a span because the scan asks it for every entry, about a part of a path it has composed anyway.
/// </summary>
public delegate bool TreePathFilter(ReadOnlySpan<char> relativePath);

/// <summary>
/// What dkmspack leaves out of a module tree: by default version-control and CI metadata, editor leftovers,
/// dkmspack's own scratch files and kbuild's outputs (a .ko in an Architecture: all / noarch package is wrong, and DKMS rebuilds them).
/// </summary>
public static class ExclusionRules
{
    private static readonly HashSet<string> s_excludedNames = new(StringComparer.Ordinal)
    {
        ".git", ".gitignore", ".gitattributes", ".gitmodules", ".svn", ".hg", ".hgignore", ".bzr", "CVS", "_darcs",
        ".DS_Store", ".tmp_versions", "Module.symvers", "modules.order", ".cache.mk", ".github", ".gitlab-ci.yml",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_excludedNameLookup = s_excludedNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] s_excludedSuffixes = [".o", ".ko", ".mod", ".mod.c", ".mod.o", ".swp", ".swo", "~"];

    /// <summary>
    /// The prefix of every scratch file and directory of dkmspack's output transaction. Such names are never
    /// packaged, wherever they are in the tree: a run killed before it could clean up leaves them behind.
    /// </summary>
    public const string ScratchPrefix = ".dkmspack-";

    /// <summary>The rules for one build with no <c>--exclude</c> patterns; see the three-argument overload.</summary>
    public static TreePathFilter ForTree(string root, string outputDirectory) => ForTree(root, outputDirectory, []);

    /// <summary>
    /// The rules for one build: the defaults, the output directory when it lies inside the tree
    /// (<c>dkmspack build . -o dist/</c> must not package dist/ and the packages of earlier runs), and the
    /// user's patterns (see <see cref="ExcludeGlob"/>). The output directory is recognised both by its path and by
    /// its identity (device and inode), so an <c>-o</c> that reaches into the tree through a symlink is left out too.
    /// </summary>
    /// <param name="root">The module tree.</param>
    /// <param name="outputDirectory">Where the packages go; it need not exist yet.</param>
    /// <param name="excludeGlobs">The user's patterns, matched against paths relative to <paramref name="root"/>.</param>
    /// <exception cref="DkmsPackException">A pattern is not valid (an option error, exit 1).</exception>
    public static TreePathFilter ForTree(string root, string outputDirectory, IReadOnlyList<string> excludeGlobs)
    {
        ArgumentNullException.ThrowIfNull(excludeGlobs);
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        ExcludeGlob[] globs = [.. excludeGlobs.Select(ExcludeGlob.Parse)];
        TreePathFilter isOutput = OutputRule(fullRoot, outputDirectory);
        return relative => IsExcludedByDefault(relative) || isOutput(relative) || MatchesAny(globs, fullRoot, relative);
    }

    /// <summary>Also leaves out the exact <paramref name="paths"/> (relative to the tree's root), e.g. a project's packaging inputs.</summary>
    public static TreePathFilter AlsoExcluding(this TreePathFilter filter, IReadOnlySet<string> paths)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return filter;
        }

        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> excluded = new HashSet<string>(paths, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        return relative => excluded.Contains(relative) || filter(relative);
    }

    // A loop, not globs.Any(lambda): the rule runs for every entry of the tree, and a lambda capturing the path would
    // allocate a closure each time.
    private static bool MatchesAny(ExcludeGlob[] globs, string root, ReadOnlySpan<char> relative)
    {
        foreach (ExcludeGlob glob in globs)
        {
            if (glob.MatchesPath(relative) && (!glob.DirectoriesOnly || FileStatusReader.Lstat(string.Concat(root, "/", relative)).Kind == FileKind.Directory))
            {
                return true;
            }
        }

        return false;
    }

    private static TreePathFilter OutputRule(string root, string outputDirectory)
    {
        string output = Path.GetRelativePath(root, Path.GetFullPath(outputDirectory)).Replace('\\', '/');
        FileStatus outputStatus = FileStatusReader.Stat(outputDirectory);
        if (output == "." || (outputStatus.Kind == FileKind.Directory && outputStatus.IsSameObject(FileStatusReader.Stat(root))))
        {
            // Packages written into the tree's own top directory are not sources either.
            return IsOurOutput;
        }

        bool outputInsideTree = !output.StartsWith("../", StringComparison.Ordinal) && output != ".." && !Path.IsPathRooted(output);
        if (outputStatus.Kind != FileKind.Directory)
        {
            // Not there yet: it cannot hold earlier packages, and the writers create it only after the scan.
            return relative => outputInsideTree && relative.SequenceEqual(output);
        }

        // Only entries with the output directory's real name are stat'ed, so a big tree pays nothing for the rule
        // (a directory's name in its real parent is the last part of its realpath; only bind mounts escape this).
        string? realName = FileStatusReader.RealPath(outputDirectory) is { } real ? Path.GetFileName(real) : null;
        return relative =>
            (outputInsideTree && relative.SequenceEqual(output))
            || (realName is not null
                && relative[(relative.LastIndexOf('/') + 1)..].SequenceEqual(realName)
                && FileStatusReader.Lstat(string.Concat(root, "/", relative)).IsSameObject(outputStatus));
    }

    private static bool IsOurOutput(ReadOnlySpan<char> relative) =>
        !relative.Contains('/')
        && (relative.EndsWith(".deb", StringComparison.Ordinal) || relative.EndsWith(".rpm", StringComparison.Ordinal)
            || relative.EndsWith(".spec", StringComparison.Ordinal) || relative.Contains(".pkg.tar", StringComparison.Ordinal) || relative.SequenceEqual("SHA256SUMS"));

    /// <summary>True when <paramref name="relativePath"/> (with '/' separators) should not be packaged.</summary>
    public static bool IsExcludedByDefault(ReadOnlySpan<char> relativePath)
    {
        // The last component as a span: this runs for every entry of the tree, and a substring would be garbage.
        ReadOnlySpan<char> name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        if (s_excludedNameLookup.Contains(name) || name.StartsWith(ScratchPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        // Emacs autosave files (#name#), and the .*.cmd files kbuild writes beside every object (.foo.o.cmd); a
        // visible foo.cmd is the author's own file and stays.
        if ((name.Length > 1 && name[0] == '#' && name[^1] == '#') || (name.Length > 4 && name[0] == '.' && name.EndsWith(".cmd", StringComparison.Ordinal)))
        {
            return true;
        }

        foreach (string suffix in s_excludedSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
