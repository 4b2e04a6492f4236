using DkmsPack.Archives;
using DkmsPack.Archives.Rpm;
using Xunit;

namespace DkmsPack.Tests.Archives.Rpm;

public class RpmHeaderBuilderTests
{
    [Fact]
    public void Build_OneString_IsFieldByField()
    {
        byte[] header = new RpmHeaderBuilder().AddString(RpmTag.Name, "hi").Build(RpmTag.HeaderImmutable);

        Assert.Equal(
            "8eade801" + "00000000" + // magic, version 1, reserved
            "00000002" +              // il: region entry + NAME
            "00000013" +              // dl: 3 bytes of data + 16-byte trailer = 19
            "0000003f" + "00000007" + "00000003" + "00000010" + // region: HEADERIMMUTABLE, BIN, offset of trailer, count 16
            "000003e8" + "00000006" + "00000000" + "00000001" + // NAME (1000), STRING, offset 0, count 1
            "686900" +                                          // "hi\0"
            "0000003f" + "00000007" + "ffffffe0" + "00000010",  // trailer: 63, BIN, -(il × 16) = -32, 16
            Convert.ToHexStringLower(header));
    }

    [Fact]
    public void Build_Int16ArrayThenInt32_PadsTheInt32ToFourBytes()
    {
        byte[] header = new RpmHeaderBuilder()
            .AddInt32Array(RpmTag.FileMtimes, [0x6553F100])
            .AddInt16Array(RpmTag.FileModes, [0x81A4]) // 0100644: does not fit a signed short
            .Build(RpmTag.HeaderImmutable);

        Assert.Equal(
            "8eade801" + "00000000" +
            "00000003" +              // il
            "00000018" +              // dl: 2 + 2 padding + 4 + 16 = 24
            "0000003f" + "00000007" + "00000008" + "00000010" + // region, trailer at 8
            "00000406" + "00000003" + "00000000" + "00000001" + // FILEMODES (1030), INT16, offset 0, count 1
            "0000040a" + "00000004" + "00000004" + "00000001" + // FILEMTIMES (1034), INT32, offset 4, count 1
            "81a4" +                  // FILEMODES data
            "0000" +                  // padding: INT32 data is 4-byte aligned
            "6553f100" +              // FILEMTIMES data, big-endian
            "0000003f" + "00000007" + "ffffffd0" + "00000010",  // trailer: -(3 × 16) = -48
            Convert.ToHexStringLower(header));
    }

    [Fact]
    public void Build_Int64AfterString_IsAlignedToEightBytes()
    {
        byte[] header = new RpmHeaderBuilder()
            .AddString(RpmTag.Name, "a")
            .AddInt64(RpmTag.LongSize, 0x0102030405060708)
            .Build(RpmTag.HeaderImmutable);

        Assert.Equal(
            "8eade801" + "00000000" +
            "00000003" +              // il
            "00000020" +              // dl: 2 + 6 padding + 8 + 16 = 32
            "0000003f" + "00000007" + "00000010" + "00000010" + // region, trailer at 16
            "000003e8" + "00000006" + "00000000" + "00000001" + // NAME, STRING, offset 0
            "00001391" + "00000005" + "00000008" + "00000001" + // LONGSIZE (5009), INT64, offset 8
            "6100" +                  // "a\0"
            "000000000000" +          // padding: INT64 data is 8-byte aligned
            "0102030405060708" +
            "0000003f" + "00000007" + "ffffffd0" + "00000010",
            Convert.ToHexStringLower(header));
    }

    [Fact]
    public void Build_StringArrayAndBinary_HaveCountsOfElementsAndBytes()
    {
        byte[] header = new RpmHeaderBuilder()
            .AddStringArray(RpmTag.BaseNames, ["a", "bc"])
            .AddBinary((RpmTag)5999, [0xAA, 0xBB, 0xCC])
            .Build(RpmTag.HeaderImmutable);

        Assert.Equal(
            "8eade801" + "00000000" + "00000003" + "00000018" + // il 3, dl 5 + 3 + 16 = 24
            "0000003f" + "00000007" + "00000008" + "00000010" +
            "0000045d" + "00000008" + "00000000" + "00000002" + // BASENAMES (1117), STRING_ARRAY, offset 0, count 2
            "0000176f" + "00000007" + "00000005" + "00000003" + // tag 5999, BIN, offset 5, count 3 bytes
            "6100" + "626300" +                                 // "a\0" "bc\0"
            "aabbcc" +
            "0000003f" + "00000007" + "ffffffd0" + "00000010",
            Convert.ToHexStringLower(header));
    }

