using Xunit;

namespace DkmsPack.Tests.Support;

/// <summary>Tests that install packages on this machine: one at a time, never beside the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemPackages
{
    public const string Name = "Installs packages on this machine";

    /// <summary>The opt-in for tests that install packages on this machine (or mount and install in a chroot).</summary>
    public const string OptInVariable = "DKMSPACK_E2E";

    /// <summary>
    /// Skips unless <c>DKMSPACK_E2E=1</c>: a developer running <c>dotnet test</c> as root must not get packages
    /// installed on their own system by surprise. Under DKMSPACK_REQUIRE_TOOLS=1 a missing opt-in fails instead,
    /// so CI cannot silently skip these tests.
    /// </summary>
    public static void RequireOptIn()
    {
        if (Environment.GetEnvironmentVariable(OptInVariable) != "1")
        {
            SkipOrFail($"this test installs packages on the machine; set {OptInVariable}=1 to run it");
        }
    }

    /// <summary>Skips (or, with DKMSPACK_REQUIRE_TOOLS=1, fails) unless opted in, root, on a machine with DKMS and kernel headers.</summary>
    public static IReadOnlyList<string> RequireDkmsMachine()
    {
        RequireOptIn();
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

    public static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable("DKMSPACK_REQUIRE_TOOLS") == "1")
        {
            Assert.Fail(reason + " and DKMSPACK_REQUIRE_TOOLS=1");
        }

        Assert.Skip(reason);
    }
}
