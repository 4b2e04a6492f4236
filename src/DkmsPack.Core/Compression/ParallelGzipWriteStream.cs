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

    /// <summary>The first buffer's size: a small package (control.tar, a module of a few files) never needs a whole chunk.</summary>
    private const int InitialBufferSize = 1 << 16;

    private readonly Stream _output;
    private readonly int _level;
    private readonly Queue<Task<Member>> _pending = new();
    private readonly int _maxPending = Environment.ProcessorCount + 1;
    private byte[]? _chunk;
    private int _filled;
    private bool _anyMember;
    private bool _finished;

    public ParallelGzipWriteStream(Stream output, int level)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _level = level;
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            int take = Math.Min(buffer.Length, ChunkSize - _filled);
            byte[] chunk = Reserve(take);
            buffer[..take].CopyTo(chunk.AsSpan(_filled));
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
                    SubmitChunk(last: true);
                }

                while (_pending.Count > 0)
                {
                    WriteOldestMember();
                }
            }
            finally
            {
                if (_chunk is not null)
                {
                    ArrayPool<byte>.Shared.Return(_chunk);
                    _chunk = null;
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The chunk buffer with room for <paramref name="count"/> more bytes: the first grows by doubling up to a whole
    /// chunk, and once a chunk has been filled the input is large, so each next one is a whole chunk at once.
    /// </summary>
    private byte[] Reserve(int count)
    {
        int needed = _filled + count;
        if (_chunk is null || _chunk.Length < needed)
        {
            int size = _anyMember ? ChunkSize : Math.Min(ChunkSize, Math.Max(needed, Math.Max(InitialBufferSize, 2 * (_chunk?.Length ?? 0))));
            byte[] grown = ArrayPool<byte>.Shared.Rent(size);
            if (_chunk is not null)
            {
                _chunk.AsSpan(0, _filled).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_chunk);
            }

            _chunk = grown;
        }

        return _chunk;
    }

    private void SubmitChunk(bool last = false)
    {
        byte[] data = _chunk ?? [];
        _chunk = null;
        int length = _filled;
        int level = _level;
        _filled = 0;
        _anyMember = true;
        if (last && _pending.Count == 0)
        {
            // A stream that fits one chunk: compressed here, without waking a pool thread for it.
            _pending.Enqueue(Task.FromResult(Compress(data, length, level)));
            return;
        }

        _pending.Enqueue(Task.Run(() => Compress(data, length, level)));

        // Bounded: at most one chunk per core (plus one) is in flight, so memory does not grow with the input.
        while (_pending.Count > _maxPending)
        {
            WriteOldestMember();
        }
    }

    /// <summary>Compresses a chunk into a pooled buffer: a new array per member would be a large object (and a gen 2 collection) per MiB.</summary>
    private static Member Compress(byte[] data, int length, int level)
    {
        byte[] member = ArrayPool<byte>.Shared.Rent(MemberBound(length));
        try
        {
            using var destination = new MemoryStream(member, writable: true);
            Compressor.Gzip(data.AsSpan(0, length), destination, level);
            return new Member(member, checked((int)destination.Position));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(member);
            throw;
        }
        finally
        {
            if (data.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }
    }

    /// <summary>
    /// Room for the member of <paramref name="length"/> input bytes whatever the data: deflate's worst case is stored
    /// or fixed-Huffman blocks, at most 9 bits a byte (RFC 1951 §3.2.6) plus block headers, and gzip adds a
    /// 10-byte header and an 8-byte trailer (RFC 1952 §2.3).
    /// </summary>
    private static int MemberBound(int length) => checked(length + (length >> 2) + 1024);

    private void WriteOldestMember()
    {
        Member member = _pending.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output.Write(member.Bytes, 0, member.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(member.Bytes);
        }
    }

    /// <summary>A compressed member in a pooled buffer, returned to the pool once written.</summary>
    private readonly record struct Member(byte[] Bytes, int Length);
}
