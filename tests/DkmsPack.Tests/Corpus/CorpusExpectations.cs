namespace DkmsPack.Tests.Corpus;

/// <summary>
/// A corpus tree's <c>corpus.expect</c> (tests/corpus/README.md): what the runner passes and checks beyond its
/// defaults. Lines are <c>key: value</c>; <c>#</c> starts a comment line; keys may repeat where it makes sense.
/// </summary>
internal sealed class CorpusExpectations
{
    public const string FileName = "corpus.expect";

    private static readonly string[] s_keys = ["arg", "exit", "warning", "error", "license", "debian-license", "copyright", "lintian-allow", "rpmlint-allow"];

    /// <summary>Extra command-line words for mkdeb and mkrpm, one per <c>arg:</c> line.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>The exit code both commands must give (default 0).</summary>
    public int ExitCode { get; private set; }

    /// <summary>Text each expected warning line on stderr contains; any other warning fails the tree.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Text the error lines on stderr contain (for a tree that must fail).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The RPM License tag, when given.</summary>
    public string? License { get; private set; }

    /// <summary>The License line of debian/copyright's Files: * paragraph, when given.</summary>
    public string? DebianLicense { get; private set; }

    /// <summary>The Copyright line of that paragraph, when given.</summary>
    public string? Copyright { get; private set; }

    /// <summary>lintian tags this tree's own files cause (documented in the file), tolerated beyond the README's.</summary>
    public List<string> LintianAllowed { get; } = [];

    /// <summary>rpmlint tags this tree's own files cause, tolerated beyond the README's.</summary>
    public List<string> RpmlintAllowed { get; } = [];

    public static CorpusExpectations Read(string tree)
    {
        var expectations = new CorpusExpectations();
        string path = Path.Combine(tree, FileName);
        if (!File.Exists(path))
        {
            return expectations;
        }

        int number = 0;
        foreach (string raw in File.ReadAllLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string key = colon > 0 ? line[..colon].Trim() : string.Empty;
            if (!s_keys.Contains(key))
            {
                throw new InvalidDataException($"{path}:{number}: \"{line}\" is not one of {string.Join(", ", s_keys)} followed by ':' (see tests/corpus/README.md)");
            }

            expectations.Set(key, line[(colon + 1)..].Trim());
        }

        return expectations;
    }

    private void Set(string key, string value)
    {
        switch (key)
        {
            case "arg": Arguments.Add(value); break;
            case "exit": ExitCode = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "warning": Warnings.Add(value); break;
            case "error": Errors.Add(value); break;
            case "license": License = value; break;
            case "debian-license": DebianLicense = value; break;
            case "copyright": Copyright = value; break;
            case "lintian-allow": LintianAllowed.Add(value); break;
            default: RpmlintAllowed.Add(value); break;
        }
    }
}
