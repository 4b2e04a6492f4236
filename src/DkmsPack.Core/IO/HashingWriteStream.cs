using System.Security.Cryptography;

namespace DkmsPack.IO;

/// <summary>
/// A write-only pass-through that counts and SHA-256-hashes every byte on its way to the inner stream.
/// Put one before the compressor (uncompressed cpio: PAYLOADDIGESTALT 5097 and the signature's
/// PAYLOADSIZE) and one after it (compressed payload: PAYLOADDIGEST 5092); see
/// <see cref="RpmPackageAssembler"/>. The digest stays readable after disposal.
/// </summary>
public sealed class HashingWriteStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _finalHash;

    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public HashingWriteStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>How many bytes have passed through.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanWrite => _finalHash is null;

    /// <summary>SHA-256 of the bytes written so far (or of all of them, once disposed).</summary>
    public byte[] GetSha256() => _finalHash is null ? _sha256.GetCurrentHash() : (byte[])_finalHash.Clone();

    /// <summary>Lowercase hex SHA-256, the form rpm stores in PAYLOADDIGEST and PAYLOADDIGESTALT.</summary>
    public string GetSha256Hex() => Convert.ToHexStringLower(GetSha256());

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finalHash is not null, this);
        _inner.Write(buffer);
        _sha256.AppendData(buffer);
        BytesWritten += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _finalHash is null)
        {
            _finalHash = _sha256.GetHashAndReset();
            _sha256.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
