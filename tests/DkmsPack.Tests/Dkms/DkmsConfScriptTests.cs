using DkmsPack.Dkms;
using Xunit;

namespace DkmsPack.Tests.Dkms;

/// <summary>Parsing and static evaluation: what each variable holds, and why when it cannot be known.</summary>
public class DkmsConfScriptTests
{
    private static DkmsConfScript Parse(string text, string? packageVersionOverride = null)
    {
        DkmsConfScript script = DkmsConfScript.Parse(text, packageVersionOverride);
        Assert.Null(script.SyntaxError);
        return script;
    }

    private static string? Reason(DkmsConfScript script, string name, int index = 0) => script.Value(name, index).Dynamic?.Text;

    [Theory]
    [InlineData("PACKAGE_NAME=\"hello\"", "hello")]
    [InlineData("PACKAGE_NAME='hello world'", "hello world")]
    [InlineData("PACKAGE_NAME=hello", "hello")]
    [InlineData("PACKAGE_NAME=hel\"lo\"'!'", "hello!")]
    [InlineData("PACKAGE_NAME=\"a\\\"b\\\\c\\$d\\`e\"", "a\"b\\c$d`e")]
    [InlineData("PACKAGE_NAME=a\\ b", "a b")]
    [InlineData("PACKAGE_NAME=", "")]
    [InlineData("PACKAGE_NAME=\"\"", "")]
    [InlineData("PACKAGE_NAME=hello # a comment", "hello")]
    [InlineData("PACKAGE_NAME=\"hel\\\nlo\"", "hello")]
    [InlineData("export PACKAGE_NAME=hello", "hello")]
    [InlineData("declare -r PACKAGE_NAME=hello", "hello")]
    public void Parse_ScalarAssignment_RemovesQuotesAndEscapes(string text, string expected)
    {
        ShellValue value = Parse(text).Value("PACKAGE_NAME");

        Assert.True(value.IsLiteral);
        Assert.Equal(expected, value.Text);
    }

    [Fact]
    public void Parse_CrLfFile_ValuesEndInTheCarriageReturnUntilDkmsStripsIt()
    {
        const string Text = "PACKAGE_NAME=\"hello\"\r\nPACKAGE_VERSION=1.0\r\nAUTOINSTALL=yes\r\nOTHER=x\r\n";
        string[] names = ["PACKAGE_NAME", "PACKAGE_VERSION", "AUTOINSTALL", "OTHER"];

        // bash assigns "hello\r" …; safe_source copies the dkms_conf_variables out with ${VAR%$CR}, other variables not at all.
        Assert.Equal(["hello\r", "1.0\r", "yes\r", "x\r"], names.Select(name => Parse(Text).Value(name).Text));
        DkmsConfScript script = Parse(Text).StripCarriageReturnsAsDkmsDoes();
        Assert.Equal(["hello", "1.0", "yes", "x\r"], names.Select(name => script.Value(name).Text));
        Assert.Equal(3, script.Element("AUTOINSTALL")!.Line);
    }

    [Fact]
    public void Parse_LastAssignmentWins()
    {
        DkmsConfScript script = Parse("PACKAGE_VERSION=1.0\n# PACKAGE_VERSION=0.0\nPACKAGE_VERSION=\"2.0\"\n");

        Assert.Equal("2.0", script.Value("PACKAGE_VERSION").Text);
        Assert.Equal(3, script.Element("PACKAGE_VERSION")!.Line);
    }

    [Fact]
    public void Parse_SeveralAssignmentsOnOneLine_AreAllAssignments()
    {
        DkmsConfScript script = Parse("A=1 B=2; C=3\n");

        Assert.Equal(["1", "2", "3"], new[] { "A", "B", "C" }.Select(name => script.Value(name).Text));
    }

    [Fact]
    public void Parse_AssignmentBeforeCommand_OnlySetsTheCommandsEnvironment()
    {
        DkmsConfScript script = Parse("KDIR=/usr/src make -C src\n");

        Assert.Null(script.Variable("KDIR"));
        SkippedCommand skipped = Assert.Single(script.SkippedCommands);
        Assert.Equal(("KDIR=/usr/src make -C src", 1, "make"), (skipped.Text, skipped.Line, skipped.Name));
    }

    [Fact]
    public void Parse_IndexedAssignments_AllowSparseArrays()
    {
        DkmsConfScript script = Parse("BUILT_MODULE_NAME[0]=a\nBUILT_MODULE_NAME[3]=\"d\"\n");

        Assert.Equal([0, 3], script.Variable("BUILT_MODULE_NAME")!.Elements.Keys);
        Assert.Equal("d", script.Value("BUILT_MODULE_NAME", 3).Text);
    }

