using DkmsPack.Archives;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace DkmsPack.Archives.Rpm;

/// <summary>
/// Builds one rpm header structure (the signature header or the main header; docs/rpm-format.md,
/// "Header structure"). Each typed adder fixes the entry's type, count and alignment together, so they
/// cannot disagree, and refuses what rpm refuses (count 0, NUL inside strings, region tags, duplicates).
/// <see cref="Build"/> sorts the index by tag, puts the region entry first, lays the data out in index
/// order with only the INT16/INT32/INT64 alignment padding rpm itself would insert (rpm recomputes that
/// packing and rejects the header unless it matches dl exactly), and ends the data with the region
/// trailer, so the region covers the entire header (<c>ril == il &amp;&amp; rdl == dl</c>).
/// </summary>
/// <remarks>
/// Integers are unsigned because rpm stores them as <c>rpm_uint32_t</c> and friends: FILEMODES values
/// such as 0100644 do not fit a signed 16-bit number, FILEVERIFYFLAGS is 0xFFFFFFFF.
/// </remarks>
public sealed class RpmHeaderBuilder
{
    private readonly List<Entry> _entries = [];

    /// <summary>The number of entries added so far (the region entry is not counted).</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a STRING entry (count 1).</summary>
    /// <exception cref="ArgumentException">The tag is reserved or already present, or the value contains NUL.</exception>
    public RpmHeaderBuilder AddString(RpmTag tag, string value) =>
        Add(tag, RpmTagType.String, 1, EncodeStrings(tag, [value]));

    /// <summary>Adds a STRING_ARRAY entry; the array must not be empty (rpm rejects count 0).</summary>
    /// <exception cref="ArgumentException">The array is empty, a value contains NUL, or the tag is reserved or present.</exception>
    public RpmHeaderBuilder AddStringArray(RpmTag tag, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(tag, RpmTagType.StringArray, values.Count, EncodeStrings(tag, values));
    }

    /// <summary>
    /// Adds a STRING_ARRAY entry from values gathered already encoded; the column must not be empty. Its bytes are
    /// copied into the header by <see cref="Build"/>, not before, so the column must not change in between.
    /// </summary>
    public RpmHeaderBuilder AddStringArray(RpmTag tag, RpmStringColumn values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(tag, RpmTagType.StringArray, values.Count, values.Encoded.Length, data => values.Encoded.CopyTo(data));
    }

    /// <summary>Adds a STRING_ARRAY entry of <paramref name="count"/> times <paramref name="value"/> (a file table's owners), made by <see cref="Build"/>.</summary>
    public RpmHeaderBuilder AddStringArray(RpmTag tag, string value, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        byte[] one = EncodeStrings(tag, [value]);
        return Add(tag, RpmTagType.StringArray, count, checked(one.Length * count), data =>
        {
            for (int i = 0; i < count; i++)
            {
                one.CopyTo(data[(i * one.Length)..]);
            }
        });
    }

    /// <summary>
    /// Adds an I18NSTRING entry holding one string for the "C" locale; the main header then needs
    /// <see cref="RpmTag.HeaderI18nTable"/> <c>["C"]</c>, which <see cref="Build"/> checks.
    /// </summary>
    public RpmHeaderBuilder AddI18nString(RpmTag tag, string value) =>
        Add(tag, RpmTagType.I18nString, 1, EncodeStrings(tag, [value]));

    /// <summary>Adds an INT32 entry with one value.</summary>
    public RpmHeaderBuilder AddInt32(RpmTag tag, uint value) => AddInt32Array(tag, [value]);

    /// <summary>
    /// Adds an INT32 array entry (4-byte aligned); the array must not be empty. The values are encoded by
    /// <see cref="Build"/>, straight into the header, so the list must not change in between.
    /// </summary>
    public RpmHeaderBuilder AddInt32Array(RpmTag tag, IReadOnlyList<uint> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInt32Array(tag, values.Count, i => values[i]);
    }

    /// <summary>Adds an INT32 array entry of <paramref name="count"/> values computed from their index when <see cref="Build"/> writes them.</summary>
    public RpmHeaderBuilder AddInt32Array(RpmTag tag, int count, Func<int, uint> valueAt) =>
        AddIntegers(tag, RpmTagType.Int32, count, valueAt);

    /// <summary>Adds an INT16 array entry (2-byte aligned), e.g. FILEMODES; the array must not be empty. Encoded by <see cref="Build"/>, as INT32 arrays are.</summary>
    public RpmHeaderBuilder AddInt16Array(RpmTag tag, IReadOnlyList<ushort> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddInt16Array(tag, values.Count, i => values[i]);
    }

    /// <summary>Adds an INT16 array entry of <paramref name="count"/> values computed from their index when <see cref="Build"/> writes them.</summary>
    public RpmHeaderBuilder AddInt16Array(RpmTag tag, int count, Func<int, ushort> valueAt) =>
        AddIntegers(tag, RpmTagType.Int16, count, valueAt);

    /// <summary>Adds an INT64 entry with one value (8-byte aligned).</summary>
    public RpmHeaderBuilder AddInt64(RpmTag tag, ulong value)
    {
        byte[] data = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(data, value);
        return Add(tag, RpmTagType.Int64, 1, data);
    }

