using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using Xunit;
using static DkmsPack.Tests.Dkms.DkmsConfTesting;

namespace DkmsPack.Tests.Dkms;

/// <summary>One test per validation rule, each asserting the complete list of findings as printed.</summary>
public class DkmsConfValidationTests
{
    // Five lines that break no rule; tests append from line 6 or replace a line.
    private const string Valid = """
        PACKAGE_NAME="hello"
        PACKAGE_VERSION="1.0"
        BUILT_MODULE_NAME[0]="hello"
        DEST_MODULE_LOCATION[0]="/updates"
        AUTOINSTALL="yes"

        """;

    private static string ValidWith(string line, string replacement) => Valid.Replace(line, replacement, StringComparison.Ordinal);

    [Fact]
    public void Read_ValidConf_HasNoFindingsAndResolvesEverything()
    {
        DkmsConf conf = Read(Valid);

        Assert.Equal(("hello", "1.0", true, false), (conf.PackageName, conf.PackageVersion, conf.AutoInstall, conf.UsesBuildExclusiveConfig));
        Assert.Equal([new DkmsModule(0, "hello", "", "hello", "/updates")], conf.Modules);
        Assert.Empty(conf.Warnings);
        Assert.Equal(Valid, conf.Text);
        Assert.Equal(Valid, conf.PackagedText);
        Assert.Equal(DisplayPath, conf.DisplayPath);
    }

    [Fact]
    public void Read_Errors_ThrowWithEveryFindingSortedByLine()
    {
        const string Text = """
            PACKAGE_NAME="hello"
            PACKAGE_VERSION="1.0"
            CLEAN="make clean"
            BUILT_MODULE_NAME[0]="hello.ko"
            AUTOINSTALL="true"
            """;

        InvalidInputException e = Assert.Throws<InvalidInputException>(() => Read(Text));

        Assert.Equal(
            [
                "dkms.conf:3: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it",
                "dkms.conf:4: error: BUILT_MODULE_NAME[0] is \"hello.ko\"; remove the .ko suffix (DKMS adds .ko itself)",
                "dkms.conf:4: error: DEST_MODULE_LOCATION[0] is not set; set it, e.g. to \"/updates\": DKMS requires it for every module",
                "dkms.conf:5: error: AUTOINSTALL is \"true\"; DKMS accepts only \"yes\" or \"no\"",
            ],
            e.Diagnostics.Select(diagnostic => diagnostic.ToString()));
        Assert.Equal(ExitCode.InvalidInput, e.ExitCode);
        Assert.Equal(e.Diagnostics[1].ToString(), e.Message);
    }

    [Fact]
    public void Read_NullArguments_AreProgrammerErrors()
    {
        var options = new DkmsConfOptions();

        Assert.Throws<ArgumentNullException>(() => DkmsConfReader.Read(null!, DisplayPath, options));
        Assert.Throws<ArgumentNullException>(() => DkmsConfReader.Read(Valid, null!, options));
        Assert.Throws<ArgumentNullException>(() => DkmsConfReader.Read(Valid, DisplayPath, null!));
    }