    [Fact]
    public void Parse_CompoundArray_SpansLinesAndKeepsQuotedBlanks()
    {
        DkmsConfScript script = Parse("BUILT_MODULE_NAME=(a b\n  \"c d\" # third\n  'e')\n");

        Assert.Equal(["a", "b", "c d", "e"], script.Variable("BUILT_MODULE_NAME")!.Elements.Values.Select(element => element.Value.Text));
    }

    [Fact]
    public void Parse_CompoundArray_ReplacesTheWholeArrayAndHonoursExplicitIndices()
    {
        DkmsConfScript script = Parse("A[7]=old\nA=(x [4]=y z)\n");

        Assert.Equal([0, 4, 5], script.Variable("A")!.Elements.Keys);
        Assert.Equal(["x", "y", "z"], script.Variable("A")!.Elements.Values.Select(element => element.Value.Text));
    }

    [Fact]
    public void Parse_PlainAssignmentToArray_SetsOnlyElementZero()
    {
        DkmsConfScript script = Parse("MAKE=(a b)\nMAKE=\"make all\"\n");

        Assert.Equal("make all", script.Value("MAKE", 0).Text);
        Assert.Equal("b", script.Value("MAKE", 1).Text);
    }

    [Fact]
    public void Parse_Append_ConcatenatesOrExtends()
    {
        DkmsConfScript script = Parse("V=1.0\nV+=\"-rc1\"\nA=(a)\nA+=(b c)\n");

        Assert.Equal("1.0-rc1", script.Value("V").Text);
        Assert.Equal(["a", "b", "c"], script.Variable("A")!.Elements.Values.Select(element => element.Value.Text));
    }

    [Fact]
    public void Parse_ReferenceToEarlierAssignment_IsResolved()
    {
        DkmsConfScript script = Parse("""
            PACKAGE_NAME="hello"
            BUILT_MODULE_NAME[0]="$PACKAGE_NAME"
            DEST_MODULE_NAME[0]="${BUILT_MODULE_NAME[0]}_dkms"
            LOCATION=${PACKAGE_NAME}-src/
            PACKAGE_NAME="renamed"
            """);

        Assert.Equal("hello", script.Value("BUILT_MODULE_NAME").Text);
        Assert.Equal("hello_dkms", script.Value("DEST_MODULE_NAME").Text);
        Assert.Equal("hello-src/", script.Value("LOCATION").Text);
        Assert.True(script.Value("DEST_MODULE_NAME").IsLiteral);
    }

    [Fact]
    public void Parse_UnsetElementOfKnownArray_ExpandsToNothing()
    {
        Assert.Equal("x-", Parse("A[0]=a\nB=\"x-${A[1]}\"\n").Value("B").Text);
    }

    [Theory]
    [InlineData("MAKE[0]=\"make -C ${kernel_source_dir} M=${dkms_tree}/x/build\"", "make -C ${kernel_source_dir} M=${dkms_tree}/x/build")]
    [InlineData("MAKE[0]=\"make KVER=$kernelver ARCH=$arch\"", "make KVER=$kernelver ARCH=$arch")]
    [InlineData("BUILT_MODULE_LOCATION[0]=$source_tree/$module-$module_version", "$source_tree/$module-$module_version")]
    [InlineData("MAKE[0]=\"make -j$parallel_jobs\"", "make -j$parallel_jobs")]
    public void Parse_RunTimeVariables_AreKeptAsWritten(string text, string expected)
    {
        ShellValue value = Parse(text).Element(text[..text.IndexOf('=', StringComparison.Ordinal)].Split('[')[0])!.Value;

        Assert.Equal(expected, value.Text);
        Assert.Null(value.Dynamic);
        Assert.NotEmpty(value.RunTimeReferences);
    }

    [Fact]
    public void Parse_RunTimeVariableThroughCustomVariable_StaysAsWrittenWithItsStaticPrefix()
    {
        ShellValue value = Parse("KSRC=\"$kernel_source_dir\"\nDEST_MODULE_LOCATION[0]=\"/kernel/$KSRC/x\"\n").Value("DEST_MODULE_LOCATION");

        Assert.Equal("/kernel/$kernel_source_dir/x", value.Text);
        Assert.Equal("/kernel/", value.StaticPrefix);
        Assert.Equal(["$kernel_source_dir"], value.RunTimeReferences);
    }