    /// <summary>Adds a BIN entry; its count is the byte length, which must not be 0.</summary>
    public RpmHeaderBuilder AddBinary(RpmTag tag, ReadOnlySpan<byte> value) =>
        Add(tag, RpmTagType.Bin, value.Length, value.ToArray());

    /// <summary>
    /// Serializes the header: intro, index (region entry first, then by tag), data, region trailer.
    /// </summary>
    /// <param name="regionTag">
    /// <see cref="RpmTag.HeaderSignatures"/> (62) for the signature header or
    /// <see cref="RpmTag.HeaderImmutable"/> (63) for the main header; it selects the limits and the
    /// tag-type table the entries are checked against.
    /// </param>
    /// <returns>The header bytes, from the 8-byte magic to the end of the trailer.</returns>
    /// <exception cref="ArgumentException"><paramref name="regionTag"/> is not 62 or 63.</exception>
    /// <exception cref="InvalidOperationException">A known tag has the wrong type or count, or an I18NSTRING lacks HEADERI18NTABLE.</exception>
    /// <exception cref="ArchiveLimitException">The header exceeds rpm's tag-count or size limits.</exception>
    public byte[] Build(RpmTag regionTag)
    {
        bool signature = regionTag switch
        {
            RpmTag.HeaderSignatures => true,
            RpmTag.HeaderImmutable => false,
            _ => throw new ArgumentException($"The region tag must be HeaderSignatures (62) or HeaderImmutable (63), not {(int)regionTag}.", nameof(regionTag)),
        };

        CheckTypes(signature);
        List<Entry> sorted = [.. _entries.OrderBy(e => (int)e.Tag)];

        // Lay the data out in index order, padding only where the type's alignment requires it.
        int[] offsets = new int[sorted.Count];
        long dataEnd = 0;
        for (int i = 0; i < sorted.Count; i++)
        {
            dataEnd += RpmHeaderLayout.PaddingAfter(dataEnd, RpmHeaderLayout.Alignment(sorted[i].Type));
            CheckLimit(dataEnd, RpmHeaderLayout.MaxDataLength, "data length");
            offsets[i] = (int)dataEnd;
            dataEnd += sorted[i].Length;
        }

        int il = sorted.Count + 1;
        long dl = dataEnd + RpmHeaderLayout.RegionTrailerLength;
        CheckLimit(il, signature ? RpmHeaderLayout.MaxSignatureIndexCount : RpmHeaderLayout.MaxIndexCount, "number of tags");
        CheckLimit(dl, signature ? RpmHeaderLayout.MaxSignatureDataLength : RpmHeaderLayout.MaxDataLength, "data length");
        long totalLength = RpmHeaderLayout.IntroLength + ((long)il * RpmHeaderLayout.EntryLength) + dl;
        CheckLimit(totalLength, RpmHeaderLayout.MaxHeaderLength - 1, "header length");

        byte[] header = new byte[totalLength];
        Span<byte> span = header;
        RpmHeaderLayout.Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[RpmHeaderLayout.IntroIndexCount..], il);
        BinaryPrimitives.WriteInt32BigEndian(span[RpmHeaderLayout.IntroDataLength..], (int)dl);

        Span<byte> index = span.Slice(RpmHeaderLayout.IntroLength, il * RpmHeaderLayout.EntryLength);
        Span<byte> data = span[(RpmHeaderLayout.IntroLength + index.Length)..];

        // The region entry points at the trailer; the trailer's negative offset is the size of the
        // whole index, region entry included, which is what makes the region cover every tag.
        WriteEntry(index, regionTag, RpmTagType.Bin, (int)dataEnd, RpmHeaderLayout.RegionTrailerLength);
        for (int i = 0; i < sorted.Count; i++)
        {
            Entry entry = sorted[i];
            WriteEntry(index[((i + 1) * RpmHeaderLayout.EntryLength)..], entry.Tag, entry.Type, offsets[i], entry.Count);
            entry.Write(data.Slice(offsets[i], entry.Length));
        }

