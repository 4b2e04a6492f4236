using System.Text;

namespace DkmsPack.Repository.Apt;

/// <summary>One field of a deb822 paragraph: its name and its value, continuation lines included verbatim.</summary>
public sealed record Deb822Field(string Name, string Value);

/// <summary>
/// A paragraph of a deb822 control file (deb-control(5), Debian Policy §5.1): <c>Name: value</c> lines, each
/// continued by lines that start with a space or tab, in their order. Values are kept as written (first line
/// trimmed, continuation lines verbatim), so a <c>Description</c> passes from a package to <c>Packages</c> unchanged.
/// </summary>
public sealed class Deb822Paragraph
{
    private readonly List<Deb822Field> _fields;

    public Deb822Paragraph(IEnumerable<Deb822Field> fields) => _fields = [.. fields];

    public IReadOnlyList<Deb822Field> Fields => _fields;

    /// <summary>A field's value (names compare case-insensitively, as Policy says), or null.</summary>
    public string? this[string name] => _fields.Find(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The paragraph in deb822 form, each line ending in \n, without the blank line that separates paragraphs.</summary>
    public void WriteTo(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (Deb822Field field in _fields)
        {
            output.Append(field.Name).Append(':');
            if (field.Value.Length > 0 && field.Value[0] != '\n')
            {
                output.Append(' ');
            }

            output.Append(field.Value).Append('\n');
        }
    }
}

/// <summary>Parses deb822 text into paragraphs, with the line number of every problem.</summary>
public static class Deb822
{
    /// <summary>
    /// The paragraphs of <paramref name="text"/>. Blank lines (empty or only spaces and tabs) separate paragraphs;
    /// <c>#</c> comment lines are skipped (Policy allows them in control files).
    /// </summary>
    /// <exception cref="FormatException">A line is neither a field, a continuation nor blank; the message names its line.</exception>
    public static List<(Deb822Paragraph Paragraph, int Line)> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = new List<(Deb822Paragraph, int)>();
        var fields = new List<Deb822Field>();
        string? name = null;
        var value = new StringBuilder();
        int start = 0;
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r');
            if (line.Length > 0 && line[0] == '#')
            {
                continue;
            }

            if (line.Trim(' ', '\t').Length == 0)
            {
                EndParagraph();
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (name is null)
                {
                    throw new FormatException($"line {lineNumber}: a continuation line with no field before it");
                }

                value.Append('\n').Append(line);
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                throw new FormatException($"line {lineNumber}: \"{Shorten(line)}\" is not a \"Field: value\" line");
            }

            EndField();
            if (fields.Count == 0)
            {
                start = lineNumber;
            }

            name = line[..colon];
            if (fields.Exists(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new FormatException($"line {lineNumber}: the field {name} appears twice in one paragraph");
            }

            value.Append(line.AsSpan(colon + 1).Trim(" \t"));
        }

        EndParagraph();
        return paragraphs;

        void EndField()
        {
            if (name is not null)
            {
                fields.Add(new Deb822Field(name, value.ToString()));
                name = null;
                value.Clear();
            }
        }

        void EndParagraph()
        {
            EndField();
            if (fields.Count > 0)
            {
                paragraphs.Add((new Deb822Paragraph(fields), start));
                fields = [];
            }
        }
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
