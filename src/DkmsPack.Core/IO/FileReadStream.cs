using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DkmsPack.IO;

/// <summary>
/// A file opened for reading from a path given as a span, read with positional reads. Packaging opens every file
/// of the tree once: a <see cref="FileStream"/> needs the path as a string (one more per file), and on Linux also
/// fstat(2)s the file and takes an advisory flock(2) on open, where open(2) alone is all a read needs.
/// </summary>
public sealed partial class FileReadStream : Stream
{
    // fcntl.h (asm-generic; the same values on every Linux architecture .NET runs on).
    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;
    private const int ErrInterrupted = 4;
    private const int ErrAccess = 13;

    private readonly SafeFileHandle _handle;
    private long _position;

    private FileReadStream(SafeFileHandle handle) => _handle = handle;

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanSeek => !_handle.IsClosed;

    public override bool CanWrite => false;

    public override long Length => RandomAccess.GetLength(_handle);

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">Any other failure, its message the system's (strerror).</exception>
    public static FileReadStream Open(ReadOnlySpan<char> path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileReadStream(File.OpenHandle(path.ToString()));
        }

        Span<byte> nativePath = stackalloc byte[FileStatusReader.PathMax];
        FileStatusReader.EncodeNativePath(path, nativePath);
        int descriptor;
        do
        {
            descriptor = NativeOpen(ref MemoryMarshal.GetReference(nativePath), OpenReadOnly | OpenCloseOnExec);
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == ErrInterrupted);

        if (descriptor < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string reason = Marshal.GetPInvokeErrorMessage(errno);
            reason = reason.Length > 0 ? char.ToLowerInvariant(reason[0]) + reason[1..] : $"errno {errno}";
            throw errno == ErrAccess ? new UnauthorizedAccessException(reason) : new IOException(reason, errno);
        }

        return new FileReadStream(new SafeFileHandle(descriptor, ownsHandle: true));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = RandomAccess.Read(_handle, buffer, _position);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int NativeOpen(ref byte nativePath, int flags);
}
