using DkmsPack.Signing;
using Xunit;

namespace DkmsPack.Tests.Signing;

public class OpenPgpArmorTests
{
    [Fact]
    public void Encode_EmptyData_HasTheCrc24InitialValue_AndNoHeaders()
    {
        // RFC 9580 §6.1.1: CRC-24 starts at 0xB704CE, which is "twTO" in base64.
        Assert.Equal("-----BEGIN PGP SIGNATURE-----\n\n=twTO\n-----END PGP SIGNATURE-----\n", OpenPgpArmor.Encode([], OpenPgpArmor.SignatureLabel));
    }

    [Fact]
    public void Encode_ThenTryDecode_GivesTheBytesBack_InLinesOf64()
    {
        byte[] data = new byte[1000];
        new Random(3).NextBytes(data);

        string armored = OpenPgpArmor.Encode(data, OpenPgpArmor.PublicKeyLabel);

        string[] body = armored.Split('\n')[2..^3];
        Assert.All(body[..^1], line => Assert.Equal(64, line.Length));
        Assert.True(OpenPgpArmor.TryDecode("leading text\r\n" + armored.Replace("\n", "\r\n", StringComparison.Ordinal), out string label, out byte[] decoded, out string? error), error);
        Assert.Equal(OpenPgpArmor.PublicKeyLabel, label);
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void TryDecode_CutOrChanged_Fails()
    {
        string armored = OpenPgpArmor.Encode([1, 2, 3, 4, 5, 6], OpenPgpArmor.SignatureLabel);

        Assert.False(OpenPgpArmor.TryDecode(armored[..armored.IndexOf("-----END", StringComparison.Ordinal)], out _, out _, out string? cut));
        Assert.Contains("no -----END PGP SIGNATURE----- line", cut, StringComparison.Ordinal);
        Assert.False(OpenPgpArmor.TryDecode(armored.Replace("AQIDBAUG", "AQIDBAUH", StringComparison.Ordinal), out _, out _, out string? changed));
        Assert.Contains("CRC-24", changed, StringComparison.Ordinal);
        Assert.False(OpenPgpArmor.TryDecode("no armour", out _, out _, out _));
    }
}
