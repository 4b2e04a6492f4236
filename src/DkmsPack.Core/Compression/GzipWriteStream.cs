using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

using DkmsPack.IO;

namespace DkmsPack.Compression;

/// <summary>
/// A gzip writer whose framing is ours, so the bytes are the same on every OS: the BCL's GZipStream
/// takes the OS byte from the platform's zlib build. Header per RFC 1952 §2.3 with no name and mtime 0,
/// as <c>gzip -n</c> writes it (lintian: package-contains-timestamped-gzip).
/// </summary>
public sealed class GzipWriteStream : WriteOnlyStream
{
    // RFC 1952 §2.3.1 member header.
    private const byte Id1 = 0x1f;
    private const byte Id2 = 0x8b;
    private const byte CompressionMethodDeflate = 8;
    private const byte NoFlags = 0;
    private const byte ExtraFlagsMaximumCompression = 2;
    private const byte ExtraFlagsFastest = 4;
    private const byte OperatingSystemUnix = 3;
    private const int TrailerLength = 8;

    private static ReadOnlySpan<byte> EmptyFinalDeflateBlock => [0x03, 0x00];

    private readonly Stream _output;
    private readonly DeflateStream _deflate;
    private readonly Crc32 _crc = new();
    private uint _inputLength;
    private bool _anyInput;
    private bool _finished;

    public GzipWriteStream(Stream output, int level)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Span<byte> header = [Id1, Id2, CompressionMethodDeflate, NoFlags, 0, 0, 0, 0, ExtraFlags(level), OperatingSystemUnix];
        _output.Write(header);
        _deflate = Compressor.RawDeflate(output, level);
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _crc.Append(buffer);
        unchecked
        {
            // ISIZE is the input length modulo 2^32 (RFC 1952 §2.3.1).
            _inputLength += (uint)buffer.Length;
        }

        _anyInput |= !buffer.IsEmpty;
        _deflate.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            _deflate.Dispose();

            // DeflateStream writes nothing at all when it was given nothing, which is no valid deflate
            // stream; write the empty final block (BFINAL=1, fixed Huffman, end-of-block) ourselves.
            if (!_anyInput)
            {
                _output.Write(EmptyFinalDeflateBlock);
            }

            Span<byte> trailer = stackalloc byte[TrailerLength];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], _inputLength);
            _output.Write(trailer);
        }

        base.Dispose(disposing);
    }

    private static byte ExtraFlags(int level) => level switch
    {
        >= 9 => ExtraFlagsMaximumCompression,
        <= 1 => ExtraFlagsFastest,
        _ => 0,
    };
}
