using DkmsPack.Diagnostics;
using DkmsPack.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// dkmspack build --sign, judged by the real verifiers: rpm -K and rpm's signature policy, debsig-verify, gpgv and
/// sqv; signed output is byte-identical across runs; bad keys fail before anything is written; no secret is printed.
/// </summary>
public sealed class PackageSigningTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private readonly GpgHome _gpg = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _gpg.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("rsa3072", "RSA")]
    [InlineData("ed25519", "EdDSA")]
    public void SignedRpm_RpmChecksTheHeaderSignature_AndItsPolicyAcceptsOnlyThatKey(string algorithm, string rpmName)
    {
        string fingerprint = _gpg.GenerateKey(algorithm);
        string other = _gpg.GenerateKey(algorithm, userId: "Other <o@example.org>");
        string output = Build(fingerprint);
        string rpm = Directory.GetFiles(output, "*.rpm").Single();
        string keyId = fingerprint[^8..].ToLowerInvariant();

        string trusted = RpmDatabase(fingerprint);
        var check = RealTool.Run("rpm", "--dbpath", trusted, "-Kv", rpm);
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Contains($"Header V4 {rpmName}/SHA256 Signature, key ID {keyId}: OK", check.StdOut, StringComparison.Ordinal);
        Assert.Contains("Payload SHA256 digest: OK", check.StdOut, StringComparison.Ordinal);

        // %_pkgverify_level signature: rpm installs it with the key imported, refuses it with only another key.
        Assert.Equal(0, InstallTest(trusted, rpm).ExitCode);
        var refused = InstallTest(RpmDatabase(other), rpm);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("NOKEY", refused.StdOut + refused.StdErr, StringComparison.Ordinal);

        // An unsigned package is refused under the same policy.
        string unsigned = _temp.Combine("unsigned");
        Assert.Equal(0, DkmsPackProcess.Run(["mkrpm", Repo.Example("apple-gmux-0.1"), "-o", unsigned, "-q"], Epoch()).ExitCode);
        var noSignature = InstallTest(trusted, Directory.GetFiles(unsigned, "*.rpm").Single());
        Assert.NotEqual(0, noSignature.ExitCode);
        Assert.Contains("no signature", noSignature.StdOut + noSignature.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void SignedDeb_DebsigVerifyAcceptsIt_AndRefusesATamperedOne_AndDpkgStillReadsIt(string algorithm)
    {
        RealTool.Require("debsig-verify");
        string fingerprint = _gpg.GenerateKey(algorithm);
        string deb = Directory.GetFiles(Build(fingerprint), "*.deb").Single();
        using SigningKey key = SigningKey.Load(_gpg.ExportSecret(fingerprint), string.Empty, long.Parse(TestBuilds.Epoch, System.Globalization.CultureInfo.InvariantCulture), null);
        (string policies, string keyrings) = DebsigTests.Policy(_gpg, key);

        var verified = RealTool.Run("debsig-verify", "--policies-dir", policies, "--keyrings-dir", keyrings, deb);
        Assert.True(verified.ExitCode == 0, verified.StdOut + verified.StdErr);
        Assert.Equal(["debian-binary", "control.tar.gz", "data.tar.gz", "_gpgorigin"], RealTool.RunChecked("ar", "t", deb).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, RealTool.Run("dpkg-deb", "-I", deb).ExitCode);
        Assert.Equal(0, RealTool.Run("dpkg-deb", "-c", deb).ExitCode);

        // One byte changed in data.tar (its last byte, before the signature member's header).
        string tampered = _temp.Combine("tampered.deb");
        byte[] bytes = File.ReadAllBytes(deb);
        int origin = IndexOf(bytes, "_gpgorigin"u8);
        bytes[origin - 2] ^= 0x01;
        File.WriteAllBytes(tampered, bytes);
        Assert.NotEqual(0, RealTool.Run("debsig-verify", "--policies-dir", policies, "--keyrings-dir", keyrings, tampered).ExitCode);
    }

    [Fact]
    public void Sha256SumsAsc_GpgvAndSqvAcceptIt_AndTheManifestSaysWhoSignedWhat()
    {
        string fingerprint = _gpg.GenerateKey("ed25519");
        string output = _temp.Combine("dist");
        string key = _gpg.Write("secret.asc", _gpg.ExportSecret(fingerprint));
        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--signing-key", key, "--json", "--maintainer", "T <t@example.org>"], Epoch());
        Assert.True(result.ExitCode == 0, result.StdErr);

        string keyring = _gpg.ExportPublic(fingerprint);
        _gpg.AssertGpgvAccepts(keyring, Path.Combine(output, "SHA256SUMS.asc"), Path.Combine(output, "SHA256SUMS"));
        if (RealTool.Find("sqv") is not null || Environment.GetEnvironmentVariable(RealTool.RequireToolsVariable) == "1")
        {
            GpgHome.AssertSqvAccepts(keyring, Path.Combine(output, "SHA256SUMS.asc"), Path.Combine(output, "SHA256SUMS"));
        }

        using var manifest = System.Text.Json.JsonDocument.Parse(result.StdOut);
        System.Text.Json.JsonElement signing = manifest.RootElement.GetProperty("signing");
        Assert.Equal(fingerprint, signing.GetProperty("fingerprint").GetString());
        Assert.Equal(4, signing.GetProperty("signedFiles").GetArrayLength()); // deb, rpm, Arch (by its .sig), SHA256SUMS
        Assert.All(manifest.RootElement.GetProperty("packages").EnumerateArray(), p => Assert.Equal(fingerprint, p.GetProperty("signedBy").GetString()));
    }

    [Fact]
    public void SignedPackages_AreByteIdentical_AcrossRunsTimeZonesAndCultures()
    {
        string fingerprint = _gpg.GenerateKey("rsa3072", passphrase: Passphrase);
        string first = Build(fingerprint, Passphrase, new() { ["TZ"] = "UTC", ["LANG"] = "C" });
        string second = Build(fingerprint, Passphrase, new() { ["TZ"] = "Pacific/Chatham", ["LANG"] = "tr_TR.UTF-8", ["LC_ALL"] = "tr_TR.UTF-8" });

        string[] files = [.. Directory.GetFiles(first).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        Assert.Contains("SHA256SUMS.asc", files);
        Assert.Equal(files, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(first, f)), File.ReadAllBytes(Path.Combine(second, f))));
    }

    [Fact]
    public void AWrongPassphrase_IsOneLine_BeforeAnythingIsWritten_AndNoSecretIsPrinted()
    {
        string fingerprint = _gpg.GenerateKey("ed25519", passphrase: Passphrase);
        byte[] secret = _gpg.ExportSecret(fingerprint, Passphrase);
        string key = _gpg.Write("secret.asc", secret);
        string output = _temp.Combine("dist");

        var result = DkmsPackProcess.Run(
            ["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--sign", "--verbose", "--maintainer", "T <t@example.org>"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch, ["DKMSPACK_SIGNING_KEY"] = File.ReadAllText(key), ["DKMSPACK_SIGNING_PASSPHRASE"] = "not " + Passphrase });

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("$DKMSPACK_SIGNING_KEY: error: ", line, StringComparison.Ordinal);
        Assert.Contains("passphrase", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("PGP PRIVATE", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "files were written");
    }

    [Fact]
    public void SignWithoutAKey_ExitsOne_SayingWhereTheKeyGoes()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("dist"), "--sign"], Epoch());

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        Assert.Contains("DKMSPACK_SIGNING_KEY", Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("dist")));
    }

    [Fact]
    public void AKeyFileThatIsAFifo_IsRefused_WithoutHanging()
    {
        string fifo = _temp.Combine("key.fifo");
        RealTool.RunChecked("mkfifo", fifo);

        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("dist"), "--signing-key", fifo], Epoch());

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains($"{fifo}: error: is not a regular file", result.StdErr, StringComparison.Ordinal);
    }

    /// <summary>build of the example signed with the key of <paramref name="fingerprint"/>, from a key file and a passphrase file.</summary>
    private string Build(string fingerprint, string? passphrase = null, Dictionary<string, string?>? environment = null)
    {
        string output = _temp.Combine("dist-" + Guid.NewGuid().ToString("N"));
        string key = _gpg.Write("key-" + Guid.NewGuid().ToString("N") + ".asc", _gpg.ExportSecret(fingerprint, passphrase));
        string[] passphraseArgs = [];
        if (passphrase is not null)
        {
            passphraseArgs = ["--signing-passphrase-file", _gpg.Write("passphrase-" + Guid.NewGuid().ToString("N"), passphrase + "\n")];
        }

        Dictionary<string, string?> variables = environment ?? [];
        variables["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch;
        var result = DkmsPackProcess.Run(["build", Repo.Example("apple-gmux-0.1"), "-o", output, "--signing-key", key, .. passphraseArgs, "--maintainer", "T <t@example.org>"], variables);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return output;
    }

    /// <summary>A throw-away rpm database that trusts only the key of <paramref name="fingerprint"/>.</summary>
    private string RpmDatabase(string fingerprint)
    {
        string database = _temp.Combine("rpmdb-" + fingerprint);
        Directory.CreateDirectory(database);
        string armoured = _gpg.Write("pub-" + fingerprint + ".asc", _gpg.Gpg(null, "--armor", "--export", fingerprint));
        RealTool.RunChecked("rpmkeys", "--dbpath", database, "--import", armoured);
        return database;
    }

    /// <summary>rpm -i --test under %_pkgverify_level signature: reading the package checks its signature, nothing is installed.</summary>
    private static (int ExitCode, string StdOut, string StdErr) InstallTest(string database, string rpm) =>
        RealTool.Run("rpm", "--dbpath", database, "-i", "--test", "--nodeps", "--define", "_pkgverify_level signature", rpm);

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    private static Dictionary<string, string?> Epoch() => new() { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch };
}
