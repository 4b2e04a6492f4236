using System.Diagnostics;
using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using Xunit;
using static DkmsPack.Tests.Dkms.DkmsConfTesting;

namespace DkmsPack.Tests.Dkms;

/// <summary>
/// Issue #8: dkms.conf built to crash, hang or exhaust the reader ends in one clear finding with its line, quickly
/// (docs/dkms-conf.md, "Limits"); text bash reads differently from what it looks like is read as bash reads it.
/// </summary>
public class HostileInputTests
{
    private const string Header = "PACKAGE_NAME=p\nPACKAGE_VERSION=1\nAUTOINSTALL=yes\n";

    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    /// <summary>Reads <paramref name="text"/>, which must fail within <see cref="Quick"/>, and returns its single error.</summary>
    private static Diagnostic SingleError(string text)
    {
        var clock = Stopwatch.StartNew();
        InvalidInputException e = Assert.Throws<InvalidInputException>(() => Read(text));
        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        return Assert.Single(e.Diagnostics, diagnostic => diagnostic.IsError);
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    [Fact]
    public void Read_HugeModuleRecordIndex_IsOneErrorNotOnePerMissingRecord()
    {
        Diagnostic error = SingleError(Header + "BUILT_MODULE_NAME[999999999]=p\nDEST_MODULE_LOCATION[999999999]=/updates\n");

        Assert.Equal(DiagnosticCode.DkmsConf, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Equal("BUILT_MODULE_NAME[999999999] makes 1000000000 module records (DKMS counts records 0 to the highest index); dkmspack reads at most 1024", error.Message);
        Assert.Equal("number the module records 0, 1, 2 … without gaps", error.Remedy);
    }

    [Fact]
    public void Read_ModuleRecordsUpToTheLimit_AreRead()
    {
        var text = new StringBuilder(Header);
        for (int i = 0; i < DkmsConfLimits.MaxModuleRecords; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"BUILT_MODULE_NAME[{i}]=m{i}\nDEST_MODULE_LOCATION[{i}]=/updates\n");
        }

        Assert.Equal(DkmsConfLimits.MaxModuleRecords, Read(text.ToString()).Modules.Count);
    }

    public static TheoryData<string, string> DeepNesting() => new()
    {
        { Repeat("{ ", 10_000) + "A=1" + Repeat("; }", 10_000), "braces" },
        { Repeat("if true; then\n", 10_000) + Repeat("fi\n", 10_000), "if" },
        { Repeat("while true; do\n", 10_000) + Repeat("done\n", 10_000), "while" },
        { Repeat("case x in x)\n", 10_000) + Repeat(";; esac\n", 10_000), "case" },
        { Repeat("( ", 10_000) + "A=1" + Repeat(" )", 10_000), "subshells" },
        { "A=" + Repeat("$(", 40_000) + Repeat(")", 40_000), "command substitutions" },
        { "A=\"" + Repeat("${B:-\"", 40_000), "unclosed quotes in expansions" },
        { Repeat("f() ", 10_000) + "{ A=1; }", "function definitions" },
    };

    [Theory]
    [MemberData(nameof(DeepNesting))]
    public void Read_DeepNesting_IsAnErrorNotAStackOverflow(string nesting, string what)
    {
        Diagnostic error = SingleError(Header + nesting);

        Assert.True(error.Line >= 4, what);
        Assert.Equal("dkms.conf nests more than 100 levels deep here", error.Message);
    }

    [Fact]
    public void Read_NestingUpToTheLimit_IsRead()
    {
        string nested = Repeat("{ ", DkmsConfLimits.MaxNesting - 1) + "A=1" + Repeat("; }", DkmsConfLimits.MaxNesting - 1);

        Assert.Equal("1", DkmsConfScript.Parse(nested).Element("A")!.Value.Text);
    }

    [Fact]
    public void Read_ValueDoublingEveryLine_StopsAtTheValueLimit()
    {
        Diagnostic error = SingleError(Header + "A=xxxxxxxx\n" + Repeat("A=\"$A$A\"\n", 30));

        Assert.Equal(Header.Count(c => c == '\n') + 1 + 18, error.Line);
        Assert.Equal("this value grows beyond 1 MiB", error.Message);
    }

    [Fact]
    public void Read_ManyCopiesOfALargeValue_StopAtTheTotalLimit()
    {
        string large = "A=\"" + new string('x', 1000) + "\"\n" + Repeat("A=\"$A$A\"\n", 9);
        Diagnostic error = SingleError(Header + large + Repeat("B=\"$A\"\n", 200));

        Assert.Equal("dkms.conf computes more than 64 MiB of values by here", error.Message);
    }

    [Fact]
    public void Parse_FortyThousandAppends_TakesLinearTime()
    {
        var clock = Stopwatch.StartNew();
        DkmsConfScript script = DkmsConfScript.Parse(Repeat("A+=xxxxxxxxxx\n", 40_000) + Repeat("B+=($kernelver)\n", 40_000));

        Assert.Equal(400_000, script.Element("A")!.Value.Text.Length);
        Assert.Equal(40_000, script.Variable("B")!.Elements.Count);
        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
    }

    [Fact]
    public void Parse_UnknownReferencesAmongSkippedCommands_TakesLinearTime()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo UNKNOWN{i} and some more words\nV{i}=$UNKNOWN{i}\n");
        }

