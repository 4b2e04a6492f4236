using System.Security.Cryptography;

namespace DkmsPack.IO;

/// <summary>
/// Reads through to an inner stream while hashing every byte, so a file is read once to be both
/// archived and digested (md5sums for a deb, FILEDIGESTS for an rpm). The hash is the caller's, reused
/// from file to file: <see cref="HexDigest"/> or <see cref="WriteDigest"/> reads and resets it. So can the stream itself
/// (<see cref="Reading"/>), for a tree's files one after another.
/// </summary>
public sealed class HashingReadStream(IncrementalHash hash) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = hash;
    private Stream? _inner;

    /// <summary>Reads <paramref name="inner"/>, which it disposes with itself.</summary>
    public HashingReadStream(Stream inner, IncrementalHash hash)
        : this(hash) => _inner = inner;

    private Stream Inner => _inner ?? throw new InvalidOperationException("no stream to read");

    public override long Length => Inner.Length;

    public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }

    /// <summary>
    /// Reads <paramref name="inner"/> from now on instead of the stream before it, which the caller closes. The hash is
    /// not reset here: take the previous stream's digest first. Returns this stream.
    /// </summary>
    public HashingReadStream Reading(Stream inner)
    {
        _inner = inner;
        return this;
    }

    /// <summary>The lower-case hex digest of everything read so far; call once, at the end.</summary>
    public string HexDigest() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Writes the digest of everything read so far to <paramref name="destination"/> and resets the hash; call once, at the end.</summary>
    public void WriteDigest(Span<byte> destination) => _hash.GetHashAndReset(destination);

    public override int Read(Span<byte> buffer)
    {
        int read = Inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