    [Fact]
    public void Read_SyntaxError_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:6: error: syntax error near unexpected token 'fi' (bash stops reading dkms.conf here)"],
            Findings(Valid + "fi\n"));
    }

    // PACKAGE_NAME

    [Fact]
    public void Read_PackageNameMissing_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf: error: PACKAGE_NAME is not set; assign it in dkms.conf"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "# no name")));
    }

    [Fact]
    public void Read_PackageNameMissingAfterSourcing_NamesTheLikelyCommand()
    {
        Assert.Equal(
            ["dkms.conf: error: PACKAGE_NAME is not set; assign it in dkms.conf (it may come from `source ./names.sh` at line 1, a command dkmspack does not run)"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "source ./names.sh")));
    }

    [Fact]
    public void Read_PackageNameDynamic_IsAnErrorWithNoOverride()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME uses command substitution $(basename \"$PWD\"), which dkmspack does not run; write the name as a literal in dkms.conf (dkmspack has no option to set it)"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "PACKAGE_NAME=$(basename \"$PWD\")"), version: "1.0"));
    }

    [Fact]
    public void Read_PackageNameAssignedInIf_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME is assigned inside an `if` block at line 1, which dkmspack does not run; write the name as a literal in dkms.conf (dkmspack has no option to set it)"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "if true; then PACKAGE_NAME=hello; fi")));
    }

    [Fact]
    public void Read_PackageNameEmpty_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME is empty; give the module a name: DKMS requires one"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "PACKAGE_NAME=\"\"")));
    }

    [Fact]
    public void Read_PackageNamePlaceholder_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME is \"#MODULE_NAME#\", a placeholder; write the name as a literal in dkms.conf (dkmspack has no option to set it)"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "PACKAGE_NAME=\"#MODULE_NAME#\"")));
    }

    [Fact]
    public void Read_PackageNameWithBadCharacters_NamesThem()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME \"my module/x\" contains ' ', '/', which cannot be used in a package name; use letters, digits and . _ + -"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "PACKAGE_NAME=\"my module/x\"")));
    }

    [Fact]
    public void Read_PackageNameStartingWithPunctuation_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:1: error: PACKAGE_NAME \"-hello\" must start with a letter or a digit"],
            Findings(ValidWith("PACKAGE_NAME=\"hello\"", "PACKAGE_NAME=\"-hello\"")));
    }

    // PACKAGE_VERSION

    [Fact]
    public void Read_PackageVersionMissing_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf: error: PACKAGE_VERSION is not set; assign it in dkms.conf"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "")));
    }

    [Fact]
    public void Read_PackageVersionReadByACommand_NamesThatCommand()
    {
        Assert.Equal(
            ["dkms.conf: error: PACKAGE_VERSION is not set; assign it in dkms.conf (it may come from `read -r PACKAGE_VERSION < VERSION` at line 2, a command dkmspack does not run)"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "read -r PACKAGE_VERSION < VERSION")));
    }

    [Theory]
    [InlineData("#MODULE_VERSION#")]
    [InlineData("#VERSION#")]
    [InlineData("@VERSION@")]
    [InlineData("@FULL_VERSION@")]
    [InlineData("__VERSION_STRING")]
    public void Read_PackageVersionPlaceholder_AsksForVersion(string placeholder)
    {
        Assert.Equal(
            [$"dkms.conf:2: error: PACKAGE_VERSION is \"{placeholder}\", a placeholder; pass --version to set it"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", $"PACKAGE_VERSION=\"{placeholder}\"")));
    }

    [Fact]
    public void Read_PackageVersionContainingPlaceholder_AsksForVersion()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION is \"1.0-@BUILD@\", which contains the placeholder @BUILD@; pass --version to set it"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=\"1.0-@BUILD@\"")));
    }

    [Fact]
    public void Read_PackageVersionCommandSubstitution_AsksForVersion()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION uses command substitution $(cat VERSION), which dkmspack does not run; pass --version"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=$(cat VERSION)")));
    }

    [Fact]
    public void Read_PackageVersionAssignedInIf_AsksForVersion()
    {
        const string Text = """
            PACKAGE_NAME="hello"
            BUILT_MODULE_NAME[0]="hello"
            DEST_MODULE_LOCATION[0]="/updates"
            AUTOINSTALL="yes"

            if [ -f VERSION ]; then
                PACKAGE_VERSION="1.1"
            else
                PACKAGE_VERSION="1.0"
            fi
            """;

        Assert.Equal(
            ["dkms.conf:9: error: PACKAGE_VERSION is assigned inside an `if` block at line 6, which dkmspack does not run; pass --version"],
            Findings(Text));
    }

    [Fact]
    public void Read_PackageVersionFromRunTimeVariable_AsksForVersion()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION refers to ${kernelver}, which DKMS sets only while it works on a kernel; pass --version"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=\"${kernelver}\"")));
    }

    [Fact]
    public void Read_PackageVersionAtComputedIndex_AsksForVersion()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION uses the index [$i], which dkmspack does not evaluate; pass --version"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION[$i]=1.0")));
    }

    [Fact]
    public void Read_PackageVersionEmpty_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION is empty; set it in dkms.conf or pass --version"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=")));
    }

    [Fact]
    public void Read_PackageVersionWithBadCharacters_NamesThem()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION \"1.0 beta\" contains ' ', which cannot be used in a version; use letters, digits and . _ + ~ : -"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=\"1.0 beta\"")));
    }

    [Fact]
    public void Read_VersionOptionWithBadCharacters_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf: error: --version \"1.0/2\" contains '/', which cannot be used in a version; use letters, digits and . _ + ~ : -"],
            Findings(Valid, version: "1.0/2"));
    }

    [Fact]
    public void Read_VersionOptionWithoutAssignment_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf: error: PACKAGE_VERSION is not set; assign it in dkms.conf (--version replaces the value of an existing assignment)"],
            Findings(ValidWith("PACKAGE_VERSION=\"1.0\"", ""), version: "1.0"));
    }

    [Fact]
    public void Read_VersionOptionDifferentFromLiteral_WarnsAndWins()
    {
        DkmsConf conf = Read(Valid, version: "2.0");

        Assert.Equal("2.0", conf.PackageVersion);
        Assert.Equal(["dkms.conf:2: warning: PACKAGE_VERSION is \"1.0\"; the packaged dkms.conf gets \"2.0\" from --version"], conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Read_VersionOptionForDynamicVersion_IsQuiet()
    {
        DkmsConf conf = Read(ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=$(cat VERSION)"), version: "2.0");

        Assert.Equal("2.0", conf.PackageVersion);
        Assert.Empty(conf.Warnings);
    }

    // Module records

    [Fact]
    public void Read_LeftoverPlaceholderInMake_WarnsWithTheLine()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: MAKE contains @CFLGS@, a placeholder nothing fills in: DKMS would use it as written; replace it in dkms.conf before packaging (--version fills only PACKAGE_VERSION)"],
            Findings(Valid + "MAKE=\"make EXTRA_CFLAGS=@CFLGS@ -C ${kernel_source_dir} M=${dkms_tree}/hello/1.0/build\"\n"));
    }

    [Theory]
    [InlineData("MAKE[1]=\"make #JOBS#\"", "dkms.conf:6: warning: MAKE[1] contains #JOBS#")]
    [InlineData("PRE_BUILD=\"configure __PREFIX__\"", "dkms.conf:6: warning: PRE_BUILD contains __PREFIX__")]
    public void Read_LeftoverPlaceholderShapes_AreEachNamed(string line, string expectedStart)
    {
        string finding = Assert.Single(Findings(Valid + line + "\n", probe: _ => TreeFileKind.ExecutableFile));

        Assert.StartsWith(expectedStart, finding, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MAKE=\"make EXTRA_CFLAGS=-D__KERNEL__ -U__OPTIMIZE__\"")]
    [InlineData("MAKE=\"make __init\"")]
    [InlineData("MAKE=\"make user@host.example\"")]
    public void Read_MacrosAndAddresses_AreNoPlaceholders(string line)
    {
        Assert.Empty(Findings(Valid + line + "\n"));
    }

    [Fact]
    public void Read_VersionPlaceholderFilledByVersionOption_IsNoLeftover()
    {
        string text = ValidWith("PACKAGE_VERSION=\"1.0\"", "PACKAGE_VERSION=\"@VERSION@\"") + "MAKE=\"make VERSION=@VERSION@\"\n";

        Assert.Empty(Findings(text, version: "1.2"));
        Assert.Equal(
            ["dkms.conf:6: warning: MAKE contains @BUILD@, a placeholder nothing fills in: DKMS would use it as written; replace it in dkms.conf before packaging (--version fills only PACKAGE_VERSION)"],
            Findings(text.Replace("VERSION=@VERSION@", "VERSION=@VERSION@-@BUILD@", StringComparison.Ordinal), version: "1.2"));
    }

    [Fact]
    public void Read_HelperArrayTheFileExpands_IsNoTypo()
    {
        const string Text = """
            PACKAGE_NAME="wifi"
            PACKAGE_VERSION="1.0"
            BUILT_MODULE_NAMES=(wifi_core wifi_usb)
            for i in "${!BUILT_MODULE_NAMES[@]}"; do
                BUILT_MODULE_NAME[$i]="${BUILT_MODULE_NAMES[$i]}"
                DEST_MODULE_LOCATION[$i]="/updates"
            done
            AUTOINSTALL="yes"
            """;

        Assert.DoesNotContain(Findings(Text), finding => finding.Contains("unknown directive", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_HelperArrayNobodyExpands_IsStillATypo()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: unknown directive BUILT_MODULE_NAMES, which DKMS ignores; did you mean BUILT_MODULE_NAME?"],
            Findings(Valid + "BUILT_MODULE_NAMES=(hello)\n"));
    }

    [Fact]
    public void Read_SingleRecordWithoutName_DefaultsToPackageName()
    {
        DkmsConf conf = Read(ValidWith("BUILT_MODULE_NAME[0]=\"hello\"", "BUILT_MODULE_LOCATION[0]=\"src/\""));

        Assert.Equal([new DkmsModule(0, "hello", "src", "hello", "/updates")], conf.Modules);
    }

    [Fact]
    public void Read_SeveralRecords_EachNeedsAName()
    {
        Assert.Equal(
            ["dkms.conf:7: error: BUILT_MODULE_NAME[1] is not set; with 2 module records each must name its module"],
            Findings(Valid + "\nDEST_MODULE_LOCATION[1]=\"/updates\"\n"));
    }

    [Fact]
    public void Read_GapInRecordIndices_IsAnError()
    {
        const string Text = Valid + """
            BUILT_MODULE_NAME[3]="world"
            DEST_MODULE_LOCATION[3]="/updates"
            """;

        Assert.Equal(
            ["dkms.conf:6: error: module records 1, 2 are missing: DKMS counts records 0 to 3 (the highest index used) and rejects empty ones; fill the gap or renumber the arrays"],
            Findings(Text));
    }

    [Theory]
    [InlineData("BUILT_MODULE_NAME[0]=\"hello.ko\"", "dkms.conf:3: error: BUILT_MODULE_NAME[0] is \"hello.ko\"; remove the .ko suffix (DKMS adds .ko itself)")]
    [InlineData("BUILT_MODULE_NAME[0]=\"hello.o\"", "dkms.conf:3: error: BUILT_MODULE_NAME[0] is \"hello.o\"; remove the .o suffix (DKMS adds .ko itself)")]
    [InlineData("BUILT_MODULE_NAME[0]=hello DEST_MODULE_NAME[0]=hi.ko", "dkms.conf:3: error: DEST_MODULE_NAME[0] is \"hi.ko\"; remove the .ko suffix (DKMS adds .ko itself)")]
    public void Read_ModuleNameWithSuffix_IsAnError(string line, string expected)
    {
        Assert.Equal([expected], Findings(ValidWith("BUILT_MODULE_NAME[0]=\"hello\"", line)));
    }

    [Fact]
    public void Read_DestModuleLocationMissing_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:3: error: DEST_MODULE_LOCATION[0] is not set; set it, e.g. to \"/updates\": DKMS requires it for every module"],
            Findings(ValidWith("DEST_MODULE_LOCATION[0]=\"/updates\"", "")));
    }

    [Fact]
    public void Read_DestModuleLocationOutsideAllowedTrees_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:4: error: DEST_MODULE_LOCATION[0] is \"/misc\"; make it start with /kernel, /updates or /extra (Debian and Ubuntu install to /updates/dkms whatever it says, but DKMS rejects other values first)"],
            Findings(ValidWith("DEST_MODULE_LOCATION[0]=\"/updates\"", "DEST_MODULE_LOCATION[0]=/misc")));
    }

    [Theory]
    [InlineData("/kernel/drivers/net")]
    [InlineData("/extra")]
    [InlineData("/updates/dkms/")]
    [InlineData("/kernel/$kernelver")]
    public void Read_DestModuleLocationInAllowedTree_IsAccepted(string location)
    {
        Assert.Empty(Findings(ValidWith("DEST_MODULE_LOCATION[0]=\"/updates\"", $"DEST_MODULE_LOCATION[0]=\"{location}\"")));
    }

    [Fact]
    public void Read_DestModuleLocationStartingWithRunTimeVariable_CannotBeChecked()
    {
        Assert.Equal(
            ["dkms.conf:4: warning: DEST_MODULE_LOCATION[0] refers to $install_tree, which DKMS sets only while it works on a kernel; dkmspack cannot check it statically"],
            Findings(ValidWith("DEST_MODULE_LOCATION[0]=\"/updates\"", "DEST_MODULE_LOCATION[0]=\"$install_tree/x\"")));
    }

    [Fact]
    public void Read_DuplicateBuiltModule_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:6: error: BUILT_MODULE_NAME[1] \"hello\" duplicates module record 0 (same BUILT_MODULE_LOCATION); DKMS rejects duplicate modules"],
            Findings(Valid + "BUILT_MODULE_NAME[1]=\"hello\"\nDEST_MODULE_LOCATION[1]=\"/extra\"\n"));
    }

    [Fact]
    public void Read_SameNameBuiltInDifferentDirectories_DuplicatesTheDestination()
    {
        const string Text = Valid + """
            BUILT_MODULE_NAME[1]="hello"
            BUILT_MODULE_LOCATION[1]="v2/"
            DEST_MODULE_LOCATION[1]="/extra"
            """;

        Assert.Equal(
            ["dkms.conf:6: error: DEST_MODULE_NAME[1] \"hello\" (defaulted from BUILT_MODULE_NAME[1]) duplicates module record 0; DKMS rejects two modules installed under one name"],
            Findings(Text));
    }

    [Fact]
    public void Read_DuplicateDestModuleName_IsAnError()
    {
        const string Text = Valid + """
            BUILT_MODULE_NAME[1]="world"
            DEST_MODULE_NAME[1]="hello"
            DEST_MODULE_LOCATION[1]="/updates"
            """;

        Assert.Equal(
            ["dkms.conf:7: error: DEST_MODULE_NAME[1] \"hello\" duplicates module record 0; DKMS rejects two modules installed under one name"],
            Findings(Text));
    }

    [Fact]
    public void Read_DynamicModuleName_CannotBeChecked()
    {
        Assert.Equal(
            ["dkms.conf:3: warning: BUILT_MODULE_NAME[0] uses command substitution $(ls *.c), which dkmspack does not run; dkmspack cannot check it statically"],
            Findings(ValidWith("BUILT_MODULE_NAME[0]=\"hello\"", "BUILT_MODULE_NAME[0]=\"$(ls *.c)\"")));
    }

    [Fact]
    public void Read_DynamicDestModuleLocation_CannotBeChecked()
    {
        Assert.Equal(
            ["dkms.conf:4: warning: DEST_MODULE_LOCATION[0] is assigned after `&&` at line 4, so it depends on a command dkmspack does not run; dkmspack cannot check it statically"],
            Findings(ValidWith("DEST_MODULE_LOCATION[0]=\"/updates\"", "[ -d /lib/modules ] && DEST_MODULE_LOCATION[0]=\"/updates\"")));
    }

    [Fact]
    public void Read_ModuleIndicesUnknown_CannotBeChecked()
    {
        Assert.Equal(
            ["dkms.conf:3: warning: BUILT_MODULE_NAME uses command substitution $(cd src && ls), which dkmspack does not run; dkmspack cannot check the module records statically"],
            Findings(ValidWith("BUILT_MODULE_NAME[0]=\"hello\"", "BUILT_MODULE_NAME=($(cd src && ls))")));
    }

    [Theory]
    [InlineData("src", "src")]
    [InlineData("src/", "src")]
    [InlineData("./src//", "src")]
    [InlineData("", "")]
    [InlineData("./", "")]
    public void Read_BuiltModuleLocation_IsNormalised(string written, string expected)
    {
        DkmsConf conf = Read(Valid + $"BUILT_MODULE_LOCATION[0]=\"{written}\"\n");

        Assert.Equal(expected, Assert.Single(conf.Modules).BuiltModuleLocation);
    }

    // yes/no directives

    [Theory]
    [InlineData("AUTOINSTALL", "true")]
    [InlineData("NO_WEAK_MODULES", "1")]
    [InlineData("BUILD_DEPENDS_REBUILD", "y")]
    public void Read_YesNoDirectiveWithOtherValue_IsAnError(string directive, string value)
    {
        string text = directive == "AUTOINSTALL" ? ValidWith("AUTOINSTALL=\"yes\"", $"AUTOINSTALL=\"{value}\"") : Valid + $"{directive}=\"{value}\"\n";
        int line = directive == "AUTOINSTALL" ? 5 : 6;

        Assert.Equal([$"dkms.conf:{line}: error: {directive} is \"{value}\"; DKMS accepts only \"yes\" or \"no\""], Findings(text));
    }

    [Theory]
    [InlineData("NO_WEAK_MODULES=\"yes\"")]
    [InlineData("NO_WEAK_MODULES=No")]
    [InlineData("BUILD_DEPENDS_REBUILD=YES")]
    [InlineData("STRIP[0]=no")]
    [InlineData("STRIP[0]=\"Yes\"")]
    [InlineData("STRIP[0]=")]
    public void Read_YesNoValuesInAnyCase_AreAccepted(string line)
    {
        Assert.Empty(Findings(Valid + line + "\n"));
    }

    [Fact]
    public void Read_AutoInstallInCapitals_IsYes()
    {
        Assert.True(Read(ValidWith("AUTOINSTALL=\"yes\"", "AUTOINSTALL=YES")).AutoInstall);
    }

    [Fact]
    public void Read_StripWithOtherValue_IsAnError()
    {
        Assert.Equal(
            ["dkms.conf:6: error: STRIP[0] is \"false\"; use \"yes\" or \"no\" (DKMS reads only the first letter and strips the module for anything else)"],
            Findings(Valid + "STRIP[0]=false\n"));
    }

    [Fact]
    public void Read_StripWithoutModuleRecord_IsIgnoredByDkms()
    {
        Assert.Equal(["dkms.conf:6: warning: STRIP[2] has no module record; DKMS ignores it"], Findings(Valid + "STRIP[2]=no\n"));
    }

    [Fact]
    public void Read_AutoInstallMissing_Warns()
    {
        DkmsConf conf = Read(ValidWith("AUTOINSTALL=\"yes\"", ""));

        Assert.False(conf.AutoInstall);
        Assert.Equal(
            ["dkms.conf: warning: AUTOINSTALL is not set, so installing the package registers the module with DKMS but does not build it; set AUTOINSTALL=\"yes\""],
            conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Read_AutoInstallNo_Warns()
    {
        Assert.Equal(
            ["dkms.conf:5: warning: AUTOINSTALL is \"no\", so installing the package registers the module with DKMS but does not build it"],
            Findings(ValidWith("AUTOINSTALL=\"yes\"", "AUTOINSTALL=no")));
    }

    [Fact]
    public void Read_AutoInstallDynamic_Warns()
    {
        Assert.Equal(
            ["dkms.conf:5: warning: AUTOINSTALL uses the parameter expansion ${AUTO:-yes}, which dkmspack does not evaluate; dkmspack cannot tell whether installing the package builds the module"],
            Findings(ValidWith("AUTOINSTALL=\"yes\"", "AUTOINSTALL=${AUTO:-yes}")));
    }

    // Deprecated and unknown directives

    [Fact]
    public void Read_Clean_IsDeprecated()
    {
        Assert.Equal(["dkms.conf:6: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it"], Findings(Valid + "CLEAN=\"make clean\"\n"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("/bin/true")]
    [InlineData("/usr/bin/true")]
    public void Read_CleanTrue_IsNotReported(string value)
    {
        Assert.Empty(Findings(Valid + $"CLEAN={value}\n"));
    }

    [Fact]
    public void Read_RemakeInitrd_IsDeprecated()
    {
        Assert.Equal(["dkms.conf:6: warning: REMAKE_INITRD is deprecated and ignored since DKMS 2.8.8; remove it"], Findings(Valid + "REMAKE_INITRD=no\n"));
    }

    [Theory]
    [InlineData("MODULES_CONF")]
    [InlineData("MODULES_CONF_ALIAS_TYPE")]
    [InlineData("MODULES_CONF_OBSOLETES")]
    [InlineData("MODULES_CONF_OBSOLETE_ONLY")]
    public void Read_ModulesConf_IsDeprecated(string directive)
    {
        Assert.Equal(
            [$"dkms.conf:6: warning: {directive} is deprecated and ignored since DKMS 2.8.8; remove it and ship a file in /etc/modprobe.d instead"],
            Findings(Valid + $"{directive}[0]=\"\"\n"));
    }

    [Fact]
    public void Read_ObsoleteBy_IsDiscouraged()
    {
        Assert.Equal(["dkms.conf:6: warning: OBSOLETE_BY is discouraged; use BUILD_EXCLUSIVE_KERNEL_MAX instead"], Findings(Valid + "OBSOLETE_BY=\"6.2\"\n"));
    }

    [Fact]
    public void Read_SignTool_WasRemoved()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: SIGN_TOOL was removed from DKMS and is ignored; module signing is configured in /etc/dkms/framework.conf"],
            Findings(Valid + "SIGN_TOOL=\"./sign.sh\"\n"));
    }

    [Theory]
    [InlineData("BUILT_MODULES_NAME", "BUILT_MODULE_NAME")]
    [InlineData("DEST_MODULE_LOCATIONS", "DEST_MODULE_LOCATION")]
    [InlineData("PACKAGE_VERISON", "PACKAGE_VERSION")]
    [InlineData("AUTO_INSTALL", "AUTOINSTALL")]
    [InlineData("STRIPS", "STRIP")]
    [InlineData("PRE_BUILDS", "PRE_BUILD")]
    public void Read_DirectiveTypo_SuggestsTheDirective(string typo, string directive)
    {
        Assert.Equal(
            [$"dkms.conf:6: warning: unknown directive {typo}, which DKMS ignores; did you mean {directive}?"],
            Findings(Valid + $"{typo}[0]=\"x\"\n"));
    }

    [Theory]
    [InlineData("NAME")]
    [InlineData("PATCHES")]
    [InlineData("PROCS_NUM")]
    [InlineData("PACKAGE_CONFIG")]
    [InlineData("KVER")]
    [InlineData("built_module_names")]
    public void Read_CustomVariable_IsNotTakenForATypo(string name)
    {
        Assert.Empty(Findings(Valid + $"{name}=\"x\"\n"));
    }

    // Scripts, MAKE and PATCH against the tree

    [Theory]
    [InlineData("PRE_BUILD")]
    [InlineData("POST_BUILD")]
    [InlineData("POST_ADD")]
    [InlineData("POST_INSTALL")]
    [InlineData("POST_REMOVE")]
    [InlineData("PRE_INSTALL")]
    public void Read_ScriptNotExecutable_Warns(string directive)
    {
        Func<string, TreeFileKind> tree = Tree(("scripts/run.sh", TreeFileKind.File));

        Assert.Equal(
            [$"dkms.conf:6: warning: {directive} script \"./scripts/run.sh\" is not executable, so DKMS would skip it; dkmspack packages it as found, run chmod +x scripts/run.sh"],
            Findings(Valid + $"{directive}=\"./scripts/run.sh --verbose ${{kernelver}}\"\n", probe: tree));
    }

    [Fact]
    public void Read_ScriptMissing_Warns()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: PRE_BUILD script \"find\" is not in the module tree; DKMS would skip it with a warning"],
            Findings(Valid + "PRE_BUILD=\"find . -name '*.o' -delete\"\n", probe: Tree()));
    }

    [Fact]
    public void Read_ScriptIsDirectory_Warns()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: POST_BUILD script \"scripts\" is a directory; DKMS would skip it with a warning"],
            Findings(Valid + "POST_BUILD=scripts\n", probe: Tree(("scripts", TreeFileKind.Directory))));
    }

    [Fact]
    public void Read_ExecutableScript_IsAccepted()
    {
        Assert.Empty(Findings(Valid + "PRE_BUILD=\"configure --prefix=/usr\"\n", probe: Tree(("configure", TreeFileKind.ExecutableFile))));
    }

    [Fact]
    public void Read_ScriptsWithoutProbe_AreNotChecked()
    {
        Assert.Empty(Findings(Valid + "PRE_BUILD=\"missing.sh\"\nPATCH[0]=\"missing.patch\"\nMAKE=\"./missing.sh\"\n"));
    }

    [Fact]
    public void Read_MakeScriptNotExecutable_Warns()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: MAKE[0] runs \"./build.sh\", which is not executable, so the build would fail; dkmspack packages it as found, run chmod +x build.sh"],
            Findings(Valid + "MAKE=\"./build.sh ${kernelver}\"\n", probe: Tree(("build.sh", TreeFileKind.File))));
    }

    [Fact]
    public void Read_MakeScriptMissing_Warns()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: MAKE[1] runs \"tools/build\", which is not in the module tree; the build would fail"],
            Findings(Valid + "MAKE[1]=\"'tools/build' -j4\"\nMAKE_MATCH[1]=\"^6\"\n", probe: Tree()));
    }

    [Theory]
    [InlineData("make -C $kernel_source_dir M=$dkms_tree/hello/1.0/build")]
    [InlineData("'make' -j$(nproc) KVER=${kernelver}")]
    [InlineData("KDIR=/lib/modules/${kernelver}/build make")]
    [InlineData("(cd src && ./build.sh)")]
    [InlineData("/usr/bin/make -C src")]
    [InlineData("sh build.sh")]
    [InlineData("$MAKE_TOOL all")]
    public void Read_MakeNotStartingWithATreePath_IsNotChecked(string make)
    {
        Assert.Empty(Findings(Valid + $"MAKE[0]=\"{make.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n", probe: Tree()));
    }

    [Fact]
    public void Read_PatchMissing_Warns()
    {
        Assert.Equal(
            ["dkms.conf:7: warning: PATCH[1] \"fix-6.8.patch\" is not in the module tree as patches/fix-6.8.patch; DKMS would stop the build"],
            Findings(Valid + "PATCH[0]=\"ok.patch\"\nPATCH[1]=\"fix-6.8.patch\"\n", probe: Tree(("patches/ok.patch", TreeFileKind.File))));
    }

    [Fact]
    public void Read_PatchOutsidePatchesDirectory_Warns()
    {
        Assert.Equal(
            ["dkms.conf:6: warning: PATCH[0] \"../fix.patch\" contains a '..' path component, which DKMS refuses"],
            Findings(Valid + "PATCH[0]=\"../fix.patch\"\n", probe: Tree(("fix.patch", TreeFileKind.File))));
    }

    // Build-time values and flags

    [Fact]
    public void Read_BuildExclusiveConfig_IsReported()
    {
        Assert.True(Read(Valid + "BUILD_EXCLUSIVE_CONFIG=\"CONFIG_I2C !CONFIG_PREEMPT_RT\"\n").UsesBuildExclusiveConfig);
        Assert.False(Read(Valid + "BUILD_EXCLUSIVE_CONFIG=\"\"\n").UsesBuildExclusiveConfig);
    }

    [Fact]
    public void Read_DynamicBuildTimeDirectives_AreNotFindings()
    {
        const string Text = Valid + """
            MAKE[0]="'make' -j$(nproc) KVER=${kernelver}"
            STRIP[0]="$([[ -r /etc/sysconfig/x ]] && echo -n no)"
            if ! grep -q "^CONFIG_I2C=[ym]$" "$kernel_source_dir/.config"; then
                BUILD_EXCLUSIVE_ARCH="^do_not_build$"
            fi
            BUILD_EXCLUSIVE_KERNEL_MIN="${MIN_KERNEL:-5.4}"
            POST_INSTALL="$(echo post-install)"
            """;

        Assert.Empty(Findings(Text, probe: Tree()));
    }
}
