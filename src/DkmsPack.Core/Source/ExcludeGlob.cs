using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;

namespace DkmsPack.Source;

/// <summary>
/// One exclusion pattern, matched against a path relative to the tree root with '/' separators, the way
/// gitignore(5) reads patterns: <c>*</c> and <c>?</c> stay within one name, <c>[abc]</c>/<c>[a-z]</c>/<c>[!a]</c>
/// match one character of a set, <c>**</c> as a whole segment matches any number of directories, a pattern with no
/// '/' (but a trailing one) matches a name at any depth, one with a '/' is anchored at the root (a leading '/' only
/// anchors), and a trailing '/' matches directories only. Unlike gitignore, nothing that would silently mean
/// something else is accepted: no "!" negation, no "." or ".." segments, no "**" inside a name.
/// </summary>
internal sealed class ExcludeGlob
{
    private const string AnyDepth = "**";

    private readonly Regex _regex;

    private ExcludeGlob(string pattern, Regex regex, bool basenameOnly, bool directoriesOnly)
    {
        Pattern = pattern;
        _regex = regex;
        BasenameOnly = basenameOnly;
        DirectoriesOnly = directoriesOnly;
    }

    /// <summary>The pattern as the user wrote it.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern had no '/' but a trailing one: it is matched against the last name only.</summary>
    public bool BasenameOnly { get; }

    /// <summary>True when the pattern ended with '/': it matches directories only.</summary>
    public bool DirectoriesOnly { get; }

    /// <summary>Compiles <paramref name="pattern"/>; a pattern that is not valid is an option error naming it.</summary>
    public static ExcludeGlob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string body = pattern;
        bool directoriesOnly = body.EndsWith('/');
        body = directoriesOnly ? body[..^1] : body;
        bool anchored = body.StartsWith('/');
        body = anchored ? body[1..] : body;
        if (body.Length == 0 || body.StartsWith('!'))
        {
            throw Invalid(pattern, body.Length == 0 ? "it matches nothing" : "\"!\" negation is not supported");
        }

        string[] segments = body.Split('/');
        var regex = new StringBuilder(@"\A");
        string? previous = null;
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw Invalid(pattern, "paths are relative to the tree, with no empty, \".\" or \"..\" parts");
            }

            if (segment == AnyDepth)
            {
                if (previous != AnyDepth)
                {
                    // a/**/b matches a/b and a/x/y/b; **/b matches b at any depth; a/** everything inside a.
                    regex.Append(segments.Length == 1 ? ".*" : i == 0 ? "(?:.*/)?" : i == segments.Length - 1 ? "/.+" : "/(?:.*/)?");
                }
            }
            else
            {
                if (i > 0 && previous != AnyDepth)
                {
                    regex.Append('/');
                }

                AppendSegment(regex, segment, pattern);
            }

            previous = segment;
        }

        regex.Append(@"\z");
        bool basenameOnly = !anchored && segments.Length == 1 && segments[0] != AnyDepth;
        var compiled = new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new ExcludeGlob(pattern, compiled, basenameOnly, directoriesOnly);
    }

    /// <summary>True when <paramref name="relativePath"/> matches, leaving <see cref="DirectoriesOnly"/> to the caller.</summary>
    public bool MatchesPath(ReadOnlySpan<char> relativePath) =>
        _regex.IsMatch(BasenameOnly ? relativePath[(relativePath.LastIndexOf('/') + 1)..] : relativePath);

    private static void AppendSegment(StringBuilder regex, string segment, string pattern)
    {
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            switch (c)
            {
                case '*' when i + 1 < segment.Length && segment[i + 1] == '*':
                    throw Invalid(pattern, "\"**\" must be a whole path segment, as in a/**/b");
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    i = AppendClass(regex, segment, i, pattern);
                    break;
                case '\\':
                    if (++i == segment.Length)
                    {
                        throw Invalid(pattern, "it ends with a lone \"\\\"");
                    }

                    AppendLiteral(regex, segment[i]);
                    break;
                default:
                    AppendLiteral(regex, c);
                    break;
            }
        }
    }

    /// <summary>Appends the set that starts at <paramref name="open"/> ('['); returns the index of its ']'.</summary>
    private static int AppendClass(StringBuilder regex, string segment, int open, string pattern)
    {
        int i = open + 1;
        bool negated = i < segment.Length && segment[i] is '!' or '^';
        i += negated ? 1 : 0;
        regex.Append(negated ? "[^/" : "[");
        int first = i;
        for (; i < segment.Length; i++)
        {
            char c = segment[i];

            // A ']' first in the set is a member, as in fnmatch(3).
            if (c == ']' && i > first)
            {
                regex.Append(']');
                return i;
            }

            if (c == '\\' && i + 1 < segment.Length)
            {
                c = segment[++i];
            }

            if (i + 2 < segment.Length && segment[i + 1] == '-' && segment[i + 2] != ']')
            {
                char last = segment[i + 2];
                if (last < c)
                {
                    throw Invalid(pattern, $"the range {c}-{last} is reversed");
                }

                AppendClassMember(regex, c);
                regex.Append('-');
                AppendClassMember(regex, last);
                i += 2;
            }
            else
            {
                AppendClassMember(regex, c);
            }
        }

        throw Invalid(pattern, "a \"[\" is not closed by \"]\"");
    }

    private static void AppendLiteral(StringBuilder regex, char c) => regex.Append(Regex.Escape(c.ToString()));

    // Every member as \uXXXX: no character can then mean something inside a regex set.
    private static void AppendClassMember(StringBuilder regex, char c) =>
        regex.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));

    private static DkmsPackException Invalid(string pattern, string reason) =>
        DkmsPackException.Options(
            $"{OptionRef.To("exclude")} \"{pattern}\" is not a valid pattern: {reason}",
            "use * and ? within a name, [a-z] for one character of a set, ** for any number of directories, and a trailing / for directories only");
}
