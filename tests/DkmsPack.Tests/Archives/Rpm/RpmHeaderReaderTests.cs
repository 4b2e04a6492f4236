using System.Buffers.Binary;
using DkmsPack.Archives.Rpm;
using Xunit;

namespace DkmsPack.Tests.Archives.Rpm;

/// <summary>The reader must reject what rpm rejects, or round-trip tests would prove nothing.</summary>
public class RpmHeaderReaderTests
{
    private const int Intro = 16;
    private const int Entry = 16;

    // il = 4: region, NAME (1000, STRING "hello" at 0), VERSION (1001, STRING "1.0" at 6), BUILDTIME (1006, INT32 at 12).
    // Data: "hello\0" (6) "1.0\0" (4) padding (2) buildtime (4) trailer (16): dl = 32.
    private static byte[] Sample() => new RpmHeaderBuilder()
        .AddInt32(RpmTag.BuildTime, 7)
        .AddString(RpmTag.Version, "1.0")
        .AddString(RpmTag.Name, "hello")
        .Build(RpmTag.HeaderImmutable);

    [Fact]
    public void Parse_Sample_ExposesLayout()
    {
        RpmHeaderReader reader = RpmHeaderReader.Parse(Sample(), RpmTag.HeaderImmutable);

        Assert.Equal(
            [new RpmHeaderEntry(RpmTag.Name, RpmTagType.String, 0, 1, 6), new RpmHeaderEntry(RpmTag.Version, RpmTagType.String, 6, 1, 4), new RpmHeaderEntry(RpmTag.BuildTime, RpmTagType.Int32, 12, 1, 4)],
            reader.Entries);
        Assert.Equal(Intro + (4 * Entry) + 32, reader.Bytes.Length);
    }

    [Fact]
    public void Parse_BadMagic_IsRejected() => AssertRejected(h => h[0] ^= 1, "magic");

    [Fact]
    public void Parse_UnsortedIndex_IsRejected()
    {
        // Two INT32 entries of equal size: swapping their tags keeps the data layout valid, only the order breaks.
        byte[] header = new RpmHeaderBuilder().AddInt32(RpmTag.BuildTime, 1).AddInt32(RpmTag.Size, 2).Build(RpmTag.HeaderImmutable);
        SetField(header, Intro + Entry, (int)RpmTag.Size);
        SetField(header, Intro + (2 * Entry), (int)RpmTag.BuildTime);

        var error = Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable));
        Assert.Contains("not sorted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateTag_IsRejected()
    {
        byte[] header = new RpmHeaderBuilder().AddInt32(RpmTag.BuildTime, 1).AddInt32(RpmTag.Size, 2).Build(RpmTag.HeaderImmutable);
        SetField(header, Intro + (2 * Entry), (int)RpmTag.BuildTime);

        Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable));
    }

    [Fact]
    public void Parse_MisalignedInt32_IsRejected() => AssertRejected(h => SetField(h, Intro + (3 * Entry) + 8, 13), "aligned");

    [Fact]
    public void Parse_GapBetweenEntries_IsRejected() => AssertRejected(h => SetField(h, Intro + (2 * Entry) + 8, 7), "expects it at 6");

    [Fact]
    public void Parse_WrongTrailerTag_IsRejected() => AssertRejected(h => SetField(h, h.Length - Entry, 62), "trailer");

    [Fact]
    public void Parse_RegionNotCoveringAllTags_IsRejected() => AssertRejected(h => SetField(h, h.Length - Entry + 8, -3 * Entry), "ril 3");

    [Fact]
    public void Parse_RegionEntryNotBinary_IsRejected() => AssertRejected(h => SetField(h, Intro + 4, 4), "BIN 16");

    [Fact]
    public void Parse_CountZero_IsRejected() => AssertRejected(h => SetField(h, Intro + (3 * Entry) + 12, 0), "count 0");

    [Fact]
    public void Parse_KnownTagWithWrongType_IsRejected() => AssertRejected(h => SetField(h, Intro + (3 * Entry) + 4, (int)RpmTagType.Int16), "registered type");

    [Fact]
    public void Parse_LengthDisagreesWithIntro_IsRejected() =>
        Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse([.. Sample(), 0], RpmTag.HeaderImmutable));

    [Fact]
    public void Parse_ExpectingTheOtherRegion_IsRejected() =>
        Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse(Sample(), RpmTag.HeaderSignatures));

    [Fact]
    public void GetInt32_OnString_Throws() =>
        Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse(Sample(), RpmTag.HeaderImmutable).GetInt32(RpmTag.Name));

    [Fact]
    public void GetString_Missing_Throws() =>
        Assert.Throws<KeyNotFoundException>(() => RpmHeaderReader.Parse(Sample(), RpmTag.HeaderImmutable).GetString(RpmTag.Release));

    private static void SetField(byte[] header, int offset, int value) => BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(offset), value);

    private static void AssertRejected(Action<byte[]> corrupt, string expectedProblem)
    {
        byte[] header = Sample();
        corrupt(header);

        var error = Assert.Throws<InvalidDataException>(() => RpmHeaderReader.Parse(header, RpmTag.HeaderImmutable));
        Assert.Contains(expectedProblem, error.Message, StringComparison.Ordinal);
    }
}