    [Fact]
    public void Parse_QuotedMake_KeepsTheQuotesThatSuppressDkmsInjection()
    {
        ShellValue value = Parse("MAKE=\"'make' -j$(nproc) KVER=${kernelver}\"\n").Value("MAKE");

        Assert.Equal("'make' -j$(nproc) KVER=${kernelver}", value.Text);
        Assert.Equal("uses command substitution $(nproc), which dkmspack does not run", value.Dynamic?.Text);
    }

    [Theory]
    [InlineData("PACKAGE_VERSION=$(cat VERSION)", "uses command substitution $(cat VERSION), which dkmspack does not run")]
    [InlineData("PACKAGE_VERSION=\"v$(cat VERSION)\"", "uses command substitution $(cat VERSION), which dkmspack does not run")]
    [InlineData("PACKAGE_VERSION=`cat VERSION`", "uses command substitution `cat VERSION`, which dkmspack does not run")]
    [InlineData("PACKAGE_VERSION=$((1 + 2))", "uses arithmetic expansion $((1 + 2)), which dkmspack does not evaluate")]
    [InlineData("PACKAGE_VERSION=${V:-1.0}", "uses the parameter expansion ${V:-1.0}, which dkmspack does not evaluate")]
    [InlineData("PACKAGE_VERSION=${V,,}", "uses the parameter expansion ${V,,}, which dkmspack does not evaluate")]
    [InlineData("PACKAGE_VERSION=$1", "uses the special parameter $1, which dkmspack does not evaluate")]
    [InlineData("PACKAGE_VERSION=$'1.0'", "uses $'1.0' quoting, which dkmspack does not decode")]
    [InlineData("PACKAGE_VERSION=~/v", "uses tilde expansion (~/v), which dkmspack does not evaluate")]
    [InlineData("PACKAGE_VERSION=$VERSION", "refers to $VERSION, which is not set earlier in dkms.conf")]
    [InlineData("declare -i PACKAGE_VERSION=1+2", "is declared with `declare -i`, which dkmspack does not evaluate")]
    public void Parse_DynamicValue_SaysWhy(string text, string reason)
    {
        Assert.Equal(reason, Reason(Parse(text), "PACKAGE_VERSION"));
    }

    [Fact]
    public void Parse_LongCommandSubstitution_IsAbbreviatedOnOneLine()
    {
        DkmsConfScript script = Parse("V=\"$(\n  if [ -e VERSION ]; then\n    cat VERSION\n  else\n    git describe --tags --always --dirty\n  fi\n)\"\n");

        Assert.Equal("uses command substitution $( if [ -e VERSION ]; then cat VERSION else git describe --…, which dkmspack does not run", Reason(script, "V"));
    }

    [Fact]
    public void Parse_ReferenceToDynamicVariable_ChainsTheReason()
    {
        DkmsConfScript script = Parse("VERSION=$(cat VERSION)\nPACKAGE_VERSION=\"${VERSION}\"\n");

        Assert.Equal(
            "refers to ${VERSION}, whose value dkmspack cannot know: VERSION uses command substitution $(cat VERSION), which dkmspack does not run",
            Reason(script, "PACKAGE_VERSION"));
    }

    [Fact]
    public void Parse_UnknownVariableAfterSourcing_NamesTheCommand()
    {
        DkmsConfScript script = Parse(". ./version.conf\nPACKAGE_VERSION=$VERSION\n");

        Assert.Equal(
            "refers to $VERSION, which is not set earlier in dkms.conf (it may come from `. ./version.conf` at line 1, a command dkmspack does not run)",
            Reason(script, "PACKAGE_VERSION"));
    }

    [Fact]
    public void Parse_AssignmentInIf_IsDynamicWithTheBlocksLine()
    {
        DkmsConfScript script = Parse("""
            PACKAGE_NAME=hello

            if [ -f $kernel_source_dir/.config ]; then
                . $kernel_source_dir/.config
                BUILD_EXCLUSIVE_KERNEL="REQUIRES CONFIG_FOO"
            elif true; then
                X=1
            else
                X=2
            fi
            """);

        Assert.Equal("is assigned inside an `if` block at line 3, which dkmspack does not run", Reason(script, "BUILD_EXCLUSIVE_KERNEL"));
        Assert.Equal("is assigned inside an `if` block at line 3, which dkmspack does not run", Reason(script, "X"));
        Assert.Equal("REQUIRES CONFIG_FOO", script.Value("BUILD_EXCLUSIVE_KERNEL").Text);
        Assert.True(script.Value("PACKAGE_NAME").IsLiteral);
        Assert.Equal(["[ -f $kernel_source_dir/.config ]", ". $kernel_source_dir/.config", "true"], script.SkippedCommands.Select(command => command.Text));
    }