    [Fact]
    public void Build_SignatureRegion_UsesTag62InEntryAndTrailer()
    {
        byte[] header = new RpmHeaderBuilder().AddInt32(RpmSignatureTag.Size, 1234).Build(RpmTag.HeaderSignatures);

        string hex = Convert.ToHexStringLower(header);
        Assert.Equal("0000003e" + "00000007" + "00000004" + "00000010", hex.Substring(32, 32)); // index entry 0: region 62
        Assert.Equal("000003e8" + "00000004" + "00000000" + "00000001", hex.Substring(64, 32)); // SIZE (1000), INT32
        Assert.EndsWith("000004d2" + "0000003e" + "00000007" + "ffffffe0" + "00000010", hex, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EntriesAddedOutOfOrder_IndexIsSortedByTagWithRegionFirst()
    {
        byte[] header = new RpmHeaderBuilder()
            .AddString(RpmTag.Encoding, "utf-8")
            .AddString(RpmTag.Release, "1")
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddI18nString(RpmTag.Summary, "s")
            .AddString(RpmTag.Name, "n")
            .Build(RpmTag.HeaderImmutable);

        RpmHeaderReader reader = RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable);
        Assert.Equal(
            [RpmTag.HeaderI18nTable, RpmTag.Name, RpmTag.Release, RpmTag.Summary, RpmTag.Encoding],
            reader.Entries.Select(e => e.Tag));
        Assert.Equal("0000003f", Convert.ToHexStringLower(header, 16, 4)); // index entry 0 is the region
    }

    [Fact]
    public void Build_AllTypes_RoundTripThroughTheReader()
    {
        byte[] header = new RpmHeaderBuilder()
            .AddStringArray(RpmTag.HeaderI18nTable, ["C"])
            .AddString(RpmTag.Name, "hello")
            .AddI18nString(RpmTag.Summary, "Grüße")
            .AddInt32(RpmTag.BuildTime, 1_700_000_000)
            .AddInt32Array(RpmTag.FileVerifyFlags, [0xFFFFFFFF, 0])
            .AddInt16Array(RpmTag.FileModes, [0x41ED, 0x81A4, 0xA1FF])
            .AddStringArray(RpmTag.DirNames, ["/usr/src/", "/usr/src/hello-1.0/"])
            .AddInt64(RpmTag.LongSize, ulong.MaxValue)
            .AddBinary((RpmTag)5999, [1, 2, 3])
            .Build(RpmTag.HeaderImmutable);

        RpmHeaderReader reader = RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable);

        Assert.Equal(["C"], reader.GetStringArray(RpmTag.HeaderI18nTable));
        Assert.Equal("hello", reader.GetString(RpmTag.Name));
        Assert.Equal("Grüße", reader.GetString(RpmTag.Summary));
        Assert.Equal(RpmTagType.I18nString, reader.GetEntry(RpmTag.Summary).Type);
        Assert.Equal(1_700_000_000u, reader.GetInt32(RpmTag.BuildTime));
        Assert.Equal([0xFFFFFFFF, 0u], reader.GetInt32Array(RpmTag.FileVerifyFlags));
        Assert.Equal(new ushort[] { 0x41ED, 0x81A4, 0xA1FF }, reader.GetInt16Array(RpmTag.FileModes));
        Assert.Equal(["/usr/src/", "/usr/src/hello-1.0/"], reader.GetStringArray(RpmTag.DirNames));
        Assert.Equal(ulong.MaxValue, reader.GetInt64(RpmTag.LongSize));
        Assert.Equal([1, 2, 3], reader.GetBinary((RpmTag)5999));
        Assert.Equal(header, reader.Bytes.ToArray());
    }

    [Fact]
    public void Build_Empty_IsJustTheRegion()
    {
        byte[] header = new RpmHeaderBuilder().Build(RpmTag.HeaderSignatures);

        Assert.Equal(
            "8eade801" + "00000000" + "00000001" + "00000010" + // il 1, dl 16
            "0000003e" + "00000007" + "00000000" + "00000010" + // region, trailer at 0
            "0000003e" + "00000007" + "fffffff0" + "00000010",  // trailer: -16
            Convert.ToHexStringLower(header));
    }

