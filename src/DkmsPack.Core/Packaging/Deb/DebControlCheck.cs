using DkmsPack.Diagnostics;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// Checks a rendered control file against deb-control(5) before it is packaged, so a broken user template
/// fails here with its line rather than later in dpkg.
/// </summary>
internal static class DebControlCheck
{
    private static readonly string[] s_requiredFields = ["Package", "Version", "Architecture", "Maintainer", "Description"];

    public static void Validate(string control, string origin)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string[] lines = control.TrimEnd('\n').Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith(' ') || line.StartsWith('\t'))
            {
                if (i == 0 || line.Trim().Length == 0)
                {
                    Fail(origin, i + 1, "a continuation line must follow a field and must not be blank (write \" .\" for an empty line)");
                }

                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c <= ' ' || c == ':'))
            {
                Fail(origin, i + 1, line.Length == 0 ? "blank line inside the control paragraph" : $"\"{line}\" is not a \"Field: value\" line");
            }

            if (!seen.Add(line[..colon]))
            {
                Fail(origin, i + 1, $"field {line[..colon]} appears twice");
            }
        }

        foreach (string field in s_requiredFields.Where(f => !seen.Contains(f)))
        {
            Fail(origin, 0, $"the rendered control file has no {field} field");
        }
    }

    private static void Fail(string origin, int line, string message) =>
        throw DkmsPackException.Template(origin, line, message, "fix the control template");
}
