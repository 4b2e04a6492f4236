using System.Text;
using DkmsPack.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// Keys made by gpg, loaded and used by <see cref="SigningKey"/>, and every signature judged by the real
/// verifiers: gpgv (what apt and debsig-verify run) and sqv (Sequoia's, what apt can use instead).
/// </summary>
public class SigningKeyTests
{
    private const string Passphrase = "correct horse battery staple ü";

    private static readonly byte[] Data = Encoding.UTF8.GetBytes("2.0\nthe bytes of a package\n");

    [Theory]
    [InlineData("rsa2048", false)]
    [InlineData("rsa3072", true)]
    [InlineData("rsa4096", false)]
    [InlineData("ed25519", false)]
    [InlineData("ed25519", true)]
    public void SignDetached_KeyFromGpg_GpgvAndSqvAcceptIt_AndRejectTamperedData(string algorithm, bool protect)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey(algorithm, passphrase: protect ? Passphrase : null);
        byte[] secret = gpg.ExportSecret(fingerprint, protect ? Passphrase : null);

        using SigningKey key = SigningKey.Load(secret, protect ? Passphrase : string.Empty, GpgHome.SignTime, "key.asc");

        Assert.Equal(fingerprint, key.Fingerprint);
        Assert.False(key.IsSubkey);
        Assert.Equal(algorithm.StartsWith("rsa", StringComparison.Ordinal) ? SigningKeyAlgorithm.Rsa : SigningKeyAlgorithm.Ed25519, key.Algorithm);
        string keyring = gpg.ExportPublic(fingerprint);
        string data = gpg.Write("data", Data);
        string signature = gpg.Write("data.sig", key.SignDetached(GpgHome.SignTime, Data));

        string gpgvOutput = gpg.AssertGpgvAccepts(keyring, signature, data);
        Assert.Contains(fingerprint, gpgvOutput, StringComparison.Ordinal);
        GpgHome.AssertSqvAccepts(keyring, signature, data);

