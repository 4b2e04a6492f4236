using DkmsPack.Source;
using Xunit;

namespace DkmsPack.Tests.Source;

/// <summary>Values found in module files, made into one line any package field can carry.</summary>
public sealed class DerivedTextTests
{
    [Theory]
    [InlineData("2019 Alice <alice@example.org>\r", "2019 Alice <alice@example.org>")]
    [InlineData("2020-2021\tBob  Example <bob@example.org>,", "2020-2021 Bob Example <bob@example.org>")]
    [InlineData("2022 Carol Example */", "2022 Carol Example")]
    [InlineData("2022 Carol Example <carol@example.org> */", "2022 Carol Example <carol@example.org>")]
    [InlineData("2023 Dana Example. All rights reserved.", "2023 Dana Example. All rights reserved")]
    [InlineData("2024 Erin Example -->", "2024 Erin Example")]
    [InlineData("2024 \u202eErin\u200b Example\u001b[0m", "2024 Erin Example [0m")]
    [InlineData("2025 Frank\u0000 Example\uFFFD", "2025 Frank Example")]
    [InlineData("2025 Jörg Ñandú", "2025 Jörg Ñandú")]
    public void OneLine_CleansWhatARegexDragsAlong(string found, string cleaned)
    {
        Assert.Equal(cleaned, DerivedText.OneLine(found));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" */")]
    [InlineData("\r\n\t")]
    public void OneLine_IsNull_WhenNothingIsLeft(string? found)
    {
        Assert.Null(DerivedText.OneLine(found));
    }
}
