namespace DkmsPack.IO;

/// <summary>
/// A read-only window of <paramref name="length"/> bytes at <paramref name="start"/> in a seekable stream, which
/// stays the caller's: reading seeks the inner stream to where this window is, so several windows on one file
/// may be read one after the other.
/// </summary>
public sealed class ReadOnlySubStream(Stream inner, long start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long remaining = length - _position;
        if (remaining <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        inner.Position = start + _position;
        int read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
