using System.Collections;
using System.Security.Cryptography;

namespace DkmsPack.Packaging;

/// <summary>
/// The content digest of each regular file of a package, by entry index, as raw bytes in one array. A hex string per
/// file would be one more object per file held until the headers are written (md5sums, RPM's FILEDIGESTS); in one
/// array the digests cost 16 or 32 bytes a file, so peak memory stays close to flat as the tree grows.
/// </summary>
public sealed class FileDigests
{
    private readonly byte[] _bytes;
    private readonly BitArray _present;

    public FileDigests(int count, HashAlgorithmName algorithm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Length = algorithm == HashAlgorithmName.MD5 ? MD5.HashSizeInBytes
            : algorithm == HashAlgorithmName.SHA256 ? SHA256.HashSizeInBytes
            : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "md5sums and RPM file digests are MD5 or SHA-256");
        _bytes = new byte[checked(count * Length)];
        _present = new BitArray(count);
    }

    /// <summary>Bytes of one digest (16 for MD5, 32 for SHA-256).</summary>
    public int Length { get; }

    /// <summary>Characters of one digest in hex.</summary>
    public int HexLength => 2 * Length;

    /// <summary>Whether entry <paramref name="index"/> has a digest (regular files do; directories and symlinks do not).</summary>
    public bool Has(int index) => _present[index];

    /// <summary>The slot <see cref="IncrementalHash.GetHashAndReset(Span{byte})"/> writes entry <paramref name="index"/>'s digest to.</summary>
    public Span<byte> Slot(int index)
    {
        _present[index] = true;
        return _bytes.AsSpan(index * Length, Length);
    }

    /// <summary>
    /// Writes entry <paramref name="index"/>'s digest as lowercase hex to <paramref name="destination"/>
    /// (<see cref="HexLength"/> characters); false when it has none.
    /// </summary>
    public bool TryWriteHex(int index, Span<char> destination)
    {
        if (!Has(index))
        {
            return false;
        }

        if (!Convert.TryToHexStringLower(_bytes.AsSpan(index * Length, Length), destination, out int written) || written != HexLength)
        {
            throw new ArgumentException($"needs {HexLength} characters", nameof(destination));
        }

        return true;
    }

    /// <summary>Writes entry <paramref name="index"/>'s digest as lowercase hex in ASCII to <paramref name="destination"/> (<see cref="HexLength"/> bytes).</summary>
    public void WriteHexUtf8(int index, Span<byte> destination)
    {
        if (!Convert.TryToHexStringLower(_bytes.AsSpan(index * Length, Length), destination, out int written) || written != HexLength)
        {
            throw new ArgumentException($"needs {HexLength} bytes", nameof(destination));
        }
    }
}
