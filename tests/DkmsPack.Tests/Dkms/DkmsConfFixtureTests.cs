using DkmsPack.Dkms;
using Xunit;
using static DkmsPack.Tests.Dkms.DkmsConfTesting;

namespace DkmsPack.Tests.Dkms;

/// <summary>End-to-end reads of dkms.conf files shaped like those of real projects (<see cref="DkmsConfFixtures"/>).</summary>
public class DkmsConfFixtureTests
{
    [Fact]
    public void Read_V4l2LoopbackLike_ReadsAroundTheKernelConfigLogic()
    {
        DkmsConf conf = Read(DkmsConfFixtures.V4l2LoopbackLike);

        Assert.Equal(("v4l2loopback", "0.12.7", true), (conf.PackageName, conf.PackageVersion, conf.AutoInstall));
        Assert.Equal([new DkmsModule(0, "v4l2loopback", "", "v4l2loopback", "/extra")], conf.Modules);
        Assert.Equal(["dkms.conf:16: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it"], conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Parse_V4l2LoopbackLike_KeepsRunTimeVariablesAndExplainsTheBlock()
    {
        DkmsConfScript script = DkmsConfScript.Parse(DkmsConfFixtures.V4l2LoopbackLike);

        Assert.Equal("make KERNEL_DIR=${kernel_source_dir} all", script.Value("MAKE").Text);
        Assert.Equal("is assigned inside an `if` block at line 4, which dkmspack does not run", script.Value("BUILD_EXCLUSIVE_KERNEL").Dynamic?.Text);
        Assert.Contains(script.SkippedCommands, command => command is { Name: ".", Line: 5 });
    }

    [Fact]
    public void Read_ZfsLike_AcceptsDynamicBuildTimeValues()
    {
        Func<string, TreeFileKind> tree = Tree(("configure", TreeFileKind.ExecutableFile), ("scripts/dkms.postbuild", TreeFileKind.ExecutableFile));

        DkmsConf conf = Read(DkmsConfFixtures.ZfsLike, probe: tree);

        Assert.Equal(("zfs", "2.2.0", true), (conf.PackageName, conf.PackageVersion, conf.AutoInstall));
        Assert.Equal([new DkmsModule(0, "zfs", "module", "zfs", "/extra"), new DkmsModule(1, "spl", "module", "spl", "/extra")], conf.Modules);
        Assert.Empty(conf.Warnings);
    }

    [Fact]
    public void Parse_ZfsLike_ExplainsTheDynamicValues()
    {
        DkmsConfScript script = DkmsConfScript.Parse(DkmsConfFixtures.ZfsLike);

        Assert.Null(script.SyntaxError);
        Assert.Equal("uses command substitution $( if [ -e \"${kernel_source_dir/%build/source}\" ] then echo…, which dkmspack does not run", script.Value("PRE_BUILD").Dynamic?.Text);
        Assert.StartsWith("configure\n  --prefix=/usr\n", script.Value("PRE_BUILD").Text, StringComparison.Ordinal);
        Assert.Equal("scripts/dkms.postbuild\n  -n zfs\n  -v 2.2.0\n  -a ${arch}\n  -k ${kernelver}\n  -t ${dkms_tree}\n", script.Value("POST_BUILD").Text);
        Assert.StartsWith("refers to ${STRIP[0]}, whose value dkmspack cannot know: STRIP[0] uses command substitution", script.Value("STRIP", 1).Dynamic?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZfsLikeWithoutItsScripts_WarnsAboutEach()
    {
        Assert.Equal(
            [
                "dkms.conf:4: warning: PRE_BUILD script \"configure\" is not executable, so DKMS would skip it; dkmspack packages it as found, run chmod +x configure",
                "dkms.conf:23: warning: POST_BUILD script \"scripts/dkms.postbuild\" is not in the module tree; DKMS would skip it with a warning",
            ],
            Findings(DkmsConfFixtures.ZfsLike, probe: Tree(("configure", TreeFileKind.File))));
    }

    [Fact]
    public void Read_RealtekLike_ReportsOnlyDeprecatedDirectives()
    {
        DkmsConf conf = Read(DkmsConfFixtures.RealtekLike, probe: Tree());

        Assert.Equal([new DkmsModule(0, "r8125", "src", "r8125", "/updates")], conf.Modules);
        Assert.Equal(
            [
                "dkms.conf:11: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it",
                "dkms.conf:13: warning: REMAKE_INITRD is deprecated and ignored since DKMS 2.8.8; remove it",
            ],
            conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Parse_RealtekLike_MakeWithoutIndexIsElementZeroAndDynamic()
    {
        DkmsConfScript script = DkmsConfScript.Parse(DkmsConfFixtures.RealtekLike);

        Assert.Equal(
            "refers to $PROCS_NUM, whose value dkmspack cannot know: PROCS_NUM is assigned after `&&` at line 4, so it depends on a command dkmspack does not run",
            script.Value("MAKE", 0).Dynamic?.Text);
        Assert.StartsWith("'make' -j$PROCS_NUM KVER=${kernelver}", script.Value("MAKE", 0).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_XoneLikeWithoutVersion_AsksForIt()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION is \"#VERSION#\", a placeholder; pass --version to set it"],
            Findings(DkmsConfFixtures.XoneLike));
    }

    [Fact]
    public void Read_XoneLikeWithVersion_HasSevenModulesAndPinsTheVersion()
    {
        DkmsConf conf = Read(DkmsConfFixtures.XoneLike, version: "0.3.1");

        Assert.Equal("0.3.1", conf.PackageVersion);
        Assert.Equal(7, conf.Modules.Count);
        Assert.Equal(new DkmsModule(6, "xone-gip-guitar", "", "xone-gip-guitar", "/kernel/drivers/input/joystick"), conf.Modules[6]);
        Assert.Equal(DkmsConfFixtures.XoneLike.Replace("\"#VERSION#\"", "\"0.3.1\"", StringComparison.Ordinal), conf.PackagedText);
        Assert.Empty(conf.Warnings);
    }

    [Fact]
    public void Read_EvdiLike_ReadsUnquotedValues()
    {
        DkmsConf conf = Read(DkmsConfFixtures.EvdiLike);

        Assert.Equal(("evdi", "1.13.0", true, true), (conf.PackageName, conf.PackageVersion, conf.AutoInstall, conf.UsesBuildExclusiveConfig));
        Assert.Equal([new DkmsModule(0, "evdi", "", "evdi", "/kernel/drivers/gpu/drm/evdi")], conf.Modules);
        Assert.Equal(["dkms.conf:6: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it"], conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Read_NvidiaLike_NeedsVersionThenReadsArrayAssignments()
    {
        Assert.Equal(
            ["dkms.conf:2: error: PACKAGE_VERSION is \"__VERSION_STRING\", a placeholder; pass --version to set it"],
            Findings(DkmsConfFixtures.NvidiaLike));

        DkmsConf conf = Read(DkmsConfFixtures.NvidiaLike, version: "580.82.07", probe: Tree());

        Assert.Equal(["nvidia", "nvidia-uvm", "nvidia-modeset", "nvidia-drm", "nvidia-peermem"], conf.Modules.Select(module => module.BuiltModuleName));
        Assert.All(conf.Modules, module => Assert.Equal(("kernel-open", "/extra"), (module.BuiltModuleLocation, module.DestModuleLocation)));
        Assert.Contains("PACKAGE_VERSION=\"580.82.07\"\n", conf.PackagedText, StringComparison.Ordinal);
        Assert.Empty(conf.Warnings);
    }

    [Fact]
    public void Read_OpenAfsLike_AcceptsSubshellMakeAndCleanTrue()
    {
        DkmsConf conf = Read(DkmsConfFixtures.OpenAfsLike, probe: Tree());

        Assert.Equal([new DkmsModule(0, "openafs", "src/libafs/MODLOAD-$kernelver-SP", "openafs", "/updates/dkms/")], conf.Modules);
        Assert.True(conf.UsesBuildExclusiveConfig);
        Assert.Empty(conf.Warnings);
    }

    [Fact]
    public void Read_DdcciLike_ResolvesNameAndVersionInsideMake()
    {
        DkmsConf conf = Read(DkmsConfFixtures.DdcciLike);
        DkmsConfScript script = DkmsConfScript.Parse(DkmsConfFixtures.DdcciLike);

        Assert.Equal(["ddcci", "ddcci-backlight"], conf.Modules.Select(module => module.BuiltModuleLocation));
        Assert.Equal("make -C ${kernel_source_dir} M=${dkms_tree}/ddcci/0.4.2/build", script.Value("MAKE").Text);
        Assert.Equal(["dkms.conf:10: warning: CLEAN is deprecated and ignored by DKMS 3.1.8 and later; remove it"], conf.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Read_CrLfCopyOfFixture_ReadsTheSameAndPackagesCrLf()
    {
        string crlf = DkmsConfFixtures.XoneLike.Replace("\n", "\r\n", StringComparison.Ordinal);

        DkmsConf conf = Read(crlf, version: "0.3.1");

        Assert.Equal(7, conf.Modules.Count);
        Assert.Equal(crlf.Replace("\"#VERSION#\"", "\"0.3.1\"", StringComparison.Ordinal), conf.PackagedText);
    }

    // Broken input must end in findings, never in an exception or a hang: every prefix of every fixture is broken somewhere.
    [Fact]
    public void Read_EveryPrefixOfEveryFixture_EndsInFindingsOnly()
    {
        string[] fixtures =
        [
            DkmsConfFixtures.V4l2LoopbackLike, DkmsConfFixtures.ZfsLike, DkmsConfFixtures.RealtekLike, DkmsConfFixtures.XoneLike,
            DkmsConfFixtures.EvdiLike, DkmsConfFixtures.NvidiaLike, DkmsConfFixtures.OpenAfsLike, DkmsConfFixtures.DdcciLike,
        ];

        foreach (string fixture in fixtures)
        {
            for (int length = 0; length <= fixture.Length; length++)
            {
                string prefix = fixture[..length];
                string? version = length % 2 == 0 ? "1.0" : null;
                try
                {
                    // A prefix that reads is valid: it has at most warnings.
                    Assert.All(Read(prefix, version, Tree()).Warnings, w => Assert.False(w.IsError));
                }
                catch (DkmsPack.Diagnostics.InvalidInputException ex)
                {
                    // One that does not names at least one error, each finding on its line of dkms.conf.
                    Assert.Contains(ex.Diagnostics, d => d.IsError);
                    Assert.All(ex.Diagnostics, d => Assert.Matches(@"^dkms\.conf(:[0-9]+)?: (error|warning): \S", d.ToString()));
                }
            }
        }
    }
}
