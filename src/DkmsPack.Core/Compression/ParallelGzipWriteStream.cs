using System.Buffers;

using DkmsPack.IO;

namespace DkmsPack.Compression;

/// <summary>
/// gzip on every core: the input is cut into fixed 1 MiB chunks, each compressed on the thread pool into a
/// gzip member of its own, and the members are written in order. A sequence of members is one valid gzip
/// file (RFC 1952 §2.2), which zlib's gzread (dpkg, rpm), GNU gzip and .NET read as one stream.
/// The chunk size is fixed, not derived from the core count, so the bytes are the same on every machine;
/// each chunk starts with an empty dictionary, which costs well under 1% in size.
/// </summary>
public sealed class ParallelGzipWriteStream : WriteOnlyStream
{
    public const int ChunkSize = 1 << 20;

    private readonly Stream _output;
    private readonly int _level;
    private readonly Queue<Task<byte[]>> _pending = new();
    private readonly int _maxPending = Environment.ProcessorCount + 1;
    private byte[] _chunk;
    private int _filled;
    private bool _anyMember;
    private bool _finished;

    public ParallelGzipWriteStream(Stream output, int level)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _level = level;
        _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            int take = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer[..take].CopyTo(_chunk.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == ChunkSize)
            {
                SubmitChunk();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            try
            {
                // An empty input still needs one (empty) member to be a gzip file.
                if (_filled > 0 || !_anyMember)
                {
                    SubmitChunk();
                }

                while (_pending.Count > 0)
                {
                    WriteOldestMember();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_chunk);
            }
        }

        base.Dispose(disposing);
    }

    private void SubmitChunk()
    {
        byte[] data = _chunk;
        int length = _filled;
        int level = _level;
        _pending.Enqueue(Task.Run(() =>
        {
            try
            {
                return Compressor.GzipBytes(data.AsSpan(0, length), level);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }));
        _anyMember = true;
        _chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        _filled = 0;

        // Bounded: at most one chunk per core (plus one) is in flight, so memory does not grow with the input.
        while (_pending.Count > _maxPending)
        {
            WriteOldestMember();
        }
    }

    private void WriteOldestMember() => _output.Write(_pending.Dequeue().GetAwaiter().GetResult());
}