        string tampered = gpg.Write("tampered", [.. Data, (byte)'!']);
        Assert.NotEqual(0, gpg.Gpgv(keyring, signature, tampered).ExitCode);
        Assert.NotEqual(0, GpgHome.Sqv(keyring, signature, tampered).ExitCode);
    }

    [Fact]
    public void SignDetached_SeveralStreams_SignsTheirConcatenation()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint), string.Empty, GpgHome.SignTime, null);
        byte[][] members = [Encoding.ASCII.GetBytes("2.0\n"), new byte[100_000], Encoding.ASCII.GetBytes("data.tar.xz")];
        new Random(12).NextBytes(members[1]);

        byte[] signature = key.SignDetached(GpgHome.SignTime, members.Select(m => (Stream)new MemoryStream(m)).ToArray());

        Assert.Equal(key.SignDetached(GpgHome.SignTime, members.SelectMany(m => m).ToArray()), signature);
        gpg.AssertGpgvAccepts(gpg.ExportPublic(fingerprint), gpg.Write("sig", signature), gpg.Write("all", members.SelectMany(m => m).ToArray()));
    }

    /// <summary>
    /// dkmspack hashes with the platform's SHA-256 and writes the packet itself; BouncyCastle's own generator, given the
    /// same subpackets, is a second implementation of RFC 9580 to hold it to, byte for byte (PKCS#1 v1.5 and EdDSA
    /// signatures are deterministic).
    /// </summary>
    [Theory]
    [InlineData("rsa3072", Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.BinaryDocument)]
    [InlineData("ed25519", Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.BinaryDocument)]
    [InlineData("rsa2048", Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.CanonicalTextDocument)]
    public void Signatures_AreTheBytesBouncyCastlesGeneratorMakes(string algorithm, int signatureType)
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey(algorithm);
        byte[] secret = gpg.ExportSecret(fingerprint);
        using SigningKey key = SigningKey.Load(secret, string.Empty, GpgHome.SignTime, null);
        const string text = "Origin: dkmspack\nSuite: stable\n";

        byte[] ours = signatureType == Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.BinaryDocument
            ? key.SignDetached(GpgHome.SignTime, new MemoryStream(Data), new MemoryStream(Data))
            : OpenPgpArmorDecode(ClearSignedSignature(key.ClearSign(text, GpgHome.SignTime)));

        var ring = new Org.BouncyCastle.Bcpg.OpenPgp.PgpSecretKeyRing(OpenPgpArmorDecode(Encoding.ASCII.GetString(secret)));
        Org.BouncyCastle.Bcpg.OpenPgp.PgpSecretKey signer = ring.GetSecretKey();
        var generator = new Org.BouncyCastle.Bcpg.OpenPgp.PgpSignatureGenerator(signer.PublicKey.Algorithm, Org.BouncyCastle.Bcpg.HashAlgorithmTag.Sha256);
        generator.InitSign(signatureType, signer.ExtractPrivateKeyRaw([]));
        var hashed = new Org.BouncyCastle.Bcpg.OpenPgp.PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, DateTimeOffset.FromUnixTimeSeconds(GpgHome.SignTime).UtcDateTime);
        hashed.SetIssuerFingerprint(false, signer.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new Org.BouncyCastle.Bcpg.OpenPgp.PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signer.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        generator.Update(signatureType == Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.BinaryDocument ? [.. Data, .. Data] : ClearSignedText.CanonicalBytes(text));
        byte[] theirs = generator.Generate().GetEncoded();

        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
    }

    private static byte[] OpenPgpArmorDecode(string armored) =>
        OpenPgpArmor.TryDecode(armored, out _, out byte[] packets, out string? error) ? packets : throw new InvalidDataException(error);

    private static string ClearSignedSignature(string clearSigned) =>
        clearSigned[clearSigned.IndexOf("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal)..];

    [Fact]
    public void SignDetached_PacketHasTheSubpacketsRpmAndGpgNeed()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("rsa2048");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint), string.Empty, GpgHome.SignTime, null);
        string signature = gpg.Write("sig", key.SignDetached(GpgHome.SignTime, Data));

        string packets = gpg.Gpg(null, "--list-packets", signature);

        Assert.Contains(":signature packet: algo 1, keyid " + key.KeyId, packets, StringComparison.Ordinal);
        Assert.Contains("version 4, created " + GpgHome.Seconds(GpgHome.SignTime) + ", md5len 0, sigclass 0x00", packets, StringComparison.Ordinal);
        Assert.Contains("digest algo 8", packets, StringComparison.Ordinal);
        Assert.Contains("hashed subpkt 2 len 4 (sig created 2023-11-14)", packets, StringComparison.Ordinal);
        Assert.Contains("hashed subpkt 33 len 21 (issuer fpr v4 " + fingerprint + ")", packets, StringComparison.Ordinal);
        Assert.Contains("subpkt 16 len 8 (issuer key ID " + key.KeyId + ")", packets, StringComparison.Ordinal);
        Assert.DoesNotContain("critical", packets, StringComparison.Ordinal);
    }

    [Fact]
    public void SignDetachedArmored_GpgvAndSqvAcceptIt_AndTheArmourHasNoVersionHeader()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("ed25519", passphrase: Passphrase);
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint, Passphrase), Passphrase, GpgHome.SignTime, null);
        string armored = key.SignDetachedArmored(GpgHome.SignTime, new MemoryStream(Data));

        Assert.StartsWith("-----BEGIN PGP SIGNATURE-----\n\n", armored, StringComparison.Ordinal);
        Assert.EndsWith("\n-----END PGP SIGNATURE-----\n", armored, StringComparison.Ordinal);
        Assert.DoesNotContain("Version", armored, StringComparison.Ordinal);
        gpg.AssertVerifiersAccept(gpg.ExportPublic(fingerprint), Encoding.ASCII.GetBytes(armored), Data);
    }

    [Fact]
    public void Load_KeyWithSigningSubkey_SignsWithTheNewestSigningSubkey()
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey("ed25519", usage: "cert", passphrase: Passphrase);
        gpg.AddSubkey(primary, "cv25519", "encr", passphrase: Passphrase);
        gpg.AddSubkey(primary, "rsa2048", "sign", passphrase: Passphrase);
        gpg.FakedTime = "20200102T000000";
        string signingSubkey = gpg.AddSubkey(primary, "ed25519", "sign", passphrase: Passphrase);

        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary, Passphrase), Passphrase, GpgHome.SignTime, null);

        Assert.True(key.IsSubkey);
        Assert.Equal(primary, key.PrimaryFingerprint);
        Assert.Equal(SigningKeyAlgorithm.Ed25519, key.Algorithm);
        Assert.Equal(signingSubkey, key.Fingerprint);
        string output = gpg.AssertVerifiersAccept(gpg.ExportPublic(primary), key.SignDetached(GpgHome.SignTime, Data), Data);
        Assert.Contains(signingSubkey, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretSubkeysOnly_SignsWithTheSubkeyWhileThePrimaryIsOffline()
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey("rsa3072", usage: "cert");
        string subkey = gpg.AddSubkey(primary, "rsa2048", "sign");

        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary, subkeysOnly: true, armor: false), string.Empty, GpgHome.SignTime, null);

        Assert.Equal(subkey, key.Fingerprint);
        string data = gpg.Write("data", Data);
        gpg.AssertGpgvAccepts(gpg.ExportPublic(primary), gpg.Write("sig", key.SignDetached(GpgHome.SignTime, Data)), data);
    }

    [Fact]
    public void Load_ExpiredSigningSubkey_FallsBackToThePrimaryThatMaySign()
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey("ed25519", usage: "sign");
        gpg.AddSubkey(primary, "ed25519", "sign", expire: "2020-06-01");

        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary), string.Empty, GpgHome.SignTime, null);

        Assert.False(key.IsSubkey);
        Assert.Equal(primary, key.Fingerprint);
    }

    [Fact]
    public void ClearSign_GpgvAcceptsIt_AndGivesBackTheText_AndRejectsAChangedText()
    {
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey("rsa2048", passphrase: Passphrase);
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint, Passphrase), Passphrase, GpgHome.SignTime, null);
        const string Release = "Origin: dkmspack\nLabel: test  \n-----BEGIN looks like armour\n- dash\nFrom here\n\nSHA256:\n 0123 42 main/binary-amd64/Packages\n";

        string signed = key.ClearSign(Release, GpgHome.SignTime);

        Assert.StartsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: dkmspack\n", signed, StringComparison.Ordinal);
        Assert.Contains("\n- -----BEGIN looks like armour\n- - dash\n", signed, StringComparison.Ordinal);
        string keyring = gpg.ExportPublic(fingerprint);
        string inRelease = gpg.Write("InRelease", signed);
        string text = gpg.Combine("Release");
        gpg.AssertGpgvAccepts(keyring, "--output", text, inRelease);
        // Trailing blanks are outside the signature (RFC 9580 §7.2): gpg keeps them in the message, as we do, and drops them from what it gives back.
        Assert.Contains("\nLabel: test  \n", signed, StringComparison.Ordinal);
        Assert.Equal(Release.Replace("test  \n", "test\n", StringComparison.Ordinal), File.ReadAllText(text));

        string changed = gpg.Write("InRelease.changed", signed.Replace("0123 42", "0123 43", StringComparison.Ordinal));
        Assert.NotEqual(0, gpg.Gpgv(keyring, changed).ExitCode);
    }

    [Fact]
    public void ExportPublicKey_IsWhatGpgExports_AndTheArmouredFormDearmorsToIt()
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey("ed25519", usage: "cert");
        gpg.AddSubkey(primary, "ed25519", "sign");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary), string.Empty, GpgHome.SignTime, null);

        byte[] binary = key.ExportPublicKey();
        string armored = key.ExportPublicKeyArmored();

        Assert.Equal(File.ReadAllBytes(gpg.ExportPublic(primary)), binary);
        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n", armored, StringComparison.Ordinal);
        string dearmored = gpg.Combine("dearmored.gpg");
        gpg.Gpg(null, "--output", dearmored, "--dearmor", gpg.Write("KEY.asc", armored));
        Assert.Equal(binary, File.ReadAllBytes(dearmored));

        // Our own keyring file, in both forms, is what gpgv and sqv check against.
        string data = gpg.Write("data", Data);
        string signature = gpg.Write("sig", key.SignDetached(GpgHome.SignTime, Data));
        gpg.AssertGpgvAccepts(gpg.Write("ours.gpg", binary), signature, data);
        GpgHome.AssertSqvAccepts(gpg.Combine("KEY.asc"), signature, data);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void ExportPublicKeyArmored_RpmImportsIt(string algorithm)
    {
        using var gpg = new GpgHome();
        string primary = gpg.GenerateKey(algorithm, usage: "cert");
        gpg.AddSubkey(primary, algorithm, "sign");
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(primary), string.Empty, GpgHome.SignTime, null);
        string database = gpg.Combine("rpmdb");
        Directory.CreateDirectory(database);

        RealTool.RunChecked("rpmkeys", "--dbpath", database, "--import", gpg.Write("RPM-GPG-KEY-test", key.ExportPublicKeyArmored()));

        // rpm names the imported key gpg-pubkey-<short key ID of the primary>-<creation time in hex>.
        string installed = RealTool.RunChecked("rpm", "--dbpath", database, "-q", "gpg-pubkey");
        Assert.Equal("gpg-pubkey-" + primary[^8..].ToLowerInvariant() + "-" + GpgHome.KeyCreation.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), installed.Trim());
    }
}
