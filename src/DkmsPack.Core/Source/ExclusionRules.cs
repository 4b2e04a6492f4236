namespace DkmsPack.Source;

/// <summary>
/// What dkmspack leaves out of a module tree by default: version-control metadata, editor leftovers and
/// kbuild's own outputs (a .ko in an Architecture: all / noarch package is wrong, and DKMS rebuilds them).
/// </summary>
public static class ExclusionRules
{
    private static readonly HashSet<string> s_excludedNames = new(StringComparer.Ordinal)
    {
        ".git", ".gitignore", ".gitattributes", ".gitmodules", ".svn", ".hg", ".hgignore", ".bzr", "CVS", "_darcs",
        ".DS_Store", ".tmp_versions", "Module.symvers", "modules.order", ".cache.mk",
    };

    private static readonly string[] s_excludedSuffixes = [".o", ".ko", ".mod", ".mod.c", ".mod.o", ".cmd", ".swp", ".swo", "~"];

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