    [Fact]
    public void Parse_UnconditionalAssignmentAfterBlock_IsStaticAgain()
    {
        DkmsConfScript script = Parse("if true; then V=1; fi\nV=2\n");

        Assert.Null(Reason(script, "V"));
        Assert.Equal("2", script.Value("V").Text);
    }

    [Fact]
    public void Parse_AssignmentInCase_IsDynamic()
    {
        DkmsConfScript script = Parse("""
            case "$kernelver" in
                5.*|6.*) AFS_OSTYPE=LINUX26 ;;
                (*)
                    AFS_OSTYPE=LINUX
                    ;;
            esac
            """);

        Assert.Equal("is assigned inside a `case` block at line 1, which dkmspack does not run", Reason(script, "AFS_OSTYPE"));
    }

    [Theory]
    [InlineData("for m in a b; do\n  LAST=x\ndone", "is assigned inside a `for` loop at line 1, which dkmspack does not run")]
    [InlineData("while false\ndo\n  LAST=x\ndone", "is assigned inside a `while` loop at line 1, which dkmspack does not run")]
    [InlineData("until true; do LAST=x; done", "is assigned inside an `until` loop at line 1, which dkmspack does not run")]
    [InlineData("for ((i = 0; i < 3; i++)); do LAST=x; done", "is assigned inside a `for` loop at line 1, which dkmspack does not run")]
    [InlineData("set_it() {\n  LAST=x\n}", "is assigned inside the function `set_it` at line 1, which dkmspack does not run")]
    [InlineData("function set_it {\n  LAST=x\n}", "is assigned inside the function `set_it` at line 1, which dkmspack does not run")]
    [InlineData("( LAST=x )", "is assigned inside a subshell at line 1, which does not change the variable for DKMS")]
    [InlineData("LAST=x | cat", "is assigned inside a pipeline at line 1, which runs in a subshell and does not change the variable for DKMS")]
    [InlineData("LAST=x &", "is assigned in a background command (`&`) at line 1, which runs in a subshell and does not change the variable for DKMS")]
    [InlineData("[ -n \"$x\" ] &&\n  LAST=x", "is assigned after `&&` at line 1, so it depends on a command dkmspack does not run")]
    [InlineData("[[ -r ${C} ]] || LAST=x", "is assigned after `||` at line 1, so it depends on a command dkmspack does not run")]
    public void Parse_AssignmentThatMayNotRun_IsDynamic(string text, string reason)
    {
        Assert.Equal(reason, Reason(Parse(text), "LAST"));
    }

    [Fact]
    public void Parse_LoopVariable_IsDynamic()
    {
        Assert.Equal("is assigned inside a `for` loop at line 1, which dkmspack does not run", Reason(Parse("for m in a b; do :; done\n"), "m"));
    }

    [Fact]
    public void Parse_FirstCommandOfAndChain_RunsUnconditionally()
    {
        DkmsConfScript script = Parse("PROCS=16 && echo set\n");

        Assert.Null(Reason(script, "PROCS"));
    }

    [Fact]
    public void Parse_GroupCommand_RunsInTheCurrentShell()
    {
        Assert.Null(Reason(Parse("{ A=1; B=2; }\n"), "B"));
    }

    [Fact]
    public void Parse_NestedBlocks_ReportTheOutermost()
    {
        DkmsConfScript script = Parse("if a; then\n  if b; then\n    X=1\n  fi\nfi\n");

        Assert.Equal("is assigned inside an `if` block at line 1, which dkmspack does not run", Reason(script, "X"));
    }

    [Fact]
    public void Parse_Unset_RemovesOrMakesDynamic()
    {
        DkmsConfScript script = Parse("A=1\nB=(x y)\nC=1\nunset A 'B[1]'\n[ -f x ] && unset C\n");

        Assert.Null(script.Variable("A"));
        Assert.Equal([0], script.Variable("B")!.Elements.Keys);
        Assert.Equal("is unset after `&&` at line 5, so it depends on a command dkmspack does not run", Reason(script, "C"));
    }

    [Fact]
    public void Parse_ArrayFromUnquotedCommandSubstitution_HasUnknownIndices()
    {
        ShellVariable variable = Parse("PATCH=($(ls patches))\n").Variable("PATCH")!;

        Assert.Equal("uses command substitution $(ls patches), which dkmspack does not run", variable.IndicesDynamic?.Text);
    }

    [Fact]
    public void Parse_ArrayWithPattern_HasUnknownIndices()
    {
        Assert.Equal("uses the pattern *.patch, which dkmspack does not expand", Parse("PATCH=(*.patch)\n").Variable("PATCH")!.IndicesDynamic?.Text);
    }

