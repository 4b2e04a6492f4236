using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DkmsPack.Diagnostics;
using DkmsPack.Modules;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Modules;

/// <summary>
/// Modules signed in process, judged by the kernel's own tools: the bytes equal scripts/sign-file's, modinfo
/// reads the signer, extract-module-sig.pl finds a CMS message that openssl verifies against the unsigned module.
/// </summary>
public sealed partial class ModuleSignerTests(KernelModuleFixture fixture)
{
    [Theory]
    [InlineData("dkms", "sha256")]
    [InlineData("dkms", "sha512")]
    [InlineData("dkms", "sha384")]
    [InlineData("dkms", "sha1")]
    [InlineData("rsa4096", "sha256")]
    [InlineData("rsa4096", "sha512")]
    public void Sign_Rsa_IsByteIdenticalToSignFile(string keyName, string hash)
    {
        KeyPair pair = Pair(keyName);
        string expected = fixture.NewPath("sign-file.ko");
        RealTool.RunChecked(fixture.SignFile, hash, pair.Key, pair.Certificate, fixture.UnsignedModule, expected);

        byte[] signed = SignWith(pair, hash);

        Assert.Equal(File.ReadAllBytes(expected), signed);
    }

    [Fact]
    public void Sign_BySubjectKeyIdentifier_IsByteIdenticalToSignFileDashK()
    {
        KeyPair pair = fixture.Keys.Dkms;
        string expected = fixture.NewPath("sign-file-k.ko");
        RealTool.RunChecked(fixture.SignFile, "-k", "sha256", pair.Key, pair.Certificate, fixture.UnsignedModule, expected);

        using ModuleSigningKey key = ModuleSigningKey.Load(pair.Key, pair.Certificate);
        byte[] signed = ModuleSigner.Sign(fixture.UnsignedBytes, key, HashAlgorithmName.SHA256, fixture.UnsignedModule, ModuleSignerIdentifier.SubjectKeyIdentifier);

        Assert.Equal(File.ReadAllBytes(expected), signed);
    }

    [Theory]
    [InlineData("dkms", "sha256")]
    [InlineData("rsa4096", "sha512")]
    [InlineData("ec", "sha256")]
    public void Sign_ModinfoShowsSignerKeyAndHash(string keyName, string hash)
    {
        KeyPair pair = Pair(keyName);
        string signed = fixture.NewPath("signed.ko");
        File.WriteAllBytes(signed, SignWith(pair, hash));
        string serial = RealTool.RunChecked("openssl", "x509", "-inform", pair.Certificate.EndsWith(".pem", StringComparison.Ordinal) ? "PEM" : "DER", "-in", pair.Certificate, "-noout", "-serial").Trim();
        string commonName = RealTool.RunChecked("openssl", "x509", "-inform", pair.Certificate.EndsWith(".pem", StringComparison.Ordinal) ? "PEM" : "DER", "-in", pair.Certificate, "-noout", "-subject", "-nameopt", "multiline").Split('\n').Single(l => l.TrimStart().StartsWith("commonName", StringComparison.Ordinal)).Split('=', 2)[1].Trim();

        Assert.Equal(commonName, Modinfo(signed, "signer"));
        Assert.Equal(ColonHex(serial["serial=".Length..]), Modinfo(signed, "sig_key"));
        Assert.Equal(hash, Modinfo(signed, "sig_hashalgo"));
        Assert.Equal("PKCS#7", Modinfo(signed, "sig_id"));

        // And what our own reader says agrees with modinfo.
        KernelModuleInfo info = KernelModuleInfo.ReadFile(signed);
        Assert.True(info.Signature is { IsWellFormed: true });
        Assert.Equal(Modinfo(signed, "signer"), info.Signature.Signer);
        Assert.Equal(Modinfo(signed, "sig_key"), info.Signature.KeyId);
        Assert.Equal(hash, info.Signature.HashAlgorithm);
    }

    [Theory]
    [InlineData("dkms", "sha256")]
    [InlineData("rsa4096", "sha384")]
    [InlineData("ec", "sha256")]
    [InlineData("ec", "sha512")]
    public void Sign_ExtractModuleSigFindsACmsThatOpensslVerifies(string keyName, string hash)
    {
        KeyPair pair = Pair(keyName);
        string signed = fixture.NewPath("signed.ko");
        File.WriteAllBytes(signed, SignWith(pair, hash));

        string cms = fixture.NewPath("module.p7s");
        File.WriteAllBytes(cms, fixture.ExtractSignature(signed, "-s"));
        string unsigned = fixture.NewPath("unsigned.ko");
        File.WriteAllBytes(unsigned, fixture.ExtractSignature(signed, "-0"));

        Assert.Equal(fixture.UnsignedBytes, File.ReadAllBytes(unsigned));
        (int exitCode, string stdOut, string stdErr) = RealTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms, "-content", fixture.UnsignedModule, "-certfile", pair.Certificate, "-noverify", "-out", "/dev/null");
        Assert.True(exitCode == 0, $"openssl cms -verify exited with {exitCode}: {stdErr}{stdOut}");
        Assert.Contains("Verification successful", stdErr, StringComparison.Ordinal);

