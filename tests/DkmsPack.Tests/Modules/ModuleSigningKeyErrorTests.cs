using DkmsPack.Diagnostics;
using DkmsPack.Modules;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Modules;

/// <summary>
/// Every key or certificate <see cref="ModuleSigningKey"/> cannot sign with gives one line that names the file and
/// what to do, exits 2, and never shows key material. The inputs are made by openssl, as users make them.
/// </summary>
public sealed class ModuleSigningKeyErrorTests(KernelModuleFixture fixture)
{
    [Fact]
    public void Load_KeyOfAnotherCertificate_SaysTheyDoNotMatch()
    {
        Diagnostic error = LoadFails(fixture.Keys.Rsa4096.Key, fixture.Keys.Dkms.Certificate);

        Assert.Equal(fixture.Keys.Rsa4096.Key, error.File);
        Assert.Contains("is not the private key of the certificate " + fixture.Keys.Dkms.Certificate, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EcKeyWithRsaCertificate_SaysTheyDoNotMatch()
    {
        Diagnostic error = LoadFails(fixture.Keys.Ec.Key, fixture.Keys.Dkms.Certificate);

        Assert.Contains("is not the private key of the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateAsKey_SaysWhichIsWhich()
    {
        string pem = Path.Combine(fixture.Keys.Directory, "rsa4096-copy.pem");
        File.Copy(fixture.Keys.Rsa4096.Certificate, pem, overwrite: true);

        Diagnostic error = LoadFails(pem, fixture.Keys.Rsa4096.Certificate);

        Assert.Equal(pem, error.File);
        Assert.Contains("holds no private key (only \"CERTIFICATE\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("this is the certificate", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyAsCertificate_SaysWhichIsWhich()
    {
        Diagnostic error = LoadFails(fixture.Keys.Rsa4096.Key, fixture.Keys.Rsa4096.Key);

        Assert.Contains("holds no certificate (only \"PRIVATE KEY\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("this is the private key", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncryptedKey_AsksForItDecrypted()
    {
        string encrypted = Path.Combine(fixture.Keys.Directory, "mok-encrypted.key");
        RealTool.RunChecked("openssl", "pkey", "-in", fixture.Keys.Dkms.Key, "-aes256", "-passout", "pass:secret", "-out", encrypted);
        string traditional = Path.Combine(fixture.Keys.Directory, "mok-encrypted-traditional.key");
        RealTool.RunChecked("openssl", "rsa", "-in", fixture.Keys.Dkms.Key, "-traditional", "-aes256", "-passout", "pass:secret", "-out", traditional);

        foreach (string key in (string[])[encrypted, traditional])
        {
            Diagnostic error = LoadFails(key, fixture.Keys.Dkms.Certificate);

            Assert.Contains("encrypted with a passphrase", error.Message, StringComparison.Ordinal);
            Assert.Contains("openssl pkey", error.Remedy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_Ed25519Key_SaysTheKernelCannotVerifyIt()
    {
        string key = Path.Combine(fixture.Keys.Directory, "ed25519.key");
        string certificate = Path.Combine(fixture.Keys.Directory, "ed25519.der");
        RealTool.RunChecked("openssl", "req", "-new", "-x509", "-nodes", "-days", "30", "-subj", "/CN=ed25519", "-newkey", "ed25519", "-keyout", key, "-outform", "DER", "-out", certificate);

        Diagnostic error = LoadFails(key, certificate);

        Assert.Contains("RSA or ECDSA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFiles_NameThem()
    {
        string missing = Path.Combine(fixture.Keys.Directory, "no-such.key");

        Diagnostic key = LoadFails(missing, fixture.Keys.Dkms.Certificate);
        Diagnostic certificate = LoadFails(fixture.Keys.Dkms.Key, missing);

        Assert.Equal(missing, key.File);
        Assert.StartsWith("the module signing key cannot be read", key.Message, StringComparison.Ordinal);
        Assert.Equal(missing, certificate.File);
        Assert.StartsWith("the module signing certificate cannot be read", certificate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DamagedInputs_AreOneLineErrors()
    {
        byte[] key = File.ReadAllBytes(fixture.Keys.Dkms.Key);
        byte[] certificate = File.ReadAllBytes(fixture.Keys.Dkms.Certificate);
        byte[] derKey = Convert.FromBase64String(string.Concat(File.ReadAllLines(fixture.Keys.Dkms.Key).Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var random = new Random(7);
        var cases = new List<(byte[] Key, byte[] Certificate)>
        {
            ([], certificate),
            (key, []),
            ("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n"u8.ToArray(), certificate),
            ("-----BEGIN PRIVATE KEY-----\n"u8.ToArray(), certificate),
            (RandomBytes(random, 300), certificate),
            (key, RandomBytes(random, 300)),
            (derKey[..(derKey.Length / 2)], certificate),
            (key, certificate[..(certificate.Length / 2)]),
        };
        for (int i = 0; i < 60; i++)
        {
            byte[] damagedKey = (byte[])derKey.Clone();
            damagedKey[random.Next(damagedKey.Length)] ^= (byte)(1 << random.Next(8));
            cases.Add((damagedKey, certificate));
            byte[] damagedCertificate = (byte[])certificate.Clone();
            damagedCertificate[random.Next(64)] ^= (byte)(1 << random.Next(8));
            cases.Add((key, damagedCertificate));
        }

        int refused = 0;
        foreach ((byte[] k, byte[] c) in cases)
        {
            try
            {
                ModuleSigningKey.FromBytes(k, "test.key", c, "test.crt").Dispose();
            }
            catch (DkmsPackException ex)
            {
                refused++;
                string line = ex.Diagnostics[0].ToString();
                Assert.False(line.Contains('\n', StringComparison.Ordinal), line);
                Assert.True(ex.Diagnostics[0].File is "test.key" or "test.crt", line);
                Assert.Equal(ExitCode.InvalidInput, ex.ExitCode);
                AssertNoKeyMaterial(line, derKey);
            }
        }

        // The first eight are all unusable; a flipped bit may leave an RSA key that still matches (a flip in a CRT
        // value .NET recomputes), so not every damaged input must be refused.
        Assert.True(refused >= 8, $"{refused} of {cases.Count} refused");
    }

    private static void AssertNoKeyMaterial(string line, byte[] derKey)
    {
        string base64 = Convert.ToBase64String(derKey);
        for (int i = 0; i + 16 <= base64.Length; i += 16)
        {
            Assert.DoesNotContain(base64.Substring(i, 16), line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Convert.ToHexString(derKey.AsSpan(derKey.Length - 16)), line.Replace(":", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Diagnostic LoadFails(string key, string certificate)
    {
        DkmsPackException error = Assert.Throws<DkmsPackException>(() => ModuleSigningKey.Load(key, certificate).Dispose());
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Single(error.Diagnostics);
        Assert.DoesNotContain('\n', error.Diagnostics[0].ToString());
        Assert.False(string.IsNullOrEmpty(error.Diagnostics[0].Remedy));
        return error.Diagnostics[0];
    }
}