    [Fact]
    public void Parse_ArrayFromQuotedCommandSubstitution_IsOneDynamicElement()
    {
        ShellVariable variable = Parse("A=(\"$(nproc)\" b)\n").Variable("A")!;

        Assert.Null(variable.IndicesDynamic);
        Assert.Equal([0, 1], variable.Elements.Keys);
        Assert.NotNull(variable.Element(0)!.Value.Dynamic);
    }

    [Fact]
    public void Parse_ComputedIndex_MakesIndicesUnknown()
    {
        ShellVariable variable = Parse("i=2\nBUILT_MODULE_NAME[$i]=x\n").Variable("BUILT_MODULE_NAME")!;

        Assert.Equal("uses the index [$i], which dkmspack does not evaluate", variable.IndicesDynamic?.Text);
        Assert.Empty(variable.Elements);
    }

    [Fact]
    public void Parse_Commands_AreSkippedAndRemembered()
    {
        DkmsConfScript script = Parse("""
            . $kernel_source_dir/.config
            echo "building" >&2
            [[ -e x ]]
            shopt -s extglob
            """);

        Assert.Equal(
            [(". $kernel_source_dir/.config", 1, "."), ("echo \"building\" >&2", 2, "echo"), ("[[ -e x ]]", 3, null), ("shopt -s extglob", 4, "shopt")],
            script.SkippedCommands.Select(command => (command.Text, command.Line, command.Name)));
    }

    [Fact]
    public void Parse_PackageVersionValueSpan_IsExact()
    {
        const string Text = "PACKAGE_NAME=x\nPACKAGE_VERSION=\"#MODULE_VERSION#\" # set by dh_dkms\n";

        VariableElement element = Parse(Text).Element("PACKAGE_VERSION")!;

        Assert.Equal(new TextSpan(31, 18), element.ValueSpan);
        Assert.Equal("\"#MODULE_VERSION#\"", Text.Substring(element.ValueSpan.Start, element.ValueSpan.Length));
        Assert.Equal(2, element.Line);
    }

    [Fact]
    public void Parse_WithPackageVersionOverride_EveryAssignmentStoresTheOverride()
    {
        DkmsConfScript script = Parse("if [ -f V ]; then PACKAGE_VERSION=$(cat V); fi\nMAKE=\"make V=$PACKAGE_VERSION\"\n", packageVersionOverride: "2.0");

        Assert.True(script.Value("PACKAGE_VERSION").IsLiteral);
        Assert.Equal("make V=2.0", script.Value("MAKE").Text);
        Assert.True(script.Value("MAKE").IsLiteral);
    }

    [Fact]
    public void Parse_HereDocumentBody_IsNotParsed()
    {
        DkmsConfScript script = Parse("cat > /dev/null <<EOF\nPACKAGE_VERSION=9\nEOF\nPACKAGE_VERSION=1\n");

        Assert.Equal(4, script.Element("PACKAGE_VERSION")!.Line);
        Assert.Single(script.Assignments);
    }

    [Theory]
    [InlineData("A=1\nfi\nB=2\n", 2, "syntax error near unexpected token 'fi'")]
    [InlineData("A=1\nif true; then\n  B=2\n", 2, "syntax error: 'if' has no matching 'fi'")]
    [InlineData("A=1\nif true\nB=2 fi\n", 2, "syntax error: 'if' has no matching 'then'")]
    [InlineData("A=1\ncase x in\n  a) B=2 ;;\n", 2, "syntax error: 'case' has no matching 'esac'")]
    [InlineData("A=1\nfor x in a; do B=2\n", 2, "syntax error: 'for' has no matching 'done'")]
    [InlineData("A=1\n( B=2\n", 2, "syntax error: '(' has no matching ')'")]
    [InlineData("A=1\nB=x(y)\n", 2, "syntax error near unexpected token '('")]
    [InlineData("A=1\n)\n", 2, "syntax error near unexpected token ')'")]
    [InlineData("A=1\nB=\"unclosed\nC=3\n", 2, "syntax error: the double quote opened here is never closed")]
    public void Parse_SyntaxError_KeepsWhatCameBefore(string text, int line, string message)
    {
        DkmsConfScript script = DkmsConfScript.Parse(text);

        Assert.Equal(message, script.SyntaxError?.Message);
        Assert.Equal(line, script.Source.LineAt(script.SyntaxError!.Offset));
        Assert.Equal("1", script.Value("A").Text);
        Assert.Null(script.Variable("C"));
    }
}
