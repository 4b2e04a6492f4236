using System.Diagnostics;
using System.Globalization;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using Xunit;

namespace DkmsPack.Tests.Dkms;

/// <summary>
/// Mutated fixtures and shell-ish noise: whatever the input, reading it ends in a result or in our own diagnostics,
/// quickly. DKMSPACK_FUZZ_COUNT and DKMSPACK_FUZZ_SEED run it longer or differently (docs/dkms-conf.md, "Fuzzing").
/// </summary>
public class DkmsConfFuzzTests
{
    private const int DefaultCount = 3000;
    private const int DefaultSeed = 8;
    private static readonly TimeSpan s_perInput = TimeSpan.FromMilliseconds(100);

    // The first inputs also pay for JIT compilation of the reader.
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

    private static readonly string[] s_fixtures =
    [
        DkmsConfFixtures.V4l2LoopbackLike, DkmsConfFixtures.ZfsLike, DkmsConfFixtures.RealtekLike, DkmsConfFixtures.XoneLike,
        DkmsConfFixtures.EvdiLike, DkmsConfFixtures.NvidiaLike, DkmsConfFixtures.OpenAfsLike, DkmsConfFixtures.DdcciLike,
    ];

    private static readonly string[] s_tokens =
    [
        "\"", "'", "`", "\\", "$(", "${", "$((", "))", "(", ")", "{", "}", "[", "]", "[[", "]]", "\n", "\r\n", "\r", ";", ";;",
        "&&", "||", "|", "&", "<<EOF\n", "\nEOF\n", "<<-'X'\n", "#", "=", "+=", "=(", "$", "$'", "$\"", "~", "*", "?", " ",
        "\t", "if ", "then ", "fi ", "else ", "elif ", "case x in ", " esac", "for i in a; do ", "while ", " done", "function f ",
        "f() ", "unset ", "export ", "declare -i ", "local ", ". ./x ", "source ", "eval ", "A=", "PACKAGE_NAME=",
        "PACKAGE_VERSION=", "BUILT_MODULE_NAME[", "DEST_MODULE_LOCATION[", "[999999999]=", "[1023]=", "[-1]=", "[010]=",
        "${PACKAGE_NAME}", "$PACKAGE_VERSION", "${A[3]}", "${A:-x}", "$kernelver", "#VERSION#", "@PKGVER@", "\uFEFF", "\0",
        "é", "\uFFFD", "\u0085", "\u2028",
    ];

    [Fact]
    public void Read_MutatedInputs_EndInDiagnosticsQuickly()
    {
        int count = EnvironmentNumber("DKMSPACK_FUZZ_COUNT", DefaultCount);
        int seed = EnvironmentNumber("DKMSPACK_FUZZ_SEED", DefaultSeed);
        var random = new Random(seed);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            string input = Mutate(random);
            string? version = random.Next(3) == 0 ? "1.0" : null;
            TimeSpan elapsed = ReadOnce(input, version, i, seed);
            if (elapsed > (total.Elapsed < s_warmUp ? s_warmUp : s_perInput))
            {
                // A garbage collection or a busy machine can stall one run: only an input slow twice is a finding.
                TimeSpan again = ReadOnce(input, version, i, seed);
                Assert.True(again <= s_perInput, $"input {i} (seed {seed}) took {elapsed.TotalMilliseconds:0} ms, then {again.TotalMilliseconds:0} ms: {Show(input)}");
            }
        }
    }

    private static TimeSpan ReadOnce(string input, string? version, int number, int seed)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            DkmsConfReader.Read(input, "dkms.conf", new DkmsConfOptions { Version = version, ProbeTree = _ => TreeFileKind.File });
        }
        catch (DkmsPackException e)
        {
            Assert.NotEmpty(e.Diagnostics);
            Assert.All(e.Diagnostics, diagnostic => Assert.Equal(DiagnosticCode.DkmsConf, diagnostic.Code));
        }
#pragma warning disable CA1031 // Any other exception is the finding: report it with the input that caused it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Assert.Fail($"input {number} (seed {seed}) threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{Show(input)}{Environment.NewLine}{e.StackTrace}");
        }

        return clock.Elapsed;
    }

    private static string Mutate(Random random)
    {
        var text = new StringBuilder(s_fixtures[random.Next(s_fixtures.Length)]);
        int mutations = random.Next(1, 8);
        for (int m = 0; m < mutations; m++)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(9))
            {
                case 0:
                case 1:
                case 2:
                    text.Insert(at, s_tokens[random.Next(s_tokens.Length)]);
                    break;
                case 3:
                    text.Remove(at, Math.Min(random.Next(1, 40), text.Length - at));
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 80), text.Length - at);
                    text.Insert(random.Next(text.Length + 1), text.ToString(at, length));
                    break;
                case 5:
                    text.Replace("\n", "\r\n");
                    break;
                case 6:
                    string opener = s_tokens[random.Next(s_tokens.Length)];
                    text.Insert(at, string.Concat(Enumerable.Repeat(opener, random.Next(50, 300))));
                    break;
                case 7:
                    text.Insert(at, $"\nBUILT_MODULE_NAME[{random.Next()}]=m\nDEST_MODULE_LOCATION[{random.Next(2000)}]=/updates\n");
                    break;
                default:
                    text.Insert(at, string.Concat(Enumerable.Repeat("A+=\"$A$A\"\n", random.Next(1, 40))).Insert(0, "A=xxxxxxxx\n"));
                    break;
            }
        }

        return text.ToString();
    }

    private static int EnvironmentNumber(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static string Show(string input)
    {
        var shown = new StringBuilder();
        foreach (char c in input.Length <= 2000 ? input : input[..2000])
        {
            shown.Append(c is '\n' or '\t' || !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return shown.ToString();
    }
}
