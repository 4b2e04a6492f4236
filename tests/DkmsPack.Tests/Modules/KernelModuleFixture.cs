using DkmsPack.Tests.Modules;
using DkmsPack.Tests.Support;
using Xunit;

[assembly: AssemblyFixture(typeof(KernelModuleFixture))]

namespace DkmsPack.Tests.Modules;

/// <summary>
/// What the module tests share, made once per test run on first use: a tiny kernel module built by kbuild against
/// the installed headers (the first kernel in /lib/modules with a build directory), keys and certificates made by
/// <c>openssl req</c> (DKMS's own command for mok.key/mok.pub, an RSA 4096 key with a PEM certificate, an EC P-256
/// key), the kernel's <c>sign-file</c> from those headers, and <c>extract-module-sig.pl</c> from the
/// linux-source tarball (Debian's headers packages do not ship it). Without headers the tests that need them skip,
/// or fail under DKMSPACK_REQUIRE_TOOLS=1.
/// </summary>
public sealed class KernelModuleFixture : IDisposable
{
    public const string ModuleName = "dkmspack_modsign";

    /// <summary>Where extract-module-sig.pl is kept between runs (extracting it from the tarball takes ~20 s).</summary>
    private static readonly string ScriptCache = Path.Combine(Path.GetTempPath(), "dkmspack-test-kernel-scripts");

    private const string ModuleSource = """
        // SPDX-License-Identifier: GPL-2.0
        #include <linux/module.h>
        #include <linux/moduleparam.h>

        static int level = 1;
        module_param(level, int, 0444);
        MODULE_PARM_DESC(level, "a parameter, so that .modinfo has parm and parmtype");

        static int __init dkmspack_modsign_init(void) { return 0; }
        static void __exit dkmspack_modsign_exit(void) { }
        module_init(dkmspack_modsign_init);
        module_exit(dkmspack_modsign_exit);

        MODULE_LICENSE("GPL");
        MODULE_VERSION("1.2.3");
        MODULE_DESCRIPTION("dkmspack module signing test");
        MODULE_ALIAS("dkmspack-modsign-alias-one");
        MODULE_ALIAS("dkmspack-modsign-alias-two");

        """;

    private readonly TempDirectory _directory = new();
    private readonly Lazy<BuiltModule> _module;
    private readonly Lazy<TestKeys> _keys;
    private readonly Lazy<string> _extractModuleSig;

    public KernelModuleFixture()
    {
        _module = new Lazy<BuiltModule>(BuildModule);
        _keys = new Lazy<TestKeys>(MakeKeys);
        _extractModuleSig = new Lazy<string>(FindExtractModuleSig);
    }

    /// <summary>The unsigned .ko kbuild wrote (skips the test when no headers are installed).</summary>
    public string UnsignedModule => _module.Value.Path;

    /// <summary>The kernel release the module was built for.</summary>
    public string KernelRelease => _module.Value.KernelRelease;

    /// <summary>The headers' scripts/sign-file.</summary>
    public string SignFile => RealTool.Require(Path.Combine("/lib/modules", KernelRelease, "build", "scripts", "sign-file"));

    /// <summary>The kernel's scripts/extract-module-sig.pl, from /usr/src/linux-source-*.tar.xz.</summary>
    public string ExtractModuleSig => _extractModuleSig.Value;

    public TestKeys Keys => _keys.Value;

    public byte[] UnsignedBytes => File.ReadAllBytes(UnsignedModule);

