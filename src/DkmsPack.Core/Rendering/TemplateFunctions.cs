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
        functions["deb_description"] = DelegateCustomFunction.CreateFunc<string, string, string>(DebianDescription);
        functions["wrap_text"] = DelegateCustomFunction.CreateFunc<string, int, string>(Wrap);
        return functions;
    }

    /// <summary>POSIX sh single-quoting: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A deb822 Description value: the synopsis, then the long text with every line indented by one space
    /// and blank lines written as " ." (deb-control(5)); long lines are wrapped at 79 columns (lintian).
    /// </summary>
    public static string DebianDescription(string synopsis, string description)
    {
        var text = new StringBuilder(synopsis.Trim());
        foreach (string line in Wrap(description, 78).Split('\n'))
        {
            text.Append('\n').Append(line.Length == 0 ? " ." : " " + line);
        }

        return text.ToString();
    }

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
