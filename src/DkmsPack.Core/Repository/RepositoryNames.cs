using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;

namespace DkmsPack.Repository;

/// <summary>Checks of the names that become paths or file names in a repository, so no value can point outside it.</summary>
public static partial class RepositoryNames
{
    /// <summary>A suite, codename or repository name: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, <c>+</c>, not starting with a dot.</summary>
    public static string RequireSimpleName(string value, string optionKey)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SimpleName().IsMatch(value)
            ? value
            : throw DkmsPackException.Options($"{OptionRef.To(optionKey)} \"{value}\" is not a plain name", "use letters, digits, '.', '_', '+' and '-', not starting with '.'");
    }

    /// <summary>True when <paramref name="relative"/> is a plain relative path below <paramref name="top"/> (no '..', no absolute path, no backslash).</summary>
    public static bool IsInside(string relative, string top)
    {
        ArgumentNullException.ThrowIfNull(relative);
        return relative.StartsWith(top + "/", StringComparison.Ordinal)
            && !relative.Contains('\\', StringComparison.Ordinal)
            && !relative.Contains('\0', StringComparison.Ordinal)
            && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
    }

    [GeneratedRegex("^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleName();
}
