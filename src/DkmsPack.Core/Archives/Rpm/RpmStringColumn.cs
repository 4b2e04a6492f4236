using System.Text;

namespace DkmsPack.Archives.Rpm;

/// <summary>
/// A STRING_ARRAY gathered one value at a time, kept in its header encoding (UTF-8, each value ended by NUL) in one
/// buffer: a file table's basenames, digests and link targets then cost their bytes, not a string object per file.
/// </summary>
public sealed class RpmStringColumn
{
    private const int DefaultCapacity = 256;

    private byte[] _data;
    private int _length;

    /// <param name="capacity">The encoded bytes to make room for at once (values and their NULs); the column grows past it as needed.</param>
    public RpmStringColumn(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _data = new byte[Math.Max(capacity, 1)];
    }

    public int Count { get; private set; }

    /// <exception cref="ArgumentException">The value contains NUL, which would end the string early.</exception>
    public void Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Add(value.AsSpan());
    }

    /// <inheritdoc cref="Add(string)"/>
    public void Add(ReadOnlySpan<char> value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A string array value contains NUL, which would end the string early.", nameof(value));
        }

        // The worst case first (cheap); the exact count only when that does not fit, so a column sized to its
        // values is not regrown for its last one.
        int needed = checked(_length + Encoding.UTF8.GetMaxByteCount(value.Length) + 1);
        if (needed > _data.Length && (needed = checked(_length + Encoding.UTF8.GetByteCount(value) + 1)) > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(needed, checked(_data.Length * 2)));
        }

        _length += Encoding.UTF8.GetBytes(value, _data.AsSpan(_length));
        _data[_length++] = 0;
        Count++;
    }

    /// <summary>The values as the header stores them.</summary>
    public ReadOnlySpan<byte> Encoded => _data.AsSpan(0, _length);
}
