using System.Globalization;
using System.Text;
using DkmsPack.Dkms;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Dkms;

/// <summary>
/// Our static reading against bash itself. DKMS's read_conf reads dkms.conf through safe_source (dkms@HEAD): it unsets
/// the dkms_conf_variables, sources the file in a subshell with its output discarded, and copies each element of those
/// variables out. This test does the same with generated files and compares every element bash assigns with the one
/// dkmspack reads, wherever dkmspack says it knows the value. The CR strip safe_source applies afterwards is compared
/// too (<see cref="DkmsConfScript.StripCarriageReturnsAsDkmsDoes"/>).
/// </summary>
public class BashDifferentialTests
{
    private const int FileCount = 400;
    private const int Seed = 20261201;

    private static readonly string[] s_names = ["A", "B", "C", "PACKAGE_NAME", "PACKAGE_VERSION", "BUILT_MODULE_NAME", "DEST_MODULE_LOCATION", "MAKE"];

    // For each file: a record "\u0001" then NAME\0INDEX\0VALUE\0 per element, raw (as sourced) and as safe_source copies it.
    private const string Script = """
        names=$1; shift
        for f in "$@"; do
            printf '\001\0'
            (
                for v in $names; do unset "$v"; done
                . "$f" >/dev/null 2>&1
                CR=$'\r'
                for v in $names; do
                    declare -n ref=$v
                    for i in "${!ref[@]}"; do
                        printf '%s\0%s\0%s\0%s\0' "$v" "$i" "${ref[i]}" "${ref[i]%$CR}"
                    done
                    unset -n ref
                done
            ) 2>/dev/null
        done
        """;

    [Fact]
    public void Read_GeneratedAssignments_MatchWhatBashAssigns()
    {
        RealTool.Require("bash");
        using var directory = new TempDirectory();
        var random = new Random(Seed);
        var files = new List<string>();
        var texts = new List<string>();
        for (int i = 0; i < FileCount; i++)
        {
            string text = GenerateFile(random);
            string path = Path.Combine(directory.Path, $"conf{i}");
            File.WriteAllText(path, text, new UTF8Encoding(false));
            files.Add(path);
            texts.Add(text);
        }

        string scriptPath = Path.Combine(directory.Path, "read.sh");
        File.WriteAllText(scriptPath, Script);
        string output = RealTool.RunChecked(new RealToolOptions(WorkingDirectory: directory.Path), "bash", [scriptPath, string.Join(' ', s_names), .. files]);
        string[] records = output.Split("\u0001\0")[1..];
        Assert.Equal(FileCount, records.Length);

        var mismatches = new List<string>();
        int compared = 0;
        for (int i = 0; i < FileCount; i++)
        {
            compared += Compare(texts[i], records[i], mismatches);
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(10)));

