using DkmsPack.Signing;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>
/// The debsigs scheme: a <c>_gpgorigin</c> ar member holding a binary detached signature (debsigs runs
/// <c>gpg --openpgp --detach-sign</c>, without --armor) of debian-binary, control.tar.* and data.tar.*
/// concatenated, judged by debsig-verify with a policy and keyring of the test's own.
/// </summary>
public class DebsigTests
{
    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void SignDetached_OfTheThreeMembers_DebsigVerifyAcceptsTheOriginSignature_AndRejectsAChangedOne(string algorithm)
    {
        RealTool.Require("debsig-verify");
        using var gpg = new GpgHome();
        string fingerprint = gpg.GenerateKey(algorithm);
        using SigningKey key = SigningKey.Load(gpg.ExportSecret(fingerprint), string.Empty, GpgHome.SignTime, null);
        string deb = BuildDeb(gpg);
        string work = gpg.Combine("members");
        Directory.CreateDirectory(work);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: work), "ar", "x", deb);
        string[] members = RealTool.RunChecked("ar", "t", deb).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["debian-binary", "control.tar.xz", "data.tar.xz"], members);

        string signed = gpg.Combine("signed.deb");
        File.Copy(deb, signed);
        Stream[] parts = [.. members.Select(m => (Stream)File.OpenRead(Path.Combine(work, m)))];
        try
        {
            AppendOrigin(work, signed, key.SignDetached(GpgHome.SignTime, parts));
        }
        finally
        {
            Array.ForEach(parts, p => p.Dispose());
        }

        string changed = gpg.Combine("changed.deb");
        File.Copy(deb, changed);
        AppendOrigin(work, changed, key.SignDetached(GpgHome.SignTime, "not these members"u8));

        (string policies, string keyrings) = Policy(gpg, key);
        (int exitCode, string stdOut, string stdErr) = RealTool.Run("debsig-verify", "--policies-dir", policies, "--keyrings-dir", keyrings, signed);
        Assert.True(exitCode == 0, $"debsig-verify exited {exitCode}: {stdOut}{stdErr}");
        Assert.Contains("Verified package", stdOut + stdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, RealTool.Run("debsig-verify", "--policies-dir", policies, "--keyrings-dir", keyrings, changed).ExitCode);
    }

    private static string BuildDeb(GpgHome gpg)
    {
        string tree = gpg.Combine("pkg");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "usr/share/doc/t"));
        File.WriteAllText(Path.Combine(tree, "DEBIAN/control"), "Package: t\nVersion: 1\nArchitecture: all\nMaintainer: Test <t@example.org>\nDescription: test\n");
        File.WriteAllText(Path.Combine(tree, "usr/share/doc/t/README"), "hello\n");
        string deb = gpg.Combine("t_1_all.deb");
        RealTool.RunChecked("dpkg-deb", "-Zxz", "--root-owner-group", "--build", tree, deb);
        return deb;
    }

    private static void AppendOrigin(string work, string deb, byte[] signature)
    {
        File.WriteAllBytes(Path.Combine(work, "_gpgorigin"), signature);
        RealTool.RunChecked(new RealToolOptions(WorkingDirectory: work), "ar", "q", deb, "_gpgorigin");
    }

    /// <summary>debsig-verify's layout: POLICIES/KEYID/*.pol and KEYRINGS/KEYID/FILE, the key ID being the signer's.</summary>
    internal static (string Policies, string Keyrings) Policy(GpgHome gpg, SigningKey key)
    {
        string policies = gpg.Combine("policies");
        string keyrings = gpg.Combine("keyrings");
        Directory.CreateDirectory(Path.Combine(policies, key.KeyId));
        Directory.CreateDirectory(Path.Combine(keyrings, key.KeyId));
        File.WriteAllBytes(Path.Combine(keyrings, key.KeyId, "origin.gpg"), key.ExportPublicKey());
        File.WriteAllText(Path.Combine(policies, key.KeyId, "test.pol"), $"""
            <?xml version="1.0"?>
            <!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">
            <Policy xmlns="https://www.debian.org/debsig/1.0/">
              <Origin Name="test" id="{key.KeyId}" Description="dkmspack test"/>
              <Selection><Required Type="origin" File="origin.gpg" id="{key.KeyId}"/></Selection>
              <Verification MinOptional="0"><Required Type="origin" File="origin.gpg" id="{key.KeyId}"/></Verification>
            </Policy>

            """);
        return (policies, keyrings);
    }
}
