using System.Text;
using Scriban.Runtime;

namespace DkmsPack.Rendering;

/// <summary>
/// Functions the templates may call. Every value that reaches a maintainer script goes through
/// <see cref="ShellQuote"/>, so no dkms.conf value or option can inject shell.
/// </summary>
public static class TemplateFunctions
{
    public static ScriptObject Create()
    {
        var functions = new ScriptObject();
        // DelegateCustomFunction.CreateFunc binds without reflection, so this works under Native AOT.
        functions["sh_quote"] = DelegateCustomFunction.CreateFunc<string, string>(ShellQuote);
        functions["rpm_escape"] = DelegateCustomFunction.CreateFunc<string, string>(RpmEscape);
        functions["rpm_text"] = DelegateCustomFunction.CreateFunc<string, string>(RpmText);
        functions["deb_description"] = DelegateCustomFunction.CreateFunc<string, string, string>(DebianDescription);
        functions["wrap_text"] = DelegateCustomFunction.CreateFunc<string, int, string>(Wrap);
        return functions;
    }

    /// <summary>POSIX sh single-quoting: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Makes a value inert in an RPM spec: rpm expands <c>%</c> macros everywhere in a spec, <c>%(…)</c> runs a shell
    /// command, so every <c>%</c> is doubled (rpm's own escape for a literal percent sign).
    /// </summary>
    public static string RpmEscape(string value) => value.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>
    /// Free text for a spec section body (%description): <see cref="RpmEscape"/>, and a space before any line that
    /// starts with <c>%</c>, so that no line of the text can open a new section (<c>%post</c>, <c>%files</c>…).
    /// </summary>
    public static string RpmText(string value)
    {
        string escaped = RpmEscape(value);
        return string.Join('\n', escaped.Split('\n').Select(line => line.StartsWith('%') ? " " + line : line));
    }

    /// <summary>
    /// A deb822 Description value: the synopsis, then the long text with every line indented by one space
    /// and blank lines written as " ." (deb-control(5)); long lines are wrapped at 79 columns (lintian).
    /// </summary>
    public static string DebianDescription(string synopsis, string description) =>
        synopsis.Trim() + "\n" + Deb822Continuation(description);

    /// <summary>
    /// Paragraphs as the continuation lines of a deb822 field (deb-control(5), copyright-format 1.0 "Formatted
    /// text"): wrapped at 79 columns, each line indented by one space, blank lines written as " .".
    /// </summary>
    public static string Deb822Continuation(string text) =>
        string.Join('\n', Wrap(text, 78).Split('\n').Select(line => line.Length == 0 ? " ." : " " + line));

    /// <summary>Wraps paragraphs at <paramref name="width"/> columns, keeping blank lines between paragraphs.</summary>
    public static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Split("\n\n"))
        {
            if (lines.Count > 0)
            {
                lines.Add(string.Empty);
            }

            var line = new StringBuilder();
            foreach (string word in paragraph.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }
        }

        return string.Join('\n', lines);
    }
}