    [Fact]
    public void AddStringArray_Empty_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddStringArray(RpmTag.ChangelogName, []));
        Assert.Contains("count 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInt32Array_Empty_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddInt32Array(RpmTag.ChangelogTime, []));

    [Fact]
    public void AddInt16Array_Empty_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddInt16Array(RpmTag.FileModes, []));

    [Fact]
    public void AddBinary_Empty_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddBinary(RpmSignatureTag.ReservedSpace, []));

    [Fact]
    public void AddString_WithNul_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddString(RpmTag.Name, "a\0b"));

    [Fact]
    public void Add_SameTagTwice_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddString(RpmTag.Name, "a").AddString(RpmTag.Name, "b"));

    [Theory]
    [InlineData(RpmTag.HeaderImmutable)]
    [InlineData(RpmTag.HeaderSignatures)]
    [InlineData((RpmTag)99)]
    public void Add_RegionOrReservedTag_IsRefused(RpmTag tag) =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().AddBinary(tag, new byte[16]));

    [Fact]
    public void Build_FileModesAsInt32_IsRefused()
    {
        RpmHeaderBuilder builder = new RpmHeaderBuilder().AddInt32Array(RpmTag.FileModes, [0x81A4]);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build(RpmTag.HeaderImmutable));
        Assert.Contains("Int16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StringTypesOfAStringTag_AreInterchangeable()
    {
        // rpm's hdrchkTagType lets STRING, STRING_ARRAY and I18NSTRING stand for one another on string tags.
        byte[] header = new RpmHeaderBuilder().AddStringArray(RpmTag.PostInProg, ["/bin/sh"]).AddString(RpmTag.PreInProg, "/bin/sh").Build(RpmTag.HeaderImmutable);

        Assert.Equal(2, RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable).Entries.Count);
    }

    [Fact]
    public void Build_I18nStringWithoutI18nTable_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new RpmHeaderBuilder().AddI18nString(RpmTag.Summary, "s").Build(RpmTag.HeaderImmutable));

    [Fact]
    public void Build_SignatureSizeAsInt64_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new RpmHeaderBuilder().AddInt64(RpmSignatureTag.Size, 1).Build(RpmTag.HeaderSignatures));

    [Fact]
    public void Build_SignatureMd5OfFifteenBytes_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new RpmHeaderBuilder().AddBinary(RpmSignatureTag.Md5, new byte[15]).Build(RpmTag.HeaderSignatures));

    [Fact]
    public void Build_MainHeaderTypes_DoNotApplyToSignatureTags()
    {
        // 1000 is NAME (STRING) in the main header but SIZE (INT32) in the signature header.
        Assert.Throws<InvalidOperationException>(() => new RpmHeaderBuilder().AddInt32(RpmSignatureTag.Size, 1).Build(RpmTag.HeaderImmutable));
        Assert.Throws<InvalidOperationException>(() => new RpmHeaderBuilder().AddString(RpmTag.Name, "n").Build(RpmTag.HeaderSignatures));
    }

    [Fact]
    public void Build_MoreThan32SignatureTags_ThrowsLimitException()
    {
        var builder = new RpmHeaderBuilder();
        for (int i = 0; i < 32; i++)
        {
            builder.AddBinary((RpmTag)(2000 + i), [1]);
        }

        Assert.Throws<ArchiveLimitException>(() => builder.Build(RpmTag.HeaderSignatures));
        Assert.NotEmpty(builder.Build(RpmTag.HeaderImmutable));
    }

    [Theory]
    [InlineData(RpmTag.Name)]
    [InlineData(RpmTag.HeaderImage)]
    public void Build_OtherRegionTag_IsRefused(RpmTag regionTag) =>
        Assert.Throws<ArgumentException>(() => new RpmHeaderBuilder().Build(regionTag));

    [Theory]
    [InlineData(32, 0)]
    [InlineData(33, 7)]
    [InlineData(36, 4)]
    [InlineData(39, 1)]
    [InlineData(40, 0)]
    public void SignaturePadding_ReachesAMultipleOfEight(int length, int padding) =>
        Assert.Equal(padding, RpmHeaderBuilder.SignaturePadding(length));
}
