using DkmsPack.Packaging;
using DkmsPack.Prebuilt;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Prebuilt;

/// <summary>
/// mkbmdeb and mkkmod against the installed kernel headers: the modules are really compiled, and dpkg-deb, lintian,
/// rpm, rpmlint and modinfo judge the packages.
/// </summary>
public sealed class PrebuiltPackageTests(Modules.KernelModuleFixture modules) : IDisposable
{
    private const string Module = "dkmspack-prebuilt";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ModulesDeb_HoldsTheCompiledModuleForTheKernel_AsDpkgDebLintianAndModinfoSee()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string dpkgDeb = RealTool.Require("dpkg-deb");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        BuiltPackage deb = TestBuilds.Build(PrebuiltTrees.Request(tree, _temp.Combine("out"), kernel), "bmdeb");

        Assert.Equal($"{Module}-modules-{kernel}_0.1-1_amd64.deb", Path.GetFileName(deb.Path));
        string Field(string name) => RealTool.RunChecked(dpkgDeb, "-f", deb.Path, name).Trim();
        Assert.Equal($"{Module}-modules-{kernel}", Field("Package"));
        Assert.Equal("amd64", Field("Architecture"));
        Assert.Equal($"linux-image-{kernel}", Field("Depends"));
        Assert.Equal($"{Module}-modules (= 0.1-1)", Field("Provides"));
        Assert.Equal($"{Module}-dkms", Field("Conflicts"));
        Assert.Contains($"./lib/modules/{kernel}/updates/dkms/{Module}.ko", RealTool.RunChecked(dpkgDeb, "-c", deb.Path), StringComparison.Ordinal);

        string root = _temp.Combine("root");
        RealTool.RunChecked(dpkgDeb, "-x", deb.Path, root);
        string module = Path.Combine(root, "lib", "modules", kernel, "updates", "dkms", Module + ".ko");
        string modinfo = RealTool.Require("modinfo");
        Assert.StartsWith(kernel + " ", RealTool.RunChecked(modinfo, "-F", "vermagic", module), StringComparison.Ordinal);
        Assert.Equal(Module.Replace('-', '_'), RealTool.RunChecked(modinfo, "-F", "name", module).Trim());

