using Xunit;

namespace DkmsPack.Tests.Support;

/// <summary>Tests that install packages on this machine: one at a time, never beside the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemPackages
{
    public const string Name = "Installs packages on this machine";

    /// <summary>Skips (or, with DKMSPACK_REQUIRE_TOOLS=1, fails) unless we are root on a machine with DKMS and kernel headers.</summary>
    public static IReadOnlyList<string> RequireDkmsMachine()
    {
        RealTool.Require("dkms");
        if (Environment.UserName != "root")
        {
            SkipOrFail("installing packages needs root");
        }

        IReadOnlyList<string> kernels = ExampleModule.KernelsWithHeaders();
        if (kernels.Count == 0)
        {
            SkipOrFail("no kernel headers are installed (apt-get install linux-headers-amd64)");
        }

        return kernels;
    }

    private static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable("DKMSPACK_REQUIRE_TOOLS") == "1")
        {
            Assert.Fail(reason + " and DKMSPACK_REQUIRE_TOOLS=1");
        }

        Assert.Skip(reason);
    }
}
