using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// <see cref="SignatureVerifier"/> against signatures gpg made (so it does not only agree with itself) and
/// against our own, with what it reports checked.
/// </summary>
public class SignatureVerifierTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("SHA256SUMS line\n");

    [Theory]
    [InlineData("rsa3072", false)]
    [InlineData("ed25519", true)]
    public void VerifyDetached_SignatureMadeByGpg_IsValid_AndTamperedDataIsNot(string algorithm, bool armor)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey(algorithm);
        string data = gpg.Write("data", Data);
        string signature = gpg.Combine("data.sig");
        gpg.Gpg(string.Empty, [.. armor ? ["--armor"] : Array.Empty<string>(), "--digest-algo", "SHA512", "--output", signature, "--detach-sign", data]);
        byte[] keyring = File.ReadAllBytes(gpg.ExportPublic(fingerprint));

        SignatureCheck check = SignatureVerifier.VerifyDetached(keyring, File.ReadAllBytes(signature), [new MemoryStream(Data)]);

        Assert.True(check.IsValid, check.Problem);
        Assert.Equal(fingerprint, check.Fingerprint);
        Assert.Equal(fingerprint, check.PrimaryFingerprint);
        Assert.Equal(fingerprint[^16..], check.KeyId);
        Assert.Equal("SHA512", check.HashAlgorithm);
        Assert.Equal(GpgHome.KeyCreation, check.CreationTime);
        Assert.Equal(0x00, check.SignatureType);

        SignatureCheck tampered = SignatureVerifier.VerifyDetached(keyring, File.ReadAllBytes(signature), [new MemoryStream([.. Data, 0])]);
        Assert.False(tampered.IsValid);
        Assert.Contains("does not match the data", tampered.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDetached_OurSignatureWithSubkey_ReportsSubkeyAndPrimary_AndAnotherKeyIsNotFound()
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey("ed25519", usage: "cert");
        string subkey = gpg.AddSubkey(primary, "rsa2048", "sign");
        string other = gpg.GenerateKey("ed25519", userId: "Other <o@example.org>");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary), string.Empty, GpgHome.SignTime, null);
        string armored = key.SignDetachedArmored(GpgHome.SignTime, new MemoryStream(Data), new MemoryStream(Data));

        SignatureCheck check = SignatureVerifier.VerifyDetached(Encoding.ASCII.GetBytes(key.ExportPublicKeyArmored()), Encoding.ASCII.GetBytes(armored), [new MemoryStream([.. Data, .. Data])]);

        Assert.True(check.IsValid, check.Problem);
        Assert.Equal(subkey, check.Fingerprint);
        Assert.Equal(primary, check.PrimaryFingerprint);
        Assert.Equal("RSA", check.PublicKeyAlgorithm);
        Assert.Equal("SHA256", check.HashAlgorithm);
        Assert.Equal(GpgHome.SignTime, check.CreationTime);

        SignatureCheck unknown = SignatureVerifier.VerifyDetached(File.ReadAllBytes(gpg.ExportPublic(other)), Encoding.ASCII.GetBytes(armored), [new MemoryStream([.. Data, .. Data])]);
        Assert.False(unknown.IsValid);
        Assert.Equal("the signing key " + subkey + " is not in the keyring", unknown.Problem);
    }

    [Fact]
    public void VerifyClearSigned_GpgClearsignOutput_IsValid_AndGivesTheText()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("rsa2048");
        const string Release = "Origin: test\n-dash line\n\nlast line\n";
        string signed = gpg.Combine("InRelease");
        gpg.Gpg(string.Empty, "--output", signed, "--clearsign", gpg.Write("Release", Release));
        byte[] keyring = File.ReadAllBytes(gpg.ExportPublic(fingerprint));

        SignatureCheck check = SignatureVerifier.VerifyClearSigned(keyring, File.ReadAllText(signed), out string text);

        Assert.True(check.IsValid, check.Problem);
        Assert.Equal(0x01, check.SignatureType);
        Assert.Equal(Release, text);

        SignatureCheck changed = SignatureVerifier.VerifyClearSigned(keyring, File.ReadAllText(signed).Replace("last line", "last lime", StringComparison.Ordinal), out _);
        Assert.False(changed.IsValid);
    }

    [Fact]
    public void VerifyClearSigned_OurOwn_IsValid()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint), string.Empty, GpgHome.SignTime, null);

        SignatureCheck check = SignatureVerifier.VerifyClearSigned(key.ExportPublicKey(), key.ClearSign("a\r\n- b\r\n", GpgHome.SignTime), out string text);

        Assert.True(check.IsValid, check.Problem);
        Assert.Equal("a\n- b\n", text);
    }

    [Fact]
    public void VerifyDetached_SignatureMadeAfterTheKeyExpired_IsNotValid()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", expire: "2021-01-01");
        byte[] expiring = File.ReadAllBytes(gpg.ExportPublic(fingerprint));

        // gpg signs in 2022 once the key is extended; the keyring from before the extension says it had expired.
        gpg.FakedTime = "20220101T000000";
        gpg.Gpg(string.Empty, "--quick-set-expire", fingerprint, "2030-01-01");
        string signature = gpg.Combine("late.sig");
        gpg.Gpg(string.Empty, "--output", signature, "--detach-sign", gpg.Write("data", Data));
        byte[] extended = File.ReadAllBytes(gpg.ExportPublic(fingerprint, "extended.gpg"));

        SignatureCheck check = SignatureVerifier.VerifyDetached(expiring, File.ReadAllBytes(signature), [new MemoryStream(Data)]);

        Assert.False(check.IsValid);
        Assert.StartsWith("the signing key " + fingerprint[^16..] + " expired on 2021-01-0", check.Problem, StringComparison.Ordinal);
        Assert.True(SignatureVerifier.VerifyDetached(extended, File.ReadAllBytes(signature), [new MemoryStream(Data)]).IsValid);
    }

    [Fact]
    public void VerifyDetached_Garbage_IsAnInputError()
    {
        DkmsPackException key = Assert.Throws<DkmsPackException>(() => SignatureVerifier.VerifyDetached("nope"u8, [0xC2, 0x01, 0x04], [], "KEY.asc", "x.sig"));
        Assert.Equal("KEY.asc", key.Diagnostics[0].File);
        Assert.StartsWith("is not an OpenPGP public key", key.Diagnostics[0].Message, StringComparison.Ordinal);
    }
}
