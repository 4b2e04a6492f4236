using System.Globalization;
using System.Runtime.InteropServices;

using DkmsPack.Diagnostics;
using DkmsPack.IO;

namespace DkmsPack.Compression;

/// <summary>The integrity check an .xz stream stores for each block (xz --check).</summary>
public enum XzCheck
{
    /// <summary>CRC32: what the kernel's xz decompressor (lib/xz, compressed modules) understands.</summary>
    Crc32 = 1,

    /// <summary>CRC64: xz's and dpkg-deb's default, for deb and Arch packages.</summary>
    Crc64 = 4,

    /// <summary>SHA-256: what rpmbuild's xzdio writes in RPM payloads (rpmio/rpmio.c, LZMA_CHECK_SHA256).</summary>
    Sha256 = 10,
}

/// <summary>xz compression through the system's liblzma (<see cref="LibLzma"/>).</summary>
public static class XzCompression
{
    /// <summary>dpkg-deb's and xz's default level.</summary>
    public const int DefaultLevel = 6;

    public const int MaxLevel = 9;

    /// <summary>
    /// The dictionary size of each preset, 0 to 9, as xz(1) documents them ("Compression presets" table):
    /// https://github.com/tukaani-project/xz/blob/master/src/xz/xz.1
    /// </summary>
    private static readonly int[] s_dictionarySizes =
        [256 << 10, 1 << 20, 2 << 20, 4 << 20, 4 << 20, 8 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20];

    /// <summary>
    /// The uncompressed bytes per xz block: twice the preset's dictionary (16 MiB at the default level 6).
    /// Blocks are compressed independently, one per thread, so the block size, not the thread count, decides
    /// the bytes; it is set here rather than left to liblzma (whose default is three dictionaries, what dpkg-deb
    /// uses) so that no liblzma version can change it. Two dictionaries rather than three: a 55 MB tar becomes
    /// four blocks instead of three, which two cores share evenly, for about 0.7% in size.
    /// </summary>
    public static long BlockSize(int level) => 2L * s_dictionarySizes[level];

    /// <summary>
    /// A write-only stream that xz-compresses into <paramref name="output"/> with <paramref name="threads"/>
    /// threads (the output does not depend on their number). Disposing it finishes the .xz stream;
    /// <paramref name="output"/> stays open. Throws a one-line <see cref="DkmsPackException"/> (exit 1) when
    /// liblzma is missing.
    /// </summary>
    public static Stream Create(Stream output, int level, bool extreme, XzCheck check, int threads)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return new XzWriteStream(output, level, extreme, check, threads);
    }

    /// <summary>The loaded liblzma's version ("5.4.1"); throws as <see cref="Create"/> does when it is missing.</summary>
    public static string LibraryVersion => LibLzma.Functions.Version;

    /// <summary>Loads liblzma now, so that a missing library stops a run before anything is written.</summary>
    public static void EnsureAvailable() => _ = LibLzma.Functions;
}

/// <summary>
/// The .xz container (https://tukaani.org/xz/xz-file-format.txt) written by liblzma's multi-threaded encoder
/// (lzma_stream_encoder_mt), as dpkg-deb does for -Zxz (dpkg lib/dpkg/compress.c, filter_xz_init). Blocks of
/// a fixed size are compressed in parallel and written in order; every block header records its sizes, so the
/// output is the same for one thread as for many.
/// </summary>
internal sealed unsafe class XzWriteStream : WriteOnlyStream
{
    private const int OutputBufferSize = 1 << 16;

    private readonly Stream _output;
    private readonly LibLzma.Api _lzma;
    private readonly byte[] _buffer = new byte[OutputBufferSize];
    private LibLzma.LzmaStream* _stream;
    private bool _finished;

    public XzWriteStream(Stream output, int level, bool extreme, XzCheck check, int threads)
    {
        _output = output;
        _lzma = LibLzma.Functions;
        _stream = (LibLzma.LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaStream));
        var options = new LibLzma.LzmaMt
        {
            Threads = (uint)threads,
            BlockSize = (ulong)XzCompression.BlockSize(level),

            // 0: lzma_code returns only when it has made progress, never on a timer (which would make the
            // boundaries of what it returns depend on timing; the bytes would not change, but there is no need).
            Timeout = 0,
            Preset = (uint)level | (extreme ? LibLzma.PresetExtreme : 0),
            Check = (int)check,
        };
        int result = _lzma.StreamEncoderMt(_stream, &options);
        if (result != LibLzma.Ok)
        {
            Free();
            throw Failure("could not start the xz encoder", result);
        }
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        fixed (byte* input = buffer)
        {
            _stream->NextIn = input;
            _stream->AvailIn = (nuint)buffer.Length;
            while (_stream->AvailIn > 0)
            {
                Code(LibLzma.Run);
            }

            _stream->NextIn = null;
        }
    }

    public override void Flush()
    {
        // Only Dispose finishes the stream: flushing an xz encoder mid-stream would end a block early and so
        // make the bytes depend on when callers flush.
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_finished)
            {
                _finished = true;
                while (Code(LibLzma.Finish) != LibLzma.StreamEnd)
                {
                }
            }
        }
        finally
        {
            Free();
            base.Dispose(disposing);
        }
    }

    /// <summary>One lzma_code call into the output buffer; writes what it produced. Returns LZMA_OK or LZMA_STREAM_END.</summary>
    private int Code(int action)
    {
        fixed (byte* output = _buffer)
        {
            _stream->NextOut = output;
            _stream->AvailOut = OutputBufferSize;
            int result = _lzma.Code(_stream, action);
            int produced = OutputBufferSize - (int)_stream->AvailOut;
            _stream->NextOut = null;
            if (result is not (LibLzma.Ok or LibLzma.StreamEnd))
            {
                throw Failure("xz compression failed", result);
            }

            _output.Write(_buffer, 0, produced);
            return result;
        }
    }

    private void Free()
    {
        if (_stream is not null)
        {
            _lzma.End(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    ~XzWriteStream() => Dispose(false);

    private static DkmsPackException Failure(string what, int result) => new(
        Diagnostic.Error(null, 0, string.Create(CultureInfo.InvariantCulture, $"{what}: liblzma returned {Describe(result)}"), code: DiagnosticCode.Internal),
        result is LibLzma.MemError or LibLzma.MemLimitError ? ExitCode.OutputFailed : ExitCode.InternalError);

    private static string Describe(int result) => result switch
    {
        LibLzma.MemError => "LZMA_MEM_ERROR (out of memory; try a lower level)",
        LibLzma.MemLimitError => "LZMA_MEMLIMIT_ERROR",
        LibLzma.OptionsError => "LZMA_OPTIONS_ERROR",
        LibLzma.UnsupportedCheck => "LZMA_UNSUPPORTED_CHECK",
        LibLzma.BufError => "LZMA_BUF_ERROR",
        LibLzma.ProgError => "LZMA_PROG_ERROR",
        _ => result.ToString(CultureInfo.InvariantCulture),
    };
}
