using System.Security.Cryptography;
using DkmsPack.IO;

namespace DkmsPack.SourcePackages;

/// <summary>A file's size and the three digests a .dsc and a .changes list (Files: MD5, Checksums-Sha1, Checksums-Sha256), lowercase hex.</summary>
public sealed record Checksums(long Size, string Md5, string Sha1, string Sha256);

/// <summary>Passes bytes on to a stream and takes the <see cref="Checksums"/> on the way, so a file is hashed as it is written.</summary>
internal sealed class ChecksumStream(Stream inner) : WriteOnlyStream
{
#pragma warning disable CA5351, CA5350 // MD5 and SHA-1 are what the .dsc's Files and Checksums-Sha1 fields are defined as (dsc(5)).
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5351, CA5350
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _size;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _md5.AppendData(buffer);
        _sha1.AppendData(buffer);
        _sha256.AppendData(buffer);
        _size += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    /// <summary>The checksums of everything written so far.</summary>
    public Checksums Result() => new(
        _size,
        Convert.ToHexStringLower(_md5.GetCurrentHash()),
        Convert.ToHexStringLower(_sha1.GetCurrentHash()),
        Convert.ToHexStringLower(_sha256.GetCurrentHash()));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5.Dispose();
            _sha1.Dispose();
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }
}
