using DkmsPack.Archives.Rpm;
using Xunit;

namespace DkmsPack.Tests.Archives.Rpm;

public class RpmLeadTests
{
    [Fact]
    public void Create_IsFieldByField()
    {
        byte[] lead = RpmLead.Create("hello-1.0-1");

        Assert.Equal(
            "edabeedb" +                          // magic
            "03" +                                // major 3: v4 package
            "00" +                                // minor
            "0000" +                              // type 0: binary
            "0001" +                              // archnum 1
            Convert.ToHexStringLower("hello-1.0-1"u8) + new string('0', (66 - 11) * 2) + // name, NUL-padded to 66
            "0001" +                              // osnum 1: Linux
            "0005" +                              // signature type 5: header-style signature
            new string('0', 16 * 2),              // reserved
            Convert.ToHexStringLower(lead));
        Assert.Equal(96, lead.Length);
    }

    [Fact]
    public void Create_LongName_IsCutTo65BytesSoANulEndsTheField()
    {
        byte[] lead = RpmLead.Create(new string('x', 100));

        Assert.Equal(new string('x', 65), System.Text.Encoding.ASCII.GetString(lead, 10, 65));
        Assert.Equal(0, lead[10 + 65]);
    }

    [Fact]
    public void Create_LongNonAsciiName_IsNotCutInsideACharacter()
    {
        byte[] lead = RpmLead.Create(new string('x', 64) + "é"); // 'é' would need bytes 65 and 66

        Assert.Equal(new string('x', 64), System.Text.Encoding.UTF8.GetString(lead, 10, 66).TrimEnd('\0'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Create_BadName_Throws(string name) => Assert.ThrowsAny<ArgumentException>(() => RpmLead.Create(name));
}
