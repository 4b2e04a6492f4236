using DkmsPack.Signing;
using Xunit;

namespace DkmsPack.Tests.Signing;

/// <summary>Tests that change the process's time zone run alone, so no other test sees it changed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTimeZone
{
    public const string Name = "process time zone";
}

/// <summary>
/// RSA PKCS#1 v1.5 and Ed25519 are deterministic and a v4 signature has no salt: the same key, data and time
/// give the same bytes, whatever the machine's time zone.
/// </summary>
[Collection(ProcessTimeZone.Name)]
public class SigningDeterminismTests
{
    private static readonly byte[] Data = "the same bytes\n"u8.ToArray();

    [Fact]
    public void SignDetached_SameKeyDataAndTime_SameBytes_WhateverTheTimeZone()
    {
        using var gpg = new GpgHome();
        string rsa = gpg.GenerateKey("rsa3072", userId: "RSA <rsa@example.org>");
        string ed = gpg.GenerateKey("ed25519", userId: "Ed <ed@example.org>", passphrase: "determinism");
        byte[] rsaSecret = gpg.ExportSecret(rsa);
        byte[] edSecret = gpg.ExportSecret(ed, "determinism");

        (byte[] Rsa, byte[] Ed, string Clear) SignAll()
        {
            using SigningKey rsaKey = SigningKey.Load(rsaSecret, string.Empty, GpgHome.SignTime, null);
            using SigningKey edKey = SigningKey.Load(edSecret, "determinism", GpgHome.SignTime, null);
            return (rsaKey.SignDetached(GpgHome.SignTime, Data), edKey.SignDetached(GpgHome.SignTime, Data), edKey.ClearSign("text\n", GpgHome.SignTime));
        }

        var first = SignAll();
        string? zone = Environment.GetEnvironmentVariable("TZ");
        (byte[] Rsa, byte[] Ed, string Clear) second;
        try
        {
            Environment.SetEnvironmentVariable("TZ", "Pacific/Kiritimati");
            TimeZoneInfo.ClearCachedData();
            second = SignAll();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }

        Assert.Equal(first.Rsa, second.Rsa);
        Assert.Equal(first.Ed, second.Ed);
        Assert.Equal(first.Clear, second.Clear);
        Assert.Contains("created " + GpgHome.Seconds(GpgHome.SignTime), gpg.Gpg(null, "--list-packets", gpg.Write("sig", second.Ed)), StringComparison.Ordinal);
        using SigningKey later = SigningKey.Load(edSecret, "determinism", GpgHome.SignTime, null);
        Assert.NotEqual(first.Ed, later.SignDetached(GpgHome.SignTime + 1, Data));
    }
}
