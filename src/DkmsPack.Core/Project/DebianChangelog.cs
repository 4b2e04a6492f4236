using System.Globalization;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Project;

/// <summary>
/// Reads a changelog in Debian's format (deb-changelog(5)): entries of a heading line
/// <c>package (version) distribution; urgency=U</c>, change lines indented by two spaces (items start with
/// <c>*</c>), and a trailer line <c> -- Name &lt;email&gt;  Day, dd Mon yyyy hh:mm:ss +zzzz</c>. The package name
/// in the headings is not used: the package's own name is written instead.
/// </summary>
internal static partial class DebianChangelog
{
    public static List<ChangelogEntry> Parse(string text, string display, List<Diagnostic> errors)
    {
        var entries = new List<ChangelogEntry>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        (string Version, string Distribution, string Urgency, int Line)? heading = null;
        var changes = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int number = i + 1;
            if (heading is null)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                Match match = Heading().Match(line);
                if (!match.Success)
                {
                    errors.Add(Error(display, number, "is not a changelog heading; write \"package (version) unstable; urgency=medium\""));
                    return entries;
                }

                string version = match.Groups["version"].Value;
                if (!RelationshipSyntax.IsDebianVersion(version))
                {
                    errors.Add(Error(display, number, $"\"{version}\" is not a Debian version ([EPOCH:]UPSTREAM[-REVISION], starting with a digit)"));
                }

                heading = (version, match.Groups["distribution"].Value.Trim(), match.Groups["urgency"].Value, number);
                changes.Clear();
                continue;
            }

            if (line.StartsWith(" -- ", StringComparison.Ordinal))
            {
                Match trailer = Trailer().Match(line);
                if (!trailer.Success || !TryParseDate(trailer.Groups["date"].Value, out long time))
                {
                    errors.Add(Error(display, number, "is not a changelog trailer; write \" -- Name <email>  Mon, 30 Nov 2026 12:00:00 +0000\" (two spaces before the date)"));
                    return entries;
                }

                if (changes.Count == 0)
                {
                    errors.Add(Error(display, heading.Value.Line, $"the entry for {heading.Value.Version} lists no changes"));
                }

                entries.Add(new ChangelogEntry(heading.Value.Version, time, trailer.Groups["author"].Value.Trim(), [.. changes], heading.Value.Distribution, heading.Value.Urgency));
                heading = null;
                continue;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                errors.Add(Error(display, number, "a change line must be indented by two spaces (or this entry lacks its \" -- \" trailer)"));
                return entries;
            }

            string body = line[2..];
            if (body.StartsWith("* ", StringComparison.Ordinal) || changes.Count == 0)
            {
                changes.Add(body.StartsWith("* ", StringComparison.Ordinal) ? body[2..].Trim() : body.Trim());
            }
            else
            {
                // A continuation line of the item above.
                changes[^1] += "\n" + body.Trim();
            }
        }

        if (heading is { } open)
        {
            errors.Add(Error(display, open.Line, $"the entry for {open.Version} has no \" -- Name <email>  date\" trailer"));
        }
        else if (entries.Count == 0)
        {
            errors.Add(Error(display, 0, "holds no changelog entry"));
        }

        return entries;
    }

    /// <summary>RFC 5322's date as changelogs write it: "Mon, 30 Nov 2026 12:00:00 +0000" (the day name is optional).</summary>
    private static bool TryParseDate(string text, out long seconds)
    {
        seconds = 0;
        Match match = Date().Match(text.Trim());
        if (!match.Success
            || !DateTime.TryParseExact(match.Groups["when"].Value, ["d MMM yyyy HH:mm:ss", "d MMM yyyy HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime when))
        {
            return false;
        }

        string zone = match.Groups["zone"].Value;
        int offset = ((zone[1] - '0') * 600) + ((zone[2] - '0') * 60) + ((zone[3] - '0') * 10) + (zone[4] - '0');
        seconds = new DateTimeOffset(when, TimeSpan.Zero).ToUnixTimeSeconds() - ((zone[0] == '-' ? -1 : 1) * offset * 60);
        return true;
    }

    private static Diagnostic Error(string file, int line, string message) => Diagnostic.Error(file, line, message, code: DiagnosticCode.Project);

    [GeneratedRegex(@"\A\S+ \((?<version>[^()\s]+)\) (?<distribution>[^;]+); (?:.*,\s*)?urgency=(?<urgency>[A-Za-z]+)\b.*\z")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\A -- (?<author>.+?)  (?<date>\S.*)\z")]
    private static partial Regex Trailer();

    [GeneratedRegex(@"\A(?:[A-Z][a-z]{2}, )?(?<when>\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})?) (?<zone>[+-]\d{4})\z")]
    private static partial Regex Date();
}