        // A module changed after signing no longer verifies: the check can fail.
        byte[] changed = fixture.UnsignedBytes;
        changed[changed.Length / 2] ^= 0x01;
        string changedPath = fixture.NewPath("changed.ko");
        File.WriteAllBytes(changedPath, changed);
        (int changedExit, _, _) = RealTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms, "-content", changedPath, "-certfile", pair.Certificate, "-noverify", "-out", "/dev/null");
        Assert.NotEqual(0, changedExit);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public void Sign_Ecdsa_HasSignFilesStructure(string hash)
    {
        // ECDSA signatures are randomised, so compare the structure: openssl asn1parse's lines, without offsets and
        // lengths, and without the signature value.
        KeyPair pair = fixture.Keys.Ec;
        string expected = fixture.NewPath("sign-file-ec.ko");
        RealTool.RunChecked(fixture.SignFile, hash, pair.Key, pair.Certificate, fixture.UnsignedModule, expected);
        string ours = fixture.NewPath("ours-ec.ko");
        File.WriteAllBytes(ours, SignWith(pair, hash));

        Assert.Equal(Structure(fixture.ExtractSignature(expected, "-s")), Structure(fixture.ExtractSignature(ours, "-s")));
        string[] expectedDescriptor = System.Text.Encoding.ASCII.GetString(fixture.ExtractSignature(expected, "-d")).Split(' ', StringSplitOptions.TrimEntries);
        string[] ourDescriptor = System.Text.Encoding.ASCII.GetString(fixture.ExtractSignature(ours, "-d")).Split(' ', StringSplitOptions.TrimEntries);
        Assert.Equal(["0", "0", "2", "0", "0"], ourDescriptor[..5]);
        Assert.Equal(expectedDescriptor[..5], ourDescriptor[..5]);
    }

    [Fact]
    public void Sign_Twice_GivesTheSameBytes()
    {
        byte[] first = SignWith(fixture.Keys.Dkms, "sha256");
        byte[] second = SignWith(fixture.Keys.Dkms, "sha256");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sign_ASignedModule_IsAnErrorNamingIt()
    {
        string signed = fixture.NewPath("signed.ko");
        File.WriteAllBytes(signed, SignWith(fixture.Keys.Dkms, "sha256"));
        using ModuleSigningKey key = ModuleSigningKey.Load(fixture.Keys.Dkms.Key, fixture.Keys.Dkms.Certificate);

        DkmsPackException error = Assert.Throws<DkmsPackException>(() => ModuleSigner.Sign(File.ReadAllBytes(signed), key, HashAlgorithmName.SHA256, signed));

        Assert.Equal(signed, error.Diagnostics[0].File);
        Assert.Contains("is already signed", error.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.DoesNotContain('\n', error.Diagnostics[0].ToString());
    }

    [Fact]
    public void Sign_AfterStrippingTheSignature_EqualsSigningTheOriginal()
    {
        // A module DKMS signed already (/var/lib/dkms/…/module/*.ko) is re-signed by stripping its signature first;
        // extract-module-sig.pl -0 is the judge of what "unsigned" means.
        string signedBySignFile = fixture.NewPath("sign-file.ko");
        RealTool.RunChecked(fixture.SignFile, "sha256", fixture.Keys.Rsa4096.Key, fixture.Keys.Rsa4096.Certificate, fixture.UnsignedModule, signedBySignFile);

        byte[] stripped = ModuleSignatureLayout.WithoutSignature(File.ReadAllBytes(signedBySignFile)).ToArray();

        Assert.Equal(fixture.ExtractSignature(signedBySignFile, "-0"), stripped);
        Assert.Equal(SignWith(fixture.Keys.Dkms, "sha256"), SignBytes(stripped, fixture.Keys.Dkms, "sha256"));
    }

    [Fact]
    public void Sign_KeyFormats_AllSignAlike()
    {
        // PKCS#1 ("RSA PRIVATE KEY"), DER PKCS#8, a PEM certificate, and key and certificate in one file (as the
        // kernel's signing_key.pem) sign exactly as the PKCS#8 key and DER certificate DKMS writes.
        KeyPair dkms = fixture.Keys.Dkms;
        string directory = fixture.Keys.Directory;
        string pkcs1 = Path.Combine(directory, "mok-pkcs1.key");
        string der = Path.Combine(directory, "mok-key.der");
        string pemCert = Path.Combine(directory, "mok-cert.pem");
        string combined = Path.Combine(directory, "signing_key.pem");
        RealTool.RunChecked("openssl", "rsa", "-in", dkms.Key, "-traditional", "-out", pkcs1);
        RealTool.RunChecked("openssl", "pkey", "-in", dkms.Key, "-outform", "DER", "-out", der);
        RealTool.RunChecked("openssl", "x509", "-inform", "DER", "-in", dkms.Certificate, "-out", pemCert);
        File.WriteAllText(combined, File.ReadAllText(dkms.Key) + File.ReadAllText(pemCert));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(pkcs1), StringComparison.Ordinal);
        byte[] expected = SignWith(dkms, "sha256");

        Assert.Equal(expected, SignWith(new KeyPair(pkcs1, dkms.Certificate), "sha256"));
        Assert.Equal(expected, SignWith(new KeyPair(der, pemCert), "sha256"));
        Assert.Equal(expected, SignWith(new KeyPair(combined, combined), "sha256"));
        Assert.Equal(expected, SignWith(new KeyPair(combined, dkms.Certificate), "sha256"));
    }

    [Fact]
    public void Sign_EcPrivateKeyForm_VerifiesWithOpenssl()
    {
        KeyPair ec = fixture.Keys.Ec;
        string sec1 = Path.Combine(fixture.Keys.Directory, "ec-sec1.key");
        RealTool.RunChecked("openssl", "ec", "-in", ec.Key, "-out", sec1);
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(sec1), StringComparison.Ordinal);

        byte[] signed = SignWith(new KeyPair(sec1, ec.Certificate), "sha256");
        string cms = fixture.NewPath("ec.p7s");
        string module = fixture.NewPath("ec.ko");
        File.WriteAllBytes(module, signed);
        File.WriteAllBytes(cms, fixture.ExtractSignature(module, "-s"));

        RealTool.RunChecked("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", cms, "-content", fixture.UnsignedModule, "-certfile", ec.Certificate, "-noverify", "-out", "/dev/null");
    }

    [Fact]
    public void ModuleSigningKey_DescribesTheCertificate()
    {
        using ModuleSigningKey key = ModuleSigningKey.Load(fixture.Keys.Dkms.Key, fixture.Keys.Dkms.Certificate);
        string serial = RealTool.RunChecked("openssl", "x509", "-inform", "DER", "-in", fixture.Keys.Dkms.Certificate, "-noout", "-serial").Trim();

        Assert.Equal(ModuleSigningKeyAlgorithm.Rsa, key.Algorithm);
        Assert.Equal(2048, key.KeySize);
        Assert.Equal("DKMS module signing key", key.Signer);
        Assert.Equal(ColonHex(serial["serial=".Length..]), key.SerialNumber);
        Assert.Equal(File.ReadAllBytes(fixture.Keys.Dkms.Certificate), key.CertificateDer.ToArray());
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha224")]
    [InlineData("")]
    public void ParseHash_Unsupported_NamesTheChoices(string name)
    {
        DkmsPackException error = Assert.Throws<DkmsPackException>(() => ModuleSigner.ParseHash(name, "dkmspack.toml"));

        Assert.Equal("dkmspack.toml", error.Diagnostics[0].File);
        Assert.Contains("sha256, sha384, sha512, sha1", error.Diagnostics[0].Remedy, StringComparison.Ordinal);
    }

    internal static string ColonHex(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));

    private static string Modinfo(string module, string field) => RealTool.RunChecked("modinfo", "-F", field, module).Trim();

    private static string Structure(byte[] der)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, der);
            string parsed = RealTool.RunChecked("openssl", "asn1parse", "-inform", "DER", "-in", path);
            return string.Join('\n', parsed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => LengthsAndHex().Replace(OffsetPrefix().Replace(line, string.Empty), string.Empty)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"^\s*\d+:")]
    private static partial Regex OffsetPrefix();

    [GeneratedRegex(@"hl=\s*\d+ l=\s*\d+|\[HEX DUMP\]:[0-9A-F]+")]
    private static partial Regex LengthsAndHex();

    private KeyPair Pair(string name) => name switch
    {
        "dkms" => fixture.Keys.Dkms,
        "rsa4096" => fixture.Keys.Rsa4096,
        "ec" => fixture.Keys.Ec,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private byte[] SignWith(KeyPair pair, string hash) => SignBytes(fixture.UnsignedBytes, pair, hash);

    private byte[] SignBytes(byte[] module, KeyPair pair, string hash)
    {
        using ModuleSigningKey key = ModuleSigningKey.Load(pair.Key, pair.Certificate);
        return ModuleSigner.Sign(module, key, ModuleSigner.ParseHash(hash), fixture.UnsignedModule);
    }
}
