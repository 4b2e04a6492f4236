using DkmsPack.Packaging;
using DkmsPack.Prebuilt;
using DkmsPack.Tests.Support;

namespace DkmsPack.Tests.Prebuilt;

/// <summary>Module trees and requests for the prebuilt module tests: the example renamed, built for the installed headers.</summary>
internal static class PrebuiltTrees
{
    /// <summary>The first kernel whose headers are installed; skips (fails under DKMSPACK_REQUIRE_TOOLS=1) without one.</summary>
    public static string KernelWithHeaders()
    {
        RealTool.Require("make");
        RealTool.Require("gcc");
        IReadOnlyList<string> kernels = ExampleModule.KernelsWithHeaders();
        if (kernels.Count == 0)
        {
            SystemPackages.SkipOrFail("no kernel headers are installed (apt-get install linux-headers-amd64)");
        }

        return kernels[0];
    }

    public static BuildRequest Request(string tree, string output, params string[] kernels) =>
        TestBuilds.Request(tree, output) with { Modules = new KernelModuleRequest { Kernels = kernels } };

    /// <summary>Appends lines to the tree's dkms.conf.</summary>
    public static void AppendToConf(string tree, string lines) =>
        File.AppendAllText(Path.Combine(tree, "dkms.conf"), "\n" + lines + "\n");
}
