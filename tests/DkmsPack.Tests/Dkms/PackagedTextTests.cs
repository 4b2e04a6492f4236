using DkmsPack.Dkms;
using Xunit;
using static DkmsPack.Tests.Dkms.DkmsConfTesting;

namespace DkmsPack.Tests.Dkms;

/// <summary>Placeholders, --version, and the dkms.conf that gets packaged (byte for byte).</summary>
public class PackagedTextTests
{
    private const string Module = "BUILT_MODULE_NAME[0]=\"hello\"\nDEST_MODULE_LOCATION[0]=\"/updates\"\nAUTOINSTALL=\"yes\"\n";

    [Theory]
    [InlineData("#MODULE_VERSION#", true)]
    [InlineData("#VERSION#", true)]
    [InlineData("@VERSION@", true)]
    [InlineData("@FULL_VERSION@", true)]
    [InlineData("__VERSION_STRING", true)]
    [InlineData("__JOBS", true)]
    [InlineData("#V2_0#", true)]
    [InlineData("#version#", false)]
    [InlineData("#VERSION", false)]
    [InlineData("@VERSION#", false)]
    [InlineData("##", false)]
    [InlineData("_VERSION", false)]
    [InlineData("__version", false)]
    [InlineData("1.0", false)]
    [InlineData("#VERSION#-1", false)]
    [InlineData("", false)]
    public void IsPlaceholder_RecognisesTemplateShapes(string value, bool expected)
    {
        Assert.Equal(expected, Placeholder.IsPlaceholder(value));
    }

    [Theory]
    [InlineData("1.0-@BUILD@", "@BUILD@")]
    [InlineData("v__VERSION_STRING", null)]
    [InlineData("x-__VERSION_STRING", "__VERSION_STRING")]
    [InlineData("#A# and #B#", "#A#")]
    [InlineData("1.0", null)]
    public void FindIn_ReturnsTheFirstWholePlaceholder(string value, string? expected)
    {
        Assert.Equal(expected, Placeholder.FindIn(value));
    }

    [Fact]
    public void Read_WithoutVersionOption_PackagesTheTextAsIs()
    {
        const string Text = "PACKAGE_NAME=hello\r\nPACKAGE_VERSION=1.0\r\n" + "BUILT_MODULE_NAME[0]=hello\r\nDEST_MODULE_LOCATION[0]=/extra\r\nAUTOINSTALL=yes\r\n";

        Assert.Same(Text, Read(Text).PackagedText);
    }

    [Fact]
    public void Read_VersionOptionEqualToFile_PackagesTheTextAsIs()
    {
        const string Text = "PACKAGE_NAME=hello\nPACKAGE_VERSION='1.0'\n" + Module;

        Assert.Same(Text, Read(Text, version: "1.0").PackagedText);
    }

    [Fact]
    public void Read_PlaceholderWithVersion_ReplacesTheValueAndTheTokenElsewhereKeepingCrLf()
    {
        const string Text =
            "PACKAGE_NAME=\"hello\"\r\n" +
            "PACKAGE_VERSION=\"#MODULE_VERSION#\"   # filled in by dh_dkms -V\r\n" +
            "MAKE[0]=\"make VERSION=#MODULE_VERSION# KVER=${kernelver}\"\r\n" +
            "BUILT_MODULE_NAME[0]=\"hello\"\r\nDEST_MODULE_LOCATION[0]=\"/updates\"\r\nAUTOINSTALL=\"yes\"\r\n";

        DkmsConf conf = Read(Text, version: "0.3");

        Assert.Equal(
            "PACKAGE_NAME=\"hello\"\r\n" +
            "PACKAGE_VERSION=\"0.3\"   # filled in by dh_dkms -V\r\n" +
            "MAKE[0]=\"make VERSION=0.3 KVER=${kernelver}\"\r\n" +
            "BUILT_MODULE_NAME[0]=\"hello\"\r\nDEST_MODULE_LOCATION[0]=\"/updates\"\r\nAUTOINSTALL=\"yes\"\r\n",
            conf.PackagedText);
        Assert.Equal(Text, conf.Text);
        Assert.Equal("0.3", conf.PackageVersion);
        Assert.Empty(conf.Warnings);
    }

    [Theory]
    [InlineData("PACKAGE_VERSION=#VERSION#\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION='@VERSION@'\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=\"__VERSION_STRING\"\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=$(cat VERSION)\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=`git describe`\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=\"0.9\"\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION[0]=0.9\n", "PACKAGE_VERSION[0]=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=(0.9)\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("export PACKAGE_VERSION=0.9\n", "export PACKAGE_VERSION=\"2.1.0\"\n")]
    [InlineData("PACKAGE_VERSION=\"$(\n  cat VERSION\n)\"\n", "PACKAGE_VERSION=\"2.1.0\"\n")]
    public void Read_VersionOption_RewritesOnlyTheAssignedValue(string line, string expected)
    {
        const string Name = "PACKAGE_NAME=hello\n";

        Assert.Equal(Name + expected + Module, Read(Name + line + Module, version: "2.1.0").PackagedText);
    }

    [Fact]
    public void Read_VersionOption_RewritesEveryBranchThatAssignsIt()
    {
        const string Text = """
            PACKAGE_NAME=hello
            PACKAGE_VERSION=0.0
            if [ -f VERSION ]; then
                PACKAGE_VERSION=$(cat VERSION)
            fi
            [ -d .git ] && PACKAGE_VERSION+="-git"
            PACKAGE_VERSION[1]=unrelated
            PACKAGE_VERSION=9 echo "an environment prefix, not an assignment"
            MAKE="make V=$PACKAGE_VERSION"

            """;
        const string Expected = """
            PACKAGE_NAME=hello
            PACKAGE_VERSION="1.2"
            if [ -f VERSION ]; then
                PACKAGE_VERSION="1.2"
            fi
            [ -d .git ] && PACKAGE_VERSION="1.2"
            PACKAGE_VERSION[1]=unrelated
            PACKAGE_VERSION=9 echo "an environment prefix, not an assignment"
            MAKE="make V=$PACKAGE_VERSION"

            """;

        Assert.Equal(Expected + Module, Read(Text + Module, version: "1.2").PackagedText);
    }

    [Fact]
    public void Read_PlaceholderTokenInsideLongerToken_IsNotReplaced()
    {
        const string Text = "PACKAGE_NAME=hello\nPACKAGE_VERSION=__VERSION\nMAKE=\"make V=__VERSION J=__VERSION_JOBS X=__VERSION\"\n" + Module;

        Assert.Equal(
            "PACKAGE_NAME=hello\nPACKAGE_VERSION=\"5.0\"\nMAKE=\"make V=5.0 J=__VERSION_JOBS X=5.0\"\n" + Module,
            Read(Text, version: "5.0").PackagedText);
    }

    [Fact]
    public void Read_VersionOption_ReferencesSeeTheOverride()
    {
        const string Text = "PACKAGE_NAME=hello\nPACKAGE_VERSION=\"#VERSION#\"\nBUILT_MODULE_LOCATION[0]=\"hello-$PACKAGE_VERSION/\"\n" + Module;

        Assert.Equal("hello-3.0", Assert.Single(Read(Text, version: "3.0").Modules).BuiltModuleLocation);
    }
}
