using System.IO.Compression;

namespace DkmsPack.Compression;

/// <summary>Wraps an output stream in the chosen compressor, with the same defaults as dpkg-deb.</summary>
public static class Compressor
{
    /// <summary>dpkg-deb's default gzip level (dpkg lib/dpkg/compress.c), so sizes compare like for like.</summary>
    public const int DefaultGzipLevel = 9;

    /// <summary>dpkg-deb's default zstd level.</summary>
    public const int DefaultZstdLevel = 3;

    public static int DefaultLevel(CompressionMethod method) => method switch
    {
        CompressionMethod.Gzip => DefaultGzipLevel,
        CompressionMethod.Zstd => DefaultZstdLevel,
        _ => 0,
    };

    /// <summary>The highest level the method accepts (gzip 9, zstd 19 without the ultra levels).</summary>
    public static int MaxLevel(CompressionMethod method) => method switch
    {
        CompressionMethod.Gzip => 9,
        CompressionMethod.Zstd => 19,
        _ => 0,
    };

    /// <summary>The file-name suffix a deb member gets: ".gz", ".zst" or nothing.</summary>
    public static string FileSuffix(CompressionMethod method) => method switch
    {
        CompressionMethod.Gzip => ".gz",
        CompressionMethod.Zstd => ".zst",
        _ => string.Empty,
    };

    /// <summary>
    /// Returns a write-only stream that compresses into <paramref name="output"/>. Disposing it finishes
    /// the compressed stream; <paramref name="output"/> stays open.
    /// </summary>
    public static Stream Create(CompressionMethod method, int? level, Stream output) => method switch
    {
        CompressionMethod.Gzip => new ParallelGzipWriteStream(output, level ?? DefaultGzipLevel),
        CompressionMethod.Zstd => Zstd(output, level ?? DefaultZstdLevel, ZstdWorkers),
        CompressionMethod.None => new NonClosingStream(output),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Gzip-compresses a small in-memory buffer (control.tar, changelog.Debian.gz).</summary>
    public static byte[] GzipBytes(ReadOnlySpan<byte> data, int level = DefaultGzipLevel)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GzipWriteStream(buffer, level))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>Bytes of input per zstd job (each job is compressed by one worker).</summary>
    public const int ZstdJobSize = 2 << 20;

    /// <summary>Workers zstd compresses with; the bytes do not depend on this number (zstd.h, ZSTD_c_nbWorkers).</summary>
    public static int ZstdWorkers => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// zstd in multi-threaded mode. Its output is the same for any worker count of 1 or more, but differs from
    /// single-threaded mode (0 workers), so at least one worker is always used.
    /// </summary>
    internal static ZstdSharp.CompressionStream Zstd(Stream output, int level, int workers)
    {
        var compressor = new ZstdSharp.Compressor(level);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Max(1, workers));

        // A fixed job size, smaller than level 3's default, keeps each worker's buffers (and so peak memory)
        // small; being fixed, it keeps the bytes independent of the machine.
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_jobSize, ZstdJobSize);
        return new ZstdSharp.CompressionStream(output, compressor, bufferSize: 1 << 17, preserveCompressor: false, leaveOpen: true);
    }

    internal static DeflateStream RawDeflate(Stream output, int level) =>
        new(output, new ZLibCompressionOptions { CompressionLevel = level, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: true);
}