        // Most values must be known statically, or the comparison proves little.
        Assert.True(compared > FileCount * 2, $"only {compared} elements compared");
    }

    private static int Compare(string text, string record, List<string> mismatches)
    {
        var bash = new Dictionary<(string Name, int Index), (string Raw, string Stripped)>();
        string[] fields = record.Split('\0');
        for (int f = 0; f + 3 < fields.Length; f += 4)
        {
            bash[(fields[f], int.Parse(fields[f + 1], CultureInfo.InvariantCulture))] = (fields[f + 2], fields[f + 3]);
        }

        DkmsConfScript raw = DkmsConfScript.Parse(text);
        DkmsConfScript stripped = DkmsConfScript.Parse(text).StripCarriageReturnsAsDkmsDoes();
        string shown = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        int compared = 0;
        foreach (string name in s_names)
        {
            ShellVariable? variable = raw.Variable(name);
            if (variable?.IndicesDynamic is not null || (variable is not null && variable.Elements.Values.Any(element => element.Value.Dynamic is not null)))
            {
                continue;
            }

            int[] ours = variable is null ? [] : [.. variable.Elements.Keys];
            int[] theirs = [.. bash.Keys.Where(key => key.Name == name).Select(key => key.Index).Order()];
            if (!ours.SequenceEqual(theirs))
            {
                mismatches.Add($"{name}: indices [{string.Join(',', ours)}], bash [{string.Join(',', theirs)}] in {shown}");
                continue;
            }

            foreach (int index in ours)
            {
                compared++;
                // safe_source copies only the dkms_conf_variables out of its subshell, and strips their CRs.
                (string bashRaw, string bashStripped) = bash[(name, index)];
                bashStripped = DkmsDirectives.SafeSourceVariables.Contains(name) ? bashStripped : bashRaw;
                string ourRaw = raw.Element(name, index)!.Value.Text;
                string ourStripped = stripped.Element(name, index)!.Value.Text;
                if (ourRaw != bashRaw || ourStripped != bashStripped)
                {
                    mismatches.Add($"{name}[{index}]: \"{Escape(ourRaw)}\" / \"{Escape(ourStripped)}\", bash \"{Escape(bashRaw)}\" / \"{Escape(bashStripped)}\" in {shown}");
                }
            }
        }

        return compared;
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string GenerateFile(Random random)
    {
        var text = new StringBuilder();
        bool crlf = random.Next(3) == 0;
        int lines = random.Next(1, 12);
        for (int i = 0; i < lines; i++)
        {
            text.Append(GenerateLine(random));
            text.Append(crlf || random.Next(10) == 0 ? "\r\n" : "\n");
        }

        return text.ToString();
    }

    private static string GenerateLine(Random random)
    {
        string name = Pick(random, s_names);
        return random.Next(14) switch
        {
            0 => $"{name}=({GenerateElements(random)})",
            1 => $"{name}+=({GenerateElements(random)})",
            2 => $"{name}[{random.Next(0, 12)}]={GenerateValue(random)}",
            3 => $"{name}[{random.Next(0, 3)}]+={GenerateValue(random)}",
            4 => $"{name}+={GenerateValue(random)}",
            5 => $"{name}={GenerateValue(random)} # {GenerateValue(random)}",
            6 => $"unset {name}",
            7 => $"export {name}={GenerateValue(random)}",
            8 => $"{name}=({GenerateElements(random)}){Pick(random, ["x", "\r", "'y z'", "\"$A\""])}",
            9 => $"{name}={GenerateValue(random)} {Pick(random, s_names)}={GenerateValue(random)}",
            10 => "# " + GenerateValue(random),
            _ => $"{name}={GenerateValue(random)}",
        };
    }

    private static string GenerateElements(Random random)
    {
        var elements = new List<string>();
        int count = random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            string value = random.Next(3) == 0 ? Pick(random, ["\"a b\"", "'c  d'", "\"\"", "x\\ y"]) : Plain(random);
            elements.Add(random.Next(4) == 0 ? $"[{random.Next(0, 9)}]={value}" : value);
        }

        return string.Join(Pick(random, [" ", "  ", "\n", " \\\n "]), elements);
    }

    private static string GenerateValue(Random random)
    {
        var value = new StringBuilder();
        int pieces = random.Next(0, 4);
        for (int i = 0; i < pieces; i++)
        {
            value.Append(random.Next(12) switch
            {
                0 => $"\"{Plain(random)} {Plain(random)}\"",
                1 => $"'{Plain(random)} \"$x\" \\ '",
                2 => "\"a\\\"b\\\\c\\$d\\`e\\xf\"",
                3 => "a\\ b\\$c",
                4 => $"${Pick(random, ["A", "B", "C"])}",
                5 => $"${{{Pick(random, ["A", "B", "C", "MAKE"])}}}",
                6 => $"${{{Pick(random, ["A", "B", "C"])}[{random.Next(0, 6)}]}}",
                7 => $"\"${Pick(random, ["A", "B"])}-x\"",
                8 => "\"x\\\ny\"",
                9 => "p\\\nq",
                10 => "\"multi\nline\"",
                _ => Plain(random),
            });
        }

        return value.ToString();
    }

    private static string Plain(Random random) => Pick(random, ["abc", "1.0", "a.b-c_d", "/updates/dkms", "make", "x+y", "~tilde~", "a=b", "0", "%", "@"]);

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];
}