        WriteEntry(data[(int)dataEnd..], regionTag, RpmTagType.Bin, -(il * RpmHeaderLayout.EntryLength), RpmHeaderLayout.RegionTrailerLength);
        return header;
    }

    /// <summary>
    /// The zero bytes that must follow a signature header of <paramref name="signatureHeaderLength"/>
    /// bytes (magic included) so the main header starts on a multiple of 8 (lib/header.cc hdrblobRead).
    /// </summary>
    public static int SignaturePadding(int signatureHeaderLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signatureHeaderLength);
        return RpmHeaderLayout.PaddingAfter(signatureHeaderLength, RpmHeaderLayout.SignatureAlignment);
    }

    private static void WriteEntry(Span<byte> destination, RpmTag tag, RpmTagType type, int offset, int count)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination[RpmHeaderLayout.EntryTag..], (int)tag);
        BinaryPrimitives.WriteInt32BigEndian(destination[RpmHeaderLayout.EntryType..], (int)type);
        BinaryPrimitives.WriteInt32BigEndian(destination[RpmHeaderLayout.EntryOffset..], offset);
        BinaryPrimitives.WriteInt32BigEndian(destination[RpmHeaderLayout.EntryCount..], count);
    }

    private static void CheckLimit(long value, long max, string what)
    {
        if (value > max)
        {
            throw new ArchiveLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"The rpm header's {what} would be {value}, above rpm's limit of {max}."));
        }
    }

    /// <summary>Each value in UTF-8 with its NUL, measured first so the entry is one allocation of its exact size.</summary>
    private static byte[] EncodeStrings(RpmTag tag, IReadOnlyList<string> values)
    {
        int length = 0;
        for (int i = 0; i < values.Count; i++)
        {
            string value = values[i];
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A value of tag {tag} contains NUL, which would end the string early.", nameof(values));
            }

            length = checked(length + Encoding.UTF8.GetByteCount(value) + 1);
        }

        byte[] data = new byte[length];
        int offset = 0;
        for (int i = 0; i < values.Count; i++)
        {
            offset += Encoding.UTF8.GetBytes(values[i], data.AsSpan(offset));
            data[offset++] = 0;
        }

        return data;
    }

    /// <summary>An integer array entry, each value big-endian in the width of <typeparamref name="T"/> (rpm's INT16/INT32 are unsigned).</summary>
    private RpmHeaderBuilder AddIntegers<T>(RpmTag tag, RpmTagType type, int count, Func<int, T> valueAt)
        where T : IBinaryInteger<T>
    {
        ArgumentNullException.ThrowIfNull(valueAt);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int width = T.Zero.GetByteCount();
        return Add(tag, type, count, checked(count * width), data =>
        {
            // TryWriteBigEndian, not WriteBigEndian: that one is a default interface method, and calling it on a struct
            // boxes the value (one object per file and column).
            for (int i = 0; i < count; i++)
            {
                _ = valueAt(i).TryWriteBigEndian(data[(i * width)..], out _);
            }
        });
    }

    private RpmHeaderBuilder Add(RpmTag tag, RpmTagType type, int count, byte[] data) =>
        Add(tag, type, count, data.Length, data.CopyTo);

    private RpmHeaderBuilder Add(RpmTag tag, RpmTagType type, int count, int length, SpanAction write)
    {
        if ((int)tag < RpmHeaderLayout.FirstDataTag)
        {
            throw new ArgumentException($"Tag {(int)tag} is below 100; region tags are written by Build.", nameof(tag));
        }

        if (count == 0)
        {
            // hdrchkCount: rpm rejects count 0, so empty arrays must be left out, not written.
            throw new ArgumentException($"Tag {tag} has no values; rpm rejects entries with count 0, so leave the tag out.", nameof(tag));
        }

        if (type != RpmTagType.Bin && count > RpmHeaderLayout.MaxArrayCount)
        {
            throw new ArchiveLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tag {tag} has {count} values; rpm accepts at most {RpmHeaderLayout.MaxArrayCount}."));
        }

        if (_entries.Exists(e => e.Tag == tag))
        {
            throw new ArgumentException($"Tag {tag} ({(int)tag}) was already added.", nameof(tag));
        }

        _entries.Add(new Entry(tag, type, count, length, write));
        return this;
    }

    private void CheckTypes(bool signature)
    {
        foreach (Entry entry in _entries)
        {
            if (signature)
            {
                (RpmTagType Type, int? Count)? expected = RpmTagTypes.SignatureHeader(entry.Tag);
                if (expected is { } e && (e.Type != entry.Type || (e.Count is { } count && count != entry.Count)))
                {
                    throw new InvalidOperationException(
                        $"Signature tag {(int)entry.Tag} must be {e.Type} with count {e.Count?.ToString(CultureInfo.InvariantCulture) ?? "any"}, "
                        + $"not {entry.Type} with count {entry.Count.ToString(CultureInfo.InvariantCulture)}; rpm rejects the package otherwise.");
                }
            }
            else if (RpmTagTypes.MainHeader(entry.Tag) is { } expected && !RpmTagTypes.Compatible(expected, entry.Type))
            {
                throw new InvalidOperationException($"Tag {entry.Tag} ({(int)entry.Tag}) must be {expected}, not {entry.Type}; rpm >= 4.15 rejects the header otherwise.");
            }
        }

        if (!signature && _entries.Exists(e => e.Type == RpmTagType.I18nString) && !_entries.Exists(e => e.Tag == RpmTag.HeaderI18nTable))
        {
            throw new InvalidOperationException("The header has I18NSTRING entries but no HeaderI18nTable; add HeaderI18nTable [\"C\"].");
        }
    }

    /// <summary>Writes an entry's data into its place in the header, which is exactly its length.</summary>
    private delegate void SpanAction(Span<byte> data);

    /// <summary>
    /// An entry, its data written by <see cref="Write"/> when the header is built: a file table's columns go into the
    /// header once, instead of being copied into an array of their own first (on a large tree, megabytes).
    /// </summary>
    private sealed record Entry(RpmTag Tag, RpmTagType Type, int Count, int Length, SpanAction Write);
}
