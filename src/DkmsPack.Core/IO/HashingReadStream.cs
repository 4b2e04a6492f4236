using System.Security.Cryptography;

namespace DkmsPack.IO;

/// <summary>
/// Reads through to an inner stream while hashing every byte, so a file is read once to be both
/// archived and digested (md5sums for a deb, FILEDIGESTS for an rpm). The hash is the caller's, reused
/// from file to file: <see cref="HexDigest"/> or <see cref="WriteDigest"/> reads and resets it.
/// </summary>
public sealed class HashingReadStream(Stream inner, IncrementalHash hash) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = hash;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    /// <summary>The lower-case hex digest of everything read so far; call once, at the end.</summary>
    public string HexDigest() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Writes the digest of everything read so far to <paramref name="destination"/> and resets the hash; call once, at the end.</summary>
    public void WriteDigest(Span<byte> destination) => _hash.GetHashAndReset(destination);

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
