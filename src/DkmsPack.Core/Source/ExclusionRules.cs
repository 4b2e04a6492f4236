namespace DkmsPack.Source;

/// <summary>
/// What dkmspack leaves out of a module tree by default: version-control and CI metadata, editor leftovers and
/// kbuild's own outputs (a .ko in an Architecture: all / noarch package is wrong, and DKMS rebuilds them).
/// </summary>
public static class ExclusionRules
{
    private static readonly HashSet<string> s_excludedNames = new(StringComparer.Ordinal)
    {
        ".git", ".gitignore", ".gitattributes", ".gitmodules", ".svn", ".hg", ".hgignore", ".bzr", "CVS", "_darcs",
        ".DS_Store", ".tmp_versions", "Module.symvers", "modules.order", ".cache.mk", ".github", ".gitlab-ci.yml",
    };

    private static readonly string[] s_excludedSuffixes = [".o", ".ko", ".mod", ".mod.c", ".mod.o", ".cmd", ".swp", ".swo", "~"];

    /// <summary>
    /// The rules for one build: the defaults, plus the output directory when it lies inside the tree
    /// (<c>dkmspack build . -o dist/</c> must not package dist/ and the packages of earlier runs).
    /// </summary>
    public static Func<string, bool> ForTree(string root, string outputDirectory)
    {
        string output = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(outputDirectory)).Replace('\\', '/');
        if (output == ".")
        {
            // Packages written into the tree's own top directory are not sources either.
            return relative => IsExcludedByDefault(relative) || IsOurOutput(relative);
        }

        bool outputInsideTree = !output.StartsWith("../", StringComparison.Ordinal) && output != ".." && !Path.IsPathRooted(output);
        return outputInsideTree
            ? relative => IsExcludedByDefault(relative) || string.Equals(relative, output, StringComparison.Ordinal)
            : IsExcludedByDefault;
    }

    private static bool IsOurOutput(string relative) =>
        !relative.Contains('/', StringComparison.Ordinal)
        && (relative.EndsWith(".deb", StringComparison.Ordinal) || relative.EndsWith(".rpm", StringComparison.Ordinal)
            || relative.EndsWith(".spec", StringComparison.Ordinal) || relative == "SHA256SUMS");

    /// <summary>True when <paramref name="relativePath"/> (with '/' separators) should not be packaged.</summary>
    public static bool IsExcludedByDefault(string relativePath)
    {
        string name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        if (s_excludedNames.Contains(name))
        {
            return true;
        }

        // Emacs autosave files (#name#) and the .*.cmd files kbuild writes beside every object.
        if (name.Length > 1 && name[0] == '#' && name[^1] == '#')
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