        var lintian = RealTool.Run(RealTool.Require("lintian"), "--no-tag-display-limit", deb.Path);
        Assert.DoesNotContain("E: ", lintian.StdOut, StringComparison.Ordinal);
        RealTool.RunChecked(RealTool.Require("sh"), "-n", ExtractControl(dpkgDeb, deb.Path, "postinst"));
        RealTool.RunChecked(RealTool.Require("sh"), "-n", ExtractControl(dpkgDeb, deb.Path, "postrm"));
    }

    [Fact]
    public void Kmod_RequiresTheKernelAndHoldsTheModuleUnderExtra_AsRpmSeesIt()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string rpm = RealTool.Require("rpm");
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        BuiltPackage package = TestBuilds.Build(PrebuiltTrees.Request(tree, _temp.Combine("out"), kernel), "kmod");

        Assert.Equal($"kmod-{Module}-{kernel}-0.1-1.x86_64.rpm", Path.GetFileName(package.Path));
        Assert.Contains("OK", RealTool.RunChecked(rpm, "-Kv", package.Path), StringComparison.Ordinal);
        string requires = RealTool.RunChecked(rpm, "-qp", "--requires", package.Path);
        Assert.Contains($"kernel-uname-r = {kernel}", requires, StringComparison.Ordinal);
        string provides = RealTool.RunChecked(rpm, "-qp", "--provides", package.Path);
        Assert.Contains($"{Module}-kmod = 0.1-1", provides, StringComparison.Ordinal);
        Assert.Equal($"{Module}-dkms", RealTool.RunChecked(rpm, "-qp", "--conflicts", package.Path).Trim());
        Assert.Equal(
            [$"/lib/modules/{kernel}/extra/{Module}", $"/lib/modules/{kernel}/extra/{Module}/{Module}.ko"],
            RealTool.RunChecked(rpm, "-qpl", package.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("x86_64", RealTool.RunChecked(rpm, "-qp", "--qf", "%{ARCH}", package.Path));

        var rpmlint = RealTool.Run(RealTool.Require("rpmlint"), package.Path);
        string[] errors = [.. rpmlint.StdOut.Split('\n').Where(l => l.Contains(": E: ", StringComparison.Ordinal) && !l.Contains("no-signature", StringComparison.Ordinal))];
        Assert.Empty(errors);
    }

    [Fact]
    public void ExcludedKernel_IsSkippedWithAWarning_AndTheOthersArePackaged()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        PrebuiltTrees.AppendToConf(tree, $"BUILD_EXCLUSIVE_KERNEL=\"^{kernel.Replace(".", "\\.", StringComparison.Ordinal)}$\"");

        // A second kernel "installed" beside the real one: its headers are the same, but BUILD_EXCLUSIVE rules it out.
        string modulesRoot = _temp.Combine("lib-modules");
        foreach (string release in (string[])[kernel, "9.9.9-excluded"])
        {
            Directory.CreateDirectory(Path.Combine(modulesRoot, release));
            File.CreateSymbolicLink(Path.Combine(modulesRoot, release, "build"), $"/lib/modules/{kernel}/build");
        }

        BuildRequest request = TestBuilds.Request(tree, _temp.Combine("out")) with
        {
            Modules = new KernelModuleRequest { Kernels = [kernel, "9.9.9-excluded"], ModulesRoot = modulesRoot },
        };
        BuildOutcome outcome = PackageBuild.Run(request, PackageFormats.Select(["bmdeb"]), DateTimeOffset.UnixEpoch);

        Assert.Equal([$"{Module}-modules-{kernel}"], outcome.Packages.Select(p => p.Name));
        Assert.Contains(outcome.Warnings, w => w.Message.Contains("kernel 9.9.9-excluded skipped: BUILD_EXCLUSIVE_KERNEL", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryKernelExcluded_IsExit2WithTheReason_AndWritesNothing()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        PrebuiltTrees.AppendToConf(tree, "BUILD_EXCLUSIVE_KERNEL=\"^2\\.6\\.\"");
        string output = _temp.Combine("out");

        var run = DkmsPackProcess.Run(["mkbmdeb", tree, "-k", kernel, "-o", output]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"kernel {kernel} skipped: BUILD_EXCLUSIVE_KERNEL \"^2\\.6\\.\"", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("BUILD_EXCLUSIVE rules out every kernel given", run.StdErr, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public void CompileError_IsOneLineWithTheFirstErrorAndTheLog_Exit2_NoPackage()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        File.AppendAllText(Path.Combine(tree, Module + ".c"), "\nstatic int broken(void) { return undeclared_dkmspack_symbol; }\n");
        string output = _temp.Combine("out");

        var run = DkmsPackProcess.Run(["mkbmdeb", tree, "-k", kernel, "-o", output, "--maintainer", "T <t@example.org>"]);

        Assert.Equal(2, run.ExitCode);
        string[] errors = [.. run.StdErr.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal))];
        string error = Assert.Single(errors);
        Assert.Contains($"failed for kernel {kernel}", error, StringComparison.Ordinal);
        Assert.Matches("undeclared_dkmspack_symbol.? undeclared", error);
        Assert.Contains($"{Module}.c:", error, StringComparison.Ordinal);
        string log = error[(error.LastIndexOf("see the make log ", StringComparison.Ordinal) + "see the make log ".Length)..].TrimEnd(')', '.', ' ');
        Assert.Contains("undeclared_dkmspack_symbol", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public void TwoBuildsFromTreesAtDifferentPaths_AreByteIdentical()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string first = ExampleModule.CopyRenamed(_temp, Module);
        using var other = new TempDirectory();
        string second = ExampleModule.CopyRenamed(other, Module);

        BuildOutcome a = PackageBuild.Run(PrebuiltTrees.Request(first, _temp.Combine("a"), kernel), PackageFormats.Select(["bmdeb", "kmod"]), DateTimeOffset.UnixEpoch);
        BuildOutcome b = PackageBuild.Run(PrebuiltTrees.Request(second, other.Combine("b"), kernel), PackageFormats.Select(["bmdeb", "kmod"]), DateTimeOffset.UnixEpoch);

        Assert.Equal(2, a.Packages.Count);
        Assert.Equal(a.Packages.Select(p => p.Sha256), b.Packages.Select(p => p.Sha256));
    }

    [Fact]
    public void ModulesDirectory_IsPackagedAsGiven_AndAModuleForAnotherKernelIsRefused()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        BuiltPackage built = TestBuilds.Build(PrebuiltTrees.Request(tree, _temp.Combine("built"), kernel), "bmdeb");
        string root = _temp.Combine("root");
        RealTool.RunChecked(RealTool.Require("dpkg-deb"), "-x", built.Path, root);
        string modules = Path.Combine(root, "lib", "modules", kernel, "updates", "dkms");

        BuildRequest request = TestBuilds.Request(tree, _temp.Combine("out")) with
        {
            Modules = new KernelModuleRequest { Kernels = [kernel], Origin = ModuleOrigin.Directory, OriginDirectory = modules },
        };
        BuiltPackage again = TestBuilds.Build(request, "bmdeb");
        Assert.Equal(built.Sha256, again.Sha256);

        var wrongKernel = DkmsPackProcess.Run(["mkbmdeb", tree, "-k", "9.9.9-other", "--modules", modules, "-o", _temp.Combine("wrong")]);
        Assert.Equal(2, wrongKernel.ExitCode);
        Assert.Contains($"was built for kernel {kernel}, not 9.9.9-other", wrongKernel.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithBothPrebuiltFormats_ListsOnePackagePerKernelAndFormat_InTheManifestAndSha256Sums()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string output = _temp.Combine("out");

        var run = DkmsPackProcess.Run(["build", tree, "--formats", "deb,bmdeb,kmod", "-k", kernel, "-o", output, "--json", "--maintainer", "T <t@example.org>"]);

        Assert.True(run.ExitCode == 0, run.StdErr);
        using var manifest = System.Text.Json.JsonDocument.Parse(run.StdOut);
        string[] formats = [.. manifest.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("format").GetString()!)];
        Assert.Equal(["deb", "bmdeb", "kmod"], formats);

        // The DKMS package keeps its own texts; only the prebuilt ones say they are prebuilt.
        string Description(string file) => RealTool.RunChecked(RealTool.Require("dpkg-deb"), "-f", Path.Combine(output, file), "Description").Split('\n')[0];
        Assert.StartsWith("DKMS source of", Description($"{Module}-dkms_0.1-1_all.deb"), StringComparison.Ordinal);
        Assert.Equal($"{Module} kernel module, prebuilt (Linux {kernel})", Description($"{Module}-modules-{kernel}_0.1-1_amd64.deb"));
        var check = RealTool.Run(new RealToolOptions(WorkingDirectory: output), RealTool.Require("sha256sum"), "-c", "SHA256SUMS");
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Equal(3, check.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>
    /// --sign-modules with DKMS's own kind of key (openssl req, RSA 2048, DER certificate): modinfo shows the
    /// signature in the packaged, zstd-compressed module; --with-mok-cert adds the certificate package, whose file is
    /// the certificate itself.
    /// </summary>
    [Fact]
    public void SignedAndCompressedModules_ShowTheirSignatureInModinfo_AndTheCertificatePackageHoldsTheCertificate()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        Modules.KeyPair key = modules.Keys.Dkms;
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string output = _temp.Combine("out");

        var run = DkmsPackProcess.Run(["build", tree, "--formats", "bmdeb,kmod", "-k", kernel, "--sign-modules", $"{key.Key}:{key.Certificate}", "--compress-modules", "zstd", "--with-mok-cert", "-o", output, "--maintainer", "T <t@example.org>"]);

        Assert.True(run.ExitCode == 0, run.StdErr);
        string deb = Path.Combine(output, $"{Module}-modules-{kernel}_0.1-1_amd64.deb");
        string root = _temp.Combine("root");
        RealTool.RunChecked(RealTool.Require("dpkg-deb"), "-x", deb, root);
        string module = Path.Combine(root, "lib", "modules", kernel, "updates", "dkms", Module + ".ko.zst");
        string modinfo = RealTool.Require("modinfo");
        Assert.Equal("DKMS module signing key", RealTool.RunChecked(modinfo, "-F", "signer", module).Trim());
        Assert.Equal("sha256", RealTool.RunChecked(modinfo, "-F", "sig_hashalgo", module).Trim());
        string serial = RealTool.RunChecked(RealTool.Require("openssl"), "x509", "-inform", "DER", "-in", key.Certificate, "-noout", "-serial").Trim()["serial=".Length..];
        Assert.Equal(serial, RealTool.RunChecked(modinfo, "-F", "sig_key", module).Trim().Replace(":", string.Empty, StringComparison.Ordinal), ignoreCase: true);

        string certificateDeb = Path.Combine(output, $"{Module}-mok-cert_0.1-1_all.deb");
        string certificateRoot = _temp.Combine("cert-root");
        RealTool.RunChecked("dpkg-deb", "-x", certificateDeb, certificateRoot);
        Assert.Equal(File.ReadAllBytes(key.Certificate), File.ReadAllBytes(Path.Combine(certificateRoot, "usr", "share", $"{Module}-mok-cert", "mok.der")));
        Assert.Contains("mokutil --import", File.ReadAllText(ExtractControl("dpkg-deb", certificateDeb, "postinst")), StringComparison.Ordinal);
        Assert.Equal($"{Module}-mok-cert", RealTool.RunChecked("dpkg-deb", "-f", deb, "Recommends").Trim());
        var lintian = RealTool.Run(RealTool.Require("lintian"), certificateDeb);
        Assert.DoesNotContain("E: ", lintian.StdOut, StringComparison.Ordinal);

        string rpm = RealTool.Require("rpm");
        string certificateRpm = Path.Combine(output, $"{Module}-mok-cert-0.1-1.noarch.rpm");
        Assert.Equal($"/usr/share/{Module}-mok-cert\n/usr/share/{Module}-mok-cert/mok.der", RealTool.RunChecked(rpm, "-qpl", certificateRpm).Trim());
        Assert.Contains(".ko.zst", RealTool.RunChecked(rpm, "-qpl", Path.Combine(output, $"kmod-{Module}-{kernel}-0.1-1.x86_64.rpm")), StringComparison.Ordinal);
    }

    [Fact]
    public void ModuleSigningKeyThatIsNoKey_IsOneLineExit2_BeforeAnyBuild()
    {
        string kernel = PrebuiltTrees.KernelWithHeaders();
        string tree = ExampleModule.CopyRenamed(_temp, Module);
        string notAKey = _temp.Combine("not-a-key");
        File.WriteAllText(notAKey, "hello\n");

        var run = DkmsPackProcess.Run(["mkbmdeb", tree, "-k", kernel, "--sign-modules", $"{notAKey}:{modules.Keys.Dkms.Certificate}", "-o", _temp.Combine("out")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains(notAKey, StringComparison.Ordinal) && line.Contains("error", StringComparison.Ordinal));
        Assert.True(!Directory.Exists(_temp.Combine("out")) || !Directory.EnumerateFileSystemEntries(_temp.Combine("out")).Any());
    }

    private string ExtractControl(string dpkgDeb, string deb, string member)
    {
        string directory = _temp.Combine("control-" + member);
        RealTool.RunChecked(dpkgDeb, "-e", deb, directory);
        return Path.Combine(directory, member);
    }
}
