using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using Xunit;
using static DkmsPack.Tests.Dkms.DkmsConfTesting;

namespace DkmsPack.Tests.Dkms;

/// <summary>dkmspack's verdict on each of DKMS's own fixture shapes agrees with upstream DKMS's (<see cref="DkmsUpstreamShapes"/>).</summary>
public class DkmsUpstreamShapeTests
{
    public static TheoryData<string> Shapes() => [.. DkmsUpstreamShapes.All.Select(shape => shape.Name)];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Read_UpstreamShape_AcceptsExactlyWhatDkmsAccepts(string name)
    {
        DkmsUpstreamShapes.Shape shape = DkmsUpstreamShapes.Named(name);
        bool accepted = TryRead(shape, out IReadOnlyList<Diagnostic> findings);

        Assert.True(accepted == shape.DkmsAccepts, $"{shape.Name}: dkmspack {(accepted ? "accepts" : "rejects")} it, DKMS {(shape.DkmsAccepts ? "accepts" : "rejects")} it: {string.Join(" | ", findings)}");
    }

    [Theory]
    [InlineData("dkms_conf_test_zero_modules", new[] { DkmsFeature.ZeroModules })]
    [InlineData("dkms_dependencies_test", new[] { DkmsFeature.BuildDepends })]
    [InlineData("dkms_per_module_config_exclusive_test", new[] { DkmsFeature.BuildExclusiveConfig, DkmsFeature.PerModuleBuildExclusive })]
    [InlineData("dkms_per_module_kernel_version_test", new[] { DkmsFeature.BuildExclusiveKernelRange, DkmsFeature.PerModuleBuildExclusive })]
    [InlineData("dkms_build_exclusive_test", new DkmsFeature[0])]
    [InlineData("dkms_crlf_test", new DkmsFeature[0])]
    public void Read_UpstreamShape_KnowsWhichDkmsFeaturesItNeeds(string name, DkmsFeature[] expected)
    {
        DkmsConf conf = Read(DkmsUpstreamShapes.Named(name).Text, probe: _ => TreeFileKind.File);

        Assert.Equal(expected.Order(), conf.Features.Order());
    }

    [Fact]
    public void Read_ZeroModules_WarnsAsDkmsDoes()
    {
        Assert.Equal(
            ["dkms.conf: warning: dkms.conf declares no module: DKMS 3.0.11 and later accept that (\"Zero modules specified\") and build nothing, older DKMS rejects the file; set BUILT_MODULE_NAME[0] and DEST_MODULE_LOCATION[0], unless the package is meant to carry no module"],
            Findings(DkmsUpstreamShapes.Named("dkms_conf_test_zero_modules").Text));
    }

    [Fact]
    public void Read_SparseArrays_NamesEveryEmptyRecordAsDkmsDoes()
    {
        string[] findings = Findings(DkmsUpstreamShapes.Named("dkms_conf_test_sparse_arrays").Text);

        Assert.Contains(findings, line => line.Contains("module records 0, 2 are missing", StringComparison.Ordinal));
        Assert.Contains(findings, line => line.Contains("DEST_MODULE_LOCATION[4] is \"/elsewhere\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_BuildDepends_ListsTheModulesInOrderOnce()
    {
        DkmsConf conf = Read("""
            PACKAGE_NAME="hello"
            PACKAGE_VERSION="1.0"
            BUILT_MODULE_NAME[0]="hello"
            DEST_MODULE_LOCATION[0]="/updates"
            AUTOINSTALL="yes"
            BUILD_DEPENDS=("zeta" "alpha" "zeta")

            """);

        Assert.Equal(["zeta", "alpha"], conf.BuildDepends);
    }

    internal static bool TryRead(DkmsUpstreamShapes.Shape shape, out IReadOnlyList<Diagnostic> findings)
    {
        var files = shape.TreeFiles.ToDictionary(file => file.Path, file => file.Executable ? TreeFileKind.ExecutableFile : TreeFileKind.File, StringComparer.Ordinal);
        Func<string, TreeFileKind> probe = path => files.GetValueOrDefault(path, path == "patches" || path.StartsWith("patches/inner", StringComparison.Ordinal) && !path.EndsWith(".patch", StringComparison.Ordinal) ? TreeFileKind.Directory : TreeFileKind.Missing);
        try
        {
            findings = Read(shape.Text, probe: probe).Warnings;
            return true;
        }
        catch (InvalidInputException e)
        {
            findings = e.Diagnostics;
            return false;
        }
    }
}
