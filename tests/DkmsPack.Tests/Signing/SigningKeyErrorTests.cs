using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// Every key <see cref="SigningKey"/> cannot sign with gives one line that names the key file and the key,
/// exits 2, and never shows the passphrase or the key's bytes.
/// </summary>
public class SigningKeyErrorTests
{
    private const string Origin = "release-key.asc";
    private const string Passphrase = "s3cret-passphrase";

    [Fact]
    public void Load_WrongPassphrase_SaysSo()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", passphrase: Passphrase);
        byte[] secret = gpg.ExportSecret(fingerprint, Passphrase);

        Diagnostic error = LoadFails(secret, "not the passphrase");

        Assert.Contains("passphrase for the signing key " + fingerprint[^16..] + " is wrong", error.Message, StringComparison.Ordinal);
        Assert.Contains("{{opt:" + SigningKey.PassphraseOption + "}}", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProtectedKeyWithoutPassphrase_AsksForIt()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("rsa2048", passphrase: Passphrase);

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint, Passphrase), string.Empty);

        Assert.Contains("is protected by a passphrase, and none was given", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_PublicKey_AsksForTheSecretKey(bool armor)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        byte[] publicKey = armor ? Encoding.ASCII.GetBytes(gpg.Gpg(null, "--armor", "--export", fingerprint)) : File.ReadAllBytes(gpg.ExportPublic(fingerprint));

        Diagnostic error = LoadFails(publicKey, string.Empty);

        Assert.Equal("holds a public key, and signing needs the secret key", error.Message);
        Assert.Contains("{{opt:signing-key}}", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyExpiredBeforeTheSignatureTime_SaysWhen()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("rsa2048", expire: "2021-01-01");
        byte[] secret = gpg.ExportSecret(fingerprint);

        Diagnostic error = LoadFails(secret, string.Empty);

        Assert.StartsWith("the signing key " + fingerprint[^16..] + " expired on 2021-01-0", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("before the signature time 2023-11-14 22:13:20 UTC", error.Message, StringComparison.Ordinal);

        // Valid when loaded for a time inside its life, but not for a signature made after it.
        using SigningKey key = SigningKey.Load(secret, string.Empty, GpgHome.KeyCreation + 86_400, Origin);
        Assert.NotEmpty(key.SignDetached(GpgHome.KeyCreation + 86_400, "x"u8));
        DkmsPackException late = Assert.Throws<DkmsPackException>(() => key.SignDetached(GpgHome.SignTime, "x"u8));
        Assert.Contains(" expired on ", late.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RevokedKey_SaysItIsRevoked()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        gpg.Revoke(fingerprint);

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint), string.Empty);

        Assert.StartsWith("the signing key " + fingerprint[^16..] + " is revoked (revocation of 2020-01-01 00:00:00 UTC)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyMadeAfterTheSignatureTime_SaysSo()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint), string.Empty, signatureTime: GpgHome.KeyCreation - 1);

        Assert.Contains("was created on 2020-01-01 00:00:00 UTC, after the signature time 2019-12-31 23:59:59 UTC", error.Message, StringComparison.Ordinal);
        Assert.Contains("SOURCE_DATE_EPOCH", error.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dsa2048", null, "uses DSA")]
    [InlineData("dsa2048", "elg2048", "uses DSA")]
    [InlineData("rsa1024", null, "uses RSA of 1024 bits")]
    public void Load_UnsupportedAlgorithm_NamesIt(string algorithm, string? encryptionSubkey, string expected)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey(algorithm, usage: encryptionSubkey is null ? "sign" : "sign,cert");
        if (encryptionSubkey is not null)
        {
            gpg.AddSubkey(fingerprint, encryptionSubkey, "encr");
        }

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint), string.Empty);

        Assert.Contains("the signing key " + fingerprint[^16..] + " " + expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("RSA (2048 bits or more) or Ed25519", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyThatCannotSign_SaysSo()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", usage: "cert");
        gpg.AddSubkey(fingerprint, "cv25519", "encr");

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint), string.Empty);

        Assert.Contains("has no key that may sign", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretPartOfTheSignerMissing_SaysItIsAStub()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", usage: "sign,cert");
        gpg.AddSubkey(fingerprint, "cv25519", "encr");

        Diagnostic error = LoadFails(gpg.ExportSecret(fingerprint, subkeysOnly: true), string.Empty);

        Assert.Contains("holds no secret part of its signing key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoSecretKeys_AsksForOne()
    {
        using var gpg = new GpgHome();
        gpg.GenerateKey("ed25519", userId: "One <1@example.org>");
        gpg.GenerateKey("ed25519", userId: "Two <2@example.org>");

        Diagnostic error = LoadFails(gpg.ExportSecret("example.org"), string.Empty);

        Assert.StartsWith("holds 2 secret keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Garbage_IsNotAKey()
    {
        byte[] random = new byte[300];
        new Random(7).NextBytes(random);
        random[0] = 0x42; // not a packet header

        Assert.StartsWith("is not an OpenPGP key", LoadFails(random, string.Empty).Message, StringComparison.Ordinal);
        Assert.StartsWith("is not an OpenPGP key", LoadFails("just some text\n"u8.ToArray(), string.Empty).Message, StringComparison.Ordinal);
        Assert.StartsWith("is not an OpenPGP key", LoadFails([], string.Empty).Message, StringComparison.Ordinal);
        Assert.StartsWith("is OpenPGP data but not a key", LoadFails([0xC2, 0x01, 0x04], string.Empty).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ArmourWithABadChecksum_SaysTheTextChanged()
    {
        using var gpg = new GpgHome();
        string armored = Encoding.ASCII.GetString(gpg.ExportSecret(gpg.GenerateKey("ed25519")));
        string[] lines = armored.Split('\n');
        int body = Array.IndexOf(lines, string.Empty) + 2;
        lines[body] = (lines[body][0] == 'A' ? "B" : "A") + lines[body][1..];

        Diagnostic error = LoadFails(Encoding.ASCII.GetBytes(string.Join('\n', lines)), string.Empty);

        Assert.Contains("CRC-24 checksum does not match", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, "holds a version 6 (RFC 9580) key")]
    [InlineData(3, "holds a version 3 key")]
    public void Load_KeyOfAnotherVersion_IsRefused(int version, string expected)
    {
        // A secret-key packet (tag 5, OpenPGP format header) whose body starts with the version octet.
        byte[] body = new byte[60];
        body[0] = (byte)version;
        byte[] packet = [0xC5, (byte)body.Length, .. body];

        Diagnostic error = LoadFails(packet, string.Empty);

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    private static Diagnostic LoadFails(byte[] key, string passphrase, long signatureTime = GpgHome.SignTime)
    {
        DkmsPackException exception = Assert.Throws<DkmsPackException>(() => SigningKey.Load(key, passphrase, signatureTime, Origin));
        Assert.Equal(ExitCode.InvalidInput, exception.ExitCode);
        Diagnostic diagnostic = Assert.Single(exception.Diagnostics);
        Assert.Equal(Origin, diagnostic.File);
        string line = diagnostic.ToString();
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain(Passphrase, line, StringComparison.Ordinal);
        Assert.DoesNotContain("-----BEGIN", line, StringComparison.Ordinal);
        Assert.Null(exception.InnerException);
        return diagnostic;
    }
}
