using System.Globalization;
using DkmsPack.Archives.Rpm;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;
using DkmsPack.Tests.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Verification;

/// <summary>
/// <c>dkmspack verify</c> on packages that <c>dkmspack build</c> signed, judged against the real verifiers on the
/// same files: <c>rpm -Kv</c> with the key imported, <c>debsig-verify</c> with a policy for it, and <c>gpgv</c>.
/// Good files: exit 0 and one OK line each; changed, unsigned, foreign-signed, garbage or cut files: exit 2 and
/// one error line each; a --key that cannot be used: exit 1.
/// </summary>
public sealed class VerifyCommandTests(SignedBuilds builds) : SignedBuildsTests(builds)
{
    private const string SignedAt = "(2026-01-01 00:00:00 UTC)";

    [Theory]
    [InlineData("rsa3072", "RSA")]
    [InlineData("ed25519", "EdDSA")]
    public void SignedRpm_IsOk_AsRpmSaysToo(string algorithm, string name)
    {
        string rpm = Builds.Rpm(algorithm);

        var result = Verify(rpm, "--key", Builds.PublicKeys[algorithm]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(
            $"{rpm}: OK: header signature {name}/SHA256 by {Builds.Fingerprints[algorithm]} {SignedAt}, header SHA256, payload SHA256, header SHA1, header+payload MD5",
            Assert.Single(Lines(result.StdOut)));
        var rpmCheck = RealTool.Run("rpm", "--dbpath", RpmDatabase(algorithm), "-Kv", rpm);
        Assert.True(rpmCheck.ExitCode == 0, rpmCheck.StdOut + rpmCheck.StdErr);
        Assert.Contains($"Header V4 {name}/SHA256 Signature, key ID {Builds.Fingerprints[algorithm][^8..].ToLowerInvariant()}: OK", rpmCheck.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa3072", "RSA")]
    [InlineData("ed25519", "EdDSA")]
    public void SignedDeb_IsOk_AsDebsigVerifySaysToo(string algorithm, string name)
    {
        string deb = Builds.Deb(algorithm);

        var result = Verify(deb, "--key", Builds.BinaryKeyrings[algorithm]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(
            $"{deb}: OK: origin signature (_gpgorigin) {name}/SHA256 by {Builds.Fingerprints[algorithm]} {SignedAt} over debian-binary, control.tar.gz and data.tar.gz",
            Assert.Single(Lines(result.StdOut)));
        Assert.Equal(0, DebsigVerify(algorithm, deb).ExitCode);
    }

    [Fact]
    public void Sha256Sums_IsOk_WhetherTheListOrItsSignatureIsGiven_AsGpgvSaysToo()
    {
        string output = Builds.Outputs["ed25519"];
        string sums = Path.Combine(output, "SHA256SUMS");

        var result = Verify(sums, sums + ".asc", "--key", Builds.PublicKeys["ed25519"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        string checkedText = $"OK: signature EdDSA/SHA256 by {Builds.Fingerprints["ed25519"]} {SignedAt} over SHA256SUMS, SHA256 of {Path.GetFileName(Builds.Arch("ed25519"))}, {Path.GetFileName(Builds.Rpm("ed25519"))}, {Path.GetFileName(Builds.Deb("ed25519"))}";
        Assert.Equal([$"{sums}: {checkedText}", $"{sums}.asc: {checkedText}"], Lines(result.StdOut));
        Builds.Gpg.AssertGpgvAccepts(Builds.BinaryKeyrings["ed25519"], sums + ".asc", sums);
    }

    [Fact]
    public void EveryFileOfABuild_WithSeveralKeys_IsOk()
    {
        string[] files = Directory.GetFiles(Builds.Outputs["rsa3072"]);

        var result = Verify([.. files, "--key", Builds.OtherPublicKey, "--key", Builds.PublicKeys["ed25519"], "--key", Builds.PublicKeys["rsa3072"], "--key", Builds.BinaryKeyrings["rsa3072"]]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(files.Length, Lines(result.StdOut).Length);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void AByteChangedInTheRpmPayload_IsBad_NamingThePayloadDigest_AsRpmSaysToo(string algorithm)
    {
        string rpm = Changed(Builds.Rpm(algorithm), bytes => bytes.Length - 1);

        var result = Verify(rpm, "--key", Builds.PublicKeys[algorithm]);

        string line = AssertOneError(result, rpm);
        Assert.Contains("payload SHA256 does not match", line, StringComparison.Ordinal);
        Assert.Contains("header+payload MD5 does not match", line, StringComparison.Ordinal);
        Assert.DoesNotContain("header signature", line, StringComparison.Ordinal);
        Assert.NotEqual(0, RealTool.Run("rpm", "--dbpath", RpmDatabase(algorithm), "-Kv", rpm).ExitCode);
    }

    [Fact]
    public void AByteChangedInTheRpmMainHeader_IsBad_NamingTheSignatureAndTheHeaderDigests_AsRpmSaysToo()
    {
        string original = Builds.Rpm("ed25519");
        long headerOffset;
        using (FileStream stream = File.OpenRead(original))
        {
            headerOffset = RpmPackageReader.Read(stream).HeaderOffset;
        }

        // A letter of the package's name in the main header's data: the header stays well-formed.
        string rpm = Changed(original, bytes => (int)headerOffset + bytes.AsSpan((int)headerOffset).IndexOf("apple-gmux"u8));

        var result = Verify(rpm, "--key", Builds.PublicKeys["ed25519"]);

        string line = AssertOneError(result, rpm);
        Assert.Contains("header signature: the signature does not match the data (BAD signature)", line, StringComparison.Ordinal);
        Assert.Contains("header SHA256 does not match", line, StringComparison.Ordinal);
        Assert.Contains("header SHA1 does not match", line, StringComparison.Ordinal);
        var rpmCheck = RealTool.Run("rpm", "--dbpath", RpmDatabase("ed25519"), "-Kv", rpm);
        Assert.NotEqual(0, rpmCheck.ExitCode);
        Assert.Contains("BAD", rpmCheck.StdOut + rpmCheck.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void AByteChangedInDataTar_IsBad_AsDebsigVerifySaysToo()
    {
        // The last byte of data.tar.gz, just before the _gpgorigin member's header.
        string deb = Changed(Builds.Deb("rsa3072"), bytes => bytes.AsSpan().IndexOf("_gpgorigin"u8) - 2);

        var result = Verify(deb, "--key", Builds.PublicKeys["rsa3072"]);

        string line = AssertOneError(result, deb);
        Assert.Contains("origin signature (_gpgorigin): the signature does not match the data (BAD signature)", line, StringComparison.Ordinal);
        Assert.NotEqual(0, DebsigVerify("rsa3072", deb).ExitCode);
    }

    [Fact]
    public void AByteChangedInSha256Sums_IsBad_AsGpgvSaysToo()
    {
        string output = Builds.CopyOutput("ed25519");
        string sums = Path.Combine(output, "SHA256SUMS");
        byte[] bytes = File.ReadAllBytes(sums);
        bytes[0] = bytes[0] == (byte)'0' ? (byte)'1' : (byte)'0';
        File.WriteAllBytes(sums, bytes);

        var result = Verify(sums + ".asc", "--key", Builds.PublicKeys["ed25519"]);

        string line = AssertOneError(result, sums + ".asc");
        Assert.Contains("signature: the signature does not match the data (BAD signature)", line, StringComparison.Ordinal);
        Assert.NotEqual(0, Builds.Gpg.Gpgv(Builds.BinaryKeyrings["ed25519"], sums + ".asc", sums).ExitCode);
    }

    [Fact]
    public void AListedFileChangedOrMissing_IsBad_NamingEach()
    {
        string output = Builds.CopyOutput("ed25519");
        string rpm = Directory.GetFiles(output, "*.rpm").Single();
        string deb = Directory.GetFiles(output, "*.deb").Single();
        File.AppendAllText(rpm, "x");
        File.Delete(deb);

        var result = Verify(Path.Combine(output, "SHA256SUMS"), "--key", Builds.PublicKeys["ed25519"]);

        string line = AssertOneError(result, Path.Combine(output, "SHA256SUMS"));
        Assert.Contains($"{Path.GetFileName(rpm)}: SHA256 does not match (BAD)", line, StringComparison.Ordinal);
        Assert.Contains($"{Path.GetFileName(deb)} is missing", line, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsignedPackages_AreBad_NoSignature()
    {
        string rpm = Directory.GetFiles(Builds.Unsigned, "*.rpm").Single();
        string deb = Directory.GetFiles(Builds.Unsigned, "*.deb").Single();

        var result = Verify(rpm, deb, Path.Combine(Builds.Unsigned, "SHA256SUMS"), "--key", Builds.PublicKeys["ed25519"]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        string[] lines = Lines(result.StdErr);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{rpm}: error: no signature", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{deb}: error: no signature (no _gpgorigin member)", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{Path.Combine(Builds.Unsigned, "SHA256SUMS")}: error: no signature", lines[2], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Contains("--sign", l, StringComparison.Ordinal));
    }

    [Fact]
    public void SignedByAnotherKey_IsBad_NotSignedByAKeyGiven()
    {
        string rpm = Builds.Rpm("ed25519");
        string deb = Builds.Deb("ed25519");
        string sums = Path.Combine(Builds.Outputs["ed25519"], "SHA256SUMS.asc");

        var result = Verify(rpm, deb, sums, "--key", Builds.OtherPublicKey, "--key", Builds.PublicKeys["rsa3072"]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string[] lines = Lines(result.StdErr);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains("not signed by a key given", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains(Builds.Fingerprints["ed25519"], l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith("give its public key with --key", l, StringComparison.Ordinal));
    }

    [Fact]
    public void SignedByASubkey_IsOk_NamingTheSubkeyAndItsPrimary_AsRpmSaysToo()
    {
        string primary = Builds.Gpg.GenerateKey("ed25519", usage: "cert", userId: "Sub <sub@example.org>");
        string subkey = Builds.Gpg.AddSubkey(primary, "ed25519", "sign");
        string secret = Builds.Gpg.Write("sub.sec.asc", Builds.Gpg.ExportSecret(primary));
        string output = Builds.Gpg.Combine("dist-subkey");
        var built = DkmsPackProcess.Run(
            ["mkrpm", Repo.Example("apple-gmux-0.1"), "-o", output, "--signing-key", secret, "--maintainer", "T <t@example.org>", "-q"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = TestBuilds.Epoch });
        Assert.True(built.ExitCode == 0, built.StdErr);
        string rpm = Directory.GetFiles(output, "*.rpm").Single();
        string key = Builds.Gpg.Write("sub.pub.asc", Builds.Gpg.Gpg(null, "--armor", "--export", primary));

        var result = Verify(rpm, "--key", key);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.StartsWith($"{rpm}: OK: header signature EdDSA/SHA256 by {subkey}, a subkey of {primary} {SignedAt}, header SHA256, payload SHA256", result.StdOut, StringComparison.Ordinal);
        string database = Builds.Gpg.Combine("rpmdb-sub");
        Directory.CreateDirectory(database);
        RealTool.RunChecked("rpmkeys", "--dbpath", database, "--import", key);
        Assert.Equal(0, RealTool.Run("rpm", "--dbpath", database, "-Kv", rpm).ExitCode);
    }

    [Fact]
    public void SignedByARevokedKey_IsBad_SayingSo_AsSqvSaysToo()
    {
        string fingerprint = Builds.Fingerprints["rsa3072"];
        string sums = Path.Combine(Builds.Outputs["rsa3072"], "SHA256SUMS.asc");
        Builds.Gpg.Revoke(fingerprint);
        string revoked = Builds.Gpg.ExportPublic(fingerprint, "revoked.pub.gpg");

        var result = Verify(Builds.Rpm("rsa3072"), sums, "--key", revoked);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string[] lines = Lines(result.StdErr);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("revoked", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith("ask the signer for a new signature with a valid key", l, StringComparison.Ordinal));
        // sqv refuses a revoked certificate; gpgv does not look at revocations and accepts it.
        RealTool.Require("sqv");
        Assert.NotEqual(0, GpgHome.Sqv(revoked, sums, sums[..^4]).ExitCode);
    }

    [Fact]
    public void OneBadFileAmongGoodOnes_ExitsTwo_AndTheGoodOnesAreStillReported()
    {
        string unsigned = Directory.GetFiles(Builds.Unsigned, "*.deb").Single();

        var result = Verify(Builds.Rpm("ed25519"), unsigned, Builds.Deb("ed25519"), "--key", Builds.PublicKeys["ed25519"]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        Assert.Equal(2, Lines(result.StdOut).Length);
        Assert.Single(Lines(result.StdErr));
    }

    [Theory]
    [InlineData(".rpm", 0)]
    [InlineData(".rpm", 50)]
    [InlineData(".rpm", 200)]
    [InlineData(".rpm", 2000)]
    [InlineData(".deb", 0)]
    [InlineData(".deb", 7)]
    [InlineData(".deb", 100)]
    [InlineData(".deb", 1000)]
    public void TruncatedPackages_AreBad_InOneLine(string extension, int length)
    {
        string original = extension == ".rpm" ? Builds.Rpm("ed25519") : Builds.Deb("ed25519");
        string cut = Builds.Gpg.Write("cut-" + length + extension, File.ReadAllBytes(original)[..length]);

        AssertOneError(Verify(cut, "--key", Builds.PublicKeys["ed25519"]), cut);
    }

    [Theory]
    [InlineData("garbage.rpm")]
    [InlineData("garbage.deb")]
    [InlineData("garbage.pkg.tar.zst")]
    [InlineData("SHA256SUMS.asc")]
    public void Garbage_IsBad_InOneLine(string name)
    {
        string directory = Builds.Gpg.Combine("garbage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        byte[] garbage = new byte[100_000];
        new Random(12).NextBytes(garbage);
        string file = Path.Combine(directory, name);
        File.WriteAllBytes(file, garbage);
        File.WriteAllBytes(Path.Combine(directory, "SHA256SUMS"), garbage[..1000]);

        AssertOneError(Verify(file, "--key", Builds.PublicKeys["ed25519"]), file);
    }

    [Fact]
    public void AFifo_IsBad_WithoutHanging()
    {
        string directory = Builds.Gpg.Combine("fifo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string rpm = Path.Combine(directory, "x.rpm");
        string asc = Path.Combine(directory, "SHA256SUMS.asc");
        RealTool.RunChecked("mkfifo", rpm, asc);

        var result = Verify(rpm, asc, "--key", Builds.PublicKeys["ed25519"]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string[] lines = Lines(result.StdErr);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("not a regular file", l, StringComparison.Ordinal));
    }

    [Fact]
    public void ASignedListNamingAPathOutsideItsDirectory_IsBad()
    {
        string directory = Builds.Gpg.Combine("traversal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string rpm = Builds.Rpm("ed25519");
        string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(rpm)));
        string sums = Path.Combine(directory, "SHA256SUMS");
        File.WriteAllText(sums, $"{sha256}  ../{Path.GetFileName(Path.GetDirectoryName(rpm))}/{Path.GetFileName(rpm)}\n");
        Builds.Gpg.Gpg(string.Empty, "--local-user", Builds.Fingerprints["ed25519"], "--armor", "--detach-sign", "--output", sums + ".asc", sums);

        var result = Verify(sums, "--key", Builds.PublicKeys["ed25519"]);

        Assert.Contains("SHA256SUMS line 1 names \"../", AssertOneError(result, sums), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingKeyFile_IsACommandLineError_InOneLine()
    {
        string missing = Builds.Gpg.Combine("no-such-key.asc");

        var result = Verify(Builds.Rpm("ed25519"), "--key", missing);

        Assert.Equal(ExitCode.InvalidOptions, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.StartsWith($"{missing}: error: no such file", Assert.Single(Lines(result.StdErr)), StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyFileThatIsNotAPublicKey_IsACommandLineError_InOneLine()
    {
        string secret = Builds.Gpg.Combine("ed25519.sec.asc");
        string garbage = Builds.Gpg.Write("garbage.key", "not a key\n");

        var secretResult = Verify(Builds.Rpm("ed25519"), "--key", secret);
        var garbageResult = Verify(Builds.Rpm("ed25519"), "--key", garbage);

        Assert.Equal(ExitCode.InvalidOptions, secretResult.ExitCode);
        Assert.StartsWith($"{secret}: error: holds a secret key", Assert.Single(Lines(secretResult.StdErr)), StringComparison.Ordinal);
        Assert.DoesNotContain("-----", secretResult.StdErr, StringComparison.Ordinal);
        Assert.Equal(ExitCode.InvalidOptions, garbageResult.ExitCode);
        Assert.StartsWith($"{garbage}: error: is not an OpenPGP public key", Assert.Single(Lines(garbageResult.StdErr)), StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeyOrNoFile_IsACommandLineError()
    {
        Assert.Equal(ExitCode.InvalidOptions, Verify(Builds.Rpm("ed25519")).ExitCode);
        Assert.Equal(ExitCode.InvalidOptions, Verify("--key", Builds.PublicKeys["ed25519"]).ExitCode);
    }

    private static DkmsPackProcess.Result Verify(params string[] args) => DkmsPackProcess.Run(["verify", .. args]);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Exit 2, nothing on stdout, and one compiler-style error line about <paramref name="file"/> with no stack trace.</summary>
    private static string AssertOneError(DkmsPackProcess.Result result, string file)
    {
        Assert.True(result.ExitCode == ExitCode.InvalidInput, $"exit {result.ExitCode}: {result.StdOut}{result.StdErr}");
        Assert.Equal(string.Empty, result.StdOut);
        string line = Assert.Single(Lines(result.StdErr));
        Assert.StartsWith($"{file}: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        Assert.Contains("; ", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>A copy of <paramref name="file"/> with the byte at the index <paramref name="where"/> picks flipped in its lowest bit.</summary>
    private string Changed(string file, Func<byte[], int> where)
    {
        byte[] bytes = File.ReadAllBytes(file);
        int index = where(bytes);
        Assert.InRange(index, 0, bytes.Length - 1);
        bytes[index] ^= 0x01;
        return Builds.Gpg.Write("changed-" + Guid.NewGuid().ToString("N") + Path.GetExtension(file), bytes);
    }

    /// <summary>A throw-away rpm database that trusts the key of <paramref name="algorithm"/>.</summary>
    private string RpmDatabase(string algorithm)
    {
        string database = Builds.Gpg.Combine("rpmdb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(database);
        RealTool.RunChecked("rpmkeys", "--dbpath", database, "--import", Builds.PublicKeys[algorithm]);
        return database;
    }

    /// <summary>debsig-verify with a policy that trusts the key of <paramref name="algorithm"/> (the policy of <see cref="DebsigTests"/>).</summary>
    private (int ExitCode, string StdOut, string StdErr) DebsigVerify(string algorithm, string deb)
    {
        RealTool.Require("debsig-verify");
        byte[] secret = File.ReadAllBytes(Builds.Gpg.Combine(algorithm + ".sec.asc"));
        using SigningKey key = SigningKey.Load(secret, string.Empty, long.Parse(TestBuilds.Epoch, CultureInfo.InvariantCulture), null);
        (string policies, string keyrings) = DebsigTests.Policy(Builds.Gpg, key);
        return RealTool.Run("debsig-verify", "--policies-dir", policies, "--keyrings-dir", keyrings, deb);
    }
}