    /// <summary>A new file path in the fixture's directory for one test's output.</summary>
    public string NewPath(string name) => _directory.Combine(Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public void Dispose() => _directory.Dispose();

    /// <summary>Runs a perl script (extract-module-sig.pl) and returns its stdout as bytes.</summary>
    public byte[] ExtractSignature(string module, string part)
    {
        string output = NewPath("extracted");
        RealTool.Require("perl");
        (int exitCode, _, string stdErr) = RealTool.Run(new RealToolOptions(StdOutFile: output), "perl", ExtractModuleSig, part, module);
        Assert.True(exitCode == 0, $"extract-module-sig.pl {part} {module} exited with {exitCode}: {stdErr}");
        return File.ReadAllBytes(output);
    }

    private BuiltModule BuildModule()
    {
        IReadOnlyList<string> kernels = ExampleModule.KernelsWithHeaders();
        if (kernels.Count == 0)
        {
            if (Environment.GetEnvironmentVariable(RealTool.RequireToolsVariable) == "1")
            {
                Assert.Fail($"kernel headers are required ({RealTool.RequireToolsVariable}=1) but /lib/modules/*/build has none (install linux-headers-amd64)");
            }

            Assert.Skip("no kernel headers in /lib/modules/*/build");
        }

        RealTool.Require("make");
        RealTool.Require("gcc");
        string kernel = kernels[0];
        string tree = Directory.CreateDirectory(_directory.Combine("module")).FullName;
        File.WriteAllText(Path.Combine(tree, ModuleName + ".c"), ModuleSource);
        File.WriteAllText(Path.Combine(tree, "Makefile"), $"obj-m := {ModuleName}.o\n");
        RealTool.RunChecked("make", "-C", Path.Combine("/lib/modules", kernel, "build"), "M=" + tree, "modules");
        string module = Path.Combine(tree, ModuleName + ".ko");
        Assert.True(File.Exists(module), "kbuild wrote no " + module);
        return new BuiltModule(module, kernel);
    }

    private TestKeys MakeKeys()
    {
        RealTool.Require("openssl");
        string directory = Directory.CreateDirectory(_directory.Combine("keys")).FullName;
        string In(string name) => Path.Combine(directory, name);

        // DKMS's own command (dkms 3, /usr/sbin/dkms, prepare_mok), verbatim but for the paths.
        RealTool.RunChecked("openssl", "req", "-new", "-x509", "-nodes", "-days", "36500", "-subj", "/CN=DKMS module signing key", "-newkey", "rsa:2048", "-keyout", In("mok.key"), "-outform", "DER", "-out", In("mok.pub"));
        RealTool.RunChecked("openssl", "req", "-new", "-x509", "-nodes", "-days", "3650", "-subj", "/O=dkmspack tests/CN=dkmspack RSA 4096 test key/emailAddress=modsign@example.org", "-newkey", "rsa:4096", "-keyout", In("rsa4096.key"), "-out", In("rsa4096.pem"));
        RealTool.RunChecked("openssl", "req", "-new", "-x509", "-nodes", "-days", "3650", "-subj", "/CN=dkmspack EC test key", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", In("ec.key"), "-outform", "DER", "-out", In("ec.der"));
        return new TestKeys(
            new KeyPair(In("mok.key"), In("mok.pub")),
            new KeyPair(In("rsa4096.key"), In("rsa4096.pem")),
            new KeyPair(In("ec.key"), In("ec.der")),
            directory);
    }

    private static string FindExtractModuleSig()
    {
        string cached = Path.Combine(ScriptCache, "extract-module-sig.pl");
        if (File.Exists(cached))
        {
            return cached;
        }

        string? tarball = Directory.Exists("/usr/src")
            ? Directory.EnumerateFiles("/usr/src", "linux-source-*.tar.xz").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        RealTool.Require(tarball ?? "/usr/src/linux-source-6.1.tar.xz");
        RealTool.Require("tar");
        Directory.CreateDirectory(ScriptCache);
        string scratch = Directory.CreateTempSubdirectory("dkmspack-linux-source-").FullName;
        try
        {
            RealTool.RunChecked("tar", "-xJf", tarball!, "-C", scratch, "--wildcards", "*/scripts/extract-module-sig.pl");
            string extracted = Directory.EnumerateFiles(scratch, "extract-module-sig.pl", SearchOption.AllDirectories).Single();
            string partial = cached + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.Copy(extracted, partial, overwrite: true);
            File.Move(partial, cached, overwrite: true);
            return cached;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record BuiltModule(string Path, string KernelRelease);
}

/// <summary>A private key file and its certificate file.</summary>
public sealed record KeyPair(string Key, string Certificate);

/// <summary>The keys <see cref="KernelModuleFixture"/> made; <see cref="Directory"/> is where to put derived ones.</summary>
public sealed record TestKeys(KeyPair Dkms, KeyPair Rsa4096, KeyPair Ec, string Directory);