        var clock = Stopwatch.StartNew();
        DkmsConfScript script = DkmsConfScript.Parse(text.ToString());

        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
        Assert.Equal("refers to $UNKNOWN7, which is not set earlier in dkms.conf (it may come from `echo UNKNOWN7 and some more words` at line 15, a command dkmspack does not run)", script.Element("V7")!.Value.Dynamic!.Text);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsAnError()
    {
        Diagnostic error = SingleError("\uFEFF" + Header);

        Assert.Equal(1, error.Line);
        Assert.StartsWith("starts with a UTF-8 byte order mark (BOM)", error.Message, StringComparison.Ordinal);
        Assert.Equal("save dkms.conf as UTF-8 without a byte order mark", error.Remedy);
    }

    [Fact]
    public void Read_Utf16TextWithoutByteOrderMark_IsAnError()
    {
        string utf16AsRead = Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(Header));

        Diagnostic error = SingleError(utf16AsRead);

        Assert.Contains("the file is probably UTF-16 text", error.Message, StringComparison.Ordinal);
    }

    // bash 5.2: "then\r", "do\r", "fi\r" and "done\r" are no keywords, so the if/for/while never ends: a syntax error.
    [Theory]
    [InlineData("if true; then\r\nA=1\r\nfi\r\n")]
    [InlineData("if true\r\nthen A=1; fi\r\n")]
    [InlineData("for i in a; do\r\nA=1\r\ndone\r\n")]
    [InlineData("while false; do A=1; done\r\nif true; then A=2; fi\r\n")]
    public void Read_CrLfAfterKeyword_IsTheSyntaxErrorBashReports(string block)
    {
        string[] findings = Findings(Header.Replace("\n", "\r\n", StringComparison.Ordinal) + block);

        string error = Assert.Single(findings, finding => finding.Contains("syntax error", StringComparison.Ordinal));
        Assert.EndsWith("convert dkms.conf to Unix (LF) line endings, e.g. with dos2unix: bash reads the CR of a CRLF line as part of it, so then, do, fi or done followed by it is no keyword", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CrLfAfterDo_NamesTheTokenWithTheCarriageReturnVisible()
    {
        InvalidInputException e = Assert.Throws<InvalidInputException>(() => Read(Header + "for i in a; do\r\nA=1\r\ndone\r\n"));

        Diagnostic error = Assert.Single(e.Diagnostics, diagnostic => diagnostic.Line == 4);
        Assert.Equal("syntax error near unexpected token 'do\\r' (expected 'do') (bash stops reading dkms.conf here)", error.Message);
    }

    [Fact]
    public void Parse_CrLf_AssignsWhatBashAssigns()
    {
        // Each expectation is bash 5.2's `declare -p` after sourcing the same text.
        DkmsConfScript script = DkmsConfScript.Parse("A=(a b)\r\nB=( a  \"b  c\" )\r\nC+=(x)\r\nD='q'\r\nE=x # c\r\nF=x\\\r\nG=\"x\r\ny\"\r\n");

        Assert.Null(script.SyntaxError);
        Assert.Equal(["(a b)\r", "(a b  c)\r", "(x)\r", "q\r", "x", "x\r", "x\r\ny\r"], new[] { "A", "B", "C", "D", "E", "F", "G" }.Select(name => script.Element(name)!.Value.Text));
        Assert.Equal([0], script.Variable("A")!.Elements.Keys);
    }

    [Fact]
    public void Read_CrLfAssignments_GiveTheValuesDkmsUses()
    {
        DkmsConf conf = Read("PACKAGE_NAME=\"x\"\r\nPACKAGE_VERSION=1.0\r\nBUILT_MODULE_NAME[0]=x\r\nDEST_MODULE_LOCATION[0]=/updates\r\nAUTOINSTALL=yes\r\n");

        Assert.Equal(("x", "1.0"), (conf.PackageName, conf.PackageVersion));
        Assert.Equal([new DkmsModule(0, "x", string.Empty, "x", "/updates")], conf.Modules);
    }

    [Fact]
    public void Read_CarriageReturnLeftInName_IsAnErrorThatSaysSo()
    {
        Diagnostic error = SingleError("PACKAGE_NAME=\"x\r\"\r\nPACKAGE_VERSION=1\nBUILT_MODULE_NAME[0]=x\nDEST_MODULE_LOCATION[0]=/updates\nAUTOINSTALL=yes\n");

        Assert.Equal("PACKAGE_NAME \"x\\r\" contains a carriage return (U+000D, as left by Windows line endings), which cannot be used in a package name", error.Message);
    }

    [Fact]
    public void Read_ArrayFollowedByCarriageReturn_IsOneStringAsInBash()
    {
        // DKMS strips the CR and sees the single module name "(a b)"; the words do not become records.
        DkmsConf conf = Read(Header + "BUILT_MODULE_NAME=(a b)\r\nDEST_MODULE_LOCATION[0]=/updates\r\n");
        Diagnostic error = SingleError(Header + "BUILT_MODULE_NAME[0]=a\r\nDEST_MODULE_LOCATION=(/updates /updates)\r\n");

        Assert.Equal(["(a b)"], conf.Modules.Select(module => module.BuiltModuleName));
        Assert.Equal("DEST_MODULE_LOCATION[0] is \"(/updates /updates)\"", error.Message);
    }

    [Fact]
    public void Read_TextLargerThanTheFileLimit_IsAnError()
    {
        Diagnostic error = SingleError(Header + new string('#', DkmsConfLimits.MaxFileBytes));

        Assert.Equal("is larger than 1024 KiB; a real dkms.conf has a few kilobytes", error.Message);
    }
}
