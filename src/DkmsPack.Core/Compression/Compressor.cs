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
        CompressionMethod.Xz => XzCompression.DefaultLevel,
        _ => 0,
    };

    /// <summary>The highest level the method accepts (gzip 9, zstd 19 without the ultra levels, xz 9).</summary>
    public static int MaxLevel(CompressionMethod method) => method switch
    {
        CompressionMethod.Gzip => 9,
        CompressionMethod.Zstd => 19,
        CompressionMethod.Xz => XzCompression.MaxLevel,
        _ => 0,
    };

    /// <summary>The lowest level the method accepts: 0 for xz (xz -0), 1 for gzip and zstd.</summary>
    public static int MinLevel(CompressionMethod method) => method == CompressionMethod.Xz ? 0 : 1;

    /// <summary>Whether the method has an extreme variant of its levels (xz -e; dpkg-deb -Sextreme).</summary>
    public static bool HasExtreme(CompressionMethod method) => method == CompressionMethod.Xz;

    /// <summary>
    /// Reads a level as the command line and the project file write it: a whole number, for xz optionally
    /// followed by <c>e</c> for the extreme variant (<c>9e</c>, xz's own <c>-9e</c>). Range is not checked here.
    /// </summary>
    public static bool TryParseLevel(string text, out int level, out bool extreme)
    {
        ArgumentNullException.ThrowIfNull(text);
        extreme = text.EndsWith('e');
        string digits = extreme ? text[..^1] : text;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out level);
    }

    /// <summary>
    /// Why a level does not fit the method, or null when it does: the message the command line and the project
    /// file both give (after the name of the option or key and its value).
    /// </summary>
    public static string? LevelProblem(CompressionMethod method, int level, bool extreme)
    {
        string name = method.ToString().ToLowerInvariant();
        if (method == CompressionMethod.None)
        {
            return "has no meaning without compression";
        }

        if (level < MinLevel(method) || level > MaxLevel(method))
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"is not a level of {name} (a whole number from {MinLevel(method)} to {MaxLevel(method)}{(HasExtreme(method) ? ", optionally followed by e for extreme" : string.Empty)})");
        }

        return extreme && !HasExtreme(method) ? $"asks for the extreme variant (e), which only xz has, not {name}" : null;
    }

    /// <summary>The file-name suffix a deb member gets: ".gz", ".zst", ".xz" or nothing.</summary>
    public static string FileSuffix(CompressionMethod method) => method switch
    {
        CompressionMethod.Gzip => ".gz",
        CompressionMethod.Zstd => ".zst",
        CompressionMethod.Xz => ".xz",
        _ => string.Empty,
    };

    /// <summary>
    /// Returns a write-only stream that compresses into <paramref name="output"/>. Disposing it finishes
    /// the compressed stream; <paramref name="output"/> stays open. <paramref name="extreme"/> and
    /// <paramref name="xzCheck"/> apply to xz only (xz -e and --check; CRC64 is dpkg-deb's and xz's default).
    /// </summary>
    public static Stream Create(CompressionMethod method, int? level, Stream output, bool extreme = false, XzCheck xzCheck = XzCheck.Crc64) => method switch
    {
        CompressionMethod.Gzip => new ParallelGzipWriteStream(output, level ?? DefaultGzipLevel),
        CompressionMethod.Zstd => Zstd(output, level ?? DefaultZstdLevel, ZstdWorkers),
        CompressionMethod.Xz => XzCompression.Create(output, level ?? XzCompression.DefaultLevel, extreme, xzCheck, XzThreads),
        CompressionMethod.None => new NonClosingStream(output),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Gzip-compresses a small in-memory buffer (control.tar, changelog.Debian.gz).</summary>
    public static byte[] GzipBytes(ReadOnlySpan<byte> data, int level = DefaultGzipLevel)
    {
        using var buffer = new MemoryStream();
        Gzip(data, buffer, level);
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="data"/> as one whole gzip member to <paramref name="destination"/> (left open).</summary>
    public static void Gzip(ReadOnlySpan<byte> data, Stream destination, int level = DefaultGzipLevel)
    {
        using var gzip = new GzipWriteStream(destination, level);
        gzip.Write(data);
    }

    /// <summary>Bytes of input per zstd job (each job is compressed by one worker).</summary>
    public const int ZstdJobSize = 2 << 20;

    /// <summary>Workers zstd compresses with; the bytes do not depend on this number (zstd.h, ZSTD_c_nbWorkers).</summary>
    public static int ZstdWorkers => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>Threads xz compresses with: one per processor, as dpkg-deb; the bytes do not depend on it.</summary>
    public static int XzThreads => Math.Max(1, Environment.ProcessorCount);

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
