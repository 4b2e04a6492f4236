using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DkmsPack.IO;

/// <summary>
/// A file opened for reading from a path given as a span, read with read(2). Packaging opens every file
/// of the tree once: a <see cref="FileStream"/> needs the path as a string (one more per file), and on Linux also
/// fstat(2)s the file and takes an advisory flock(2) on open, where open(2) alone is all a read needs. The open is
/// non-blocking, so a file the scan saw as regular but that is a FIFO by now reads as empty (and the writers refuse
/// its size) instead of waiting for ever for a writer; for regular files O_NONBLOCK changes nothing (open(2)).
/// One stream can read file after file (<see cref="Reopen"/>): the descriptor is held as a number, not a
/// <see cref="SafeFileHandle"/>, so reading a tree costs no object per file.
/// </summary>
public sealed partial class FileReadStream : Stream
{
    // fcntl.h (asm-generic; the same values on every Linux architecture .NET runs on).
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int ErrInterrupted = 4;
    private const int ErrAccess = 13;
    private const int SeekSet = 0;

    private const int NoDescriptor = -1;

    // Linux: the open descriptor. Elsewhere: the handle .NET opened.
    private int _descriptor = NoDescriptor;
    private SafeFileHandle? _handle;
    private long _position;
    private bool _seekPending;

    ~FileReadStream() => Dispose(disposing: false);

    /// <summary>
    /// open(2) and read(2) directly: on 64-bit Linux. Elsewhere .NET's own calls, and on a 32-bit process too, which
    /// would also need O_LARGEFILE, whose value differs between architectures.
    /// </summary>
    private static bool CallsTheSystem => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    private bool IsOpen => _descriptor != NoDescriptor || _handle is not null;

    public override bool CanRead => IsOpen;

    public override bool CanSeek => IsOpen;

    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            if (_handle is not null)
            {
                return RandomAccess.GetLength(_handle);
            }

            ObjectDisposedException.ThrowIf(_descriptor == NoDescriptor, this);
            using var borrowed = new SafeFileHandle(_descriptor, ownsHandle: false);
            return RandomAccess.GetLength(borrowed);
        }
    }

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _seekPending |= value != _position;
            _position = value;
        }
    }

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">Any other failure, its message the system's (strerror).</exception>
    public static FileReadStream Open(ReadOnlySpan<char> path)
    {
        var stream = new FileReadStream();
        try
        {
            stream.Reopen(path);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Closes the file this stream reads, if any, and opens <paramref name="path"/> read-only instead, from its start.
    /// After a failure the stream has no file open.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">Any other failure, its message the system's (strerror).</exception>
    public void Reopen(ReadOnlySpan<char> path)
    {
        CloseFile();
        _position = 0;
        _seekPending = false;
        if (!CallsTheSystem)
        {
            _handle = File.OpenHandle(path.ToString());
            return;
        }

        Span<byte> nativePath = stackalloc byte[FileStatusReader.PathMax];
        FileStatusReader.EncodeNativePath(path, nativePath);
        int descriptor;
        do
        {
            descriptor = NativeOpen(ref MemoryMarshal.GetReference(nativePath), OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == ErrInterrupted);

        Check(descriptor);
        _descriptor = descriptor;
    }

    /// <summary>Closes the file this stream reads, if any; <see cref="Reopen"/> can open the next.</summary>
    public void CloseFile()
    {
        CloseDescriptor();
        _handle?.Dispose();
        _handle = null;
    }

    // close(2) is not retried after EINTR: on Linux the descriptor is released whatever it returns.
    private void CloseDescriptor()
    {
        if (_descriptor != NoDescriptor)
        {
            _ = NativeClose(_descriptor);
            _descriptor = NoDescriptor;
        }
    }

    /// <summary>Throws for a failed system call (a negative result), in the system's words (strerror).</summary>
    private static void Check(nint result)
    {
        if (result >= 0)
        {
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        string reason = Marshal.GetPInvokeErrorMessage(errno);
        reason = reason.Length > 0 ? char.ToLowerInvariant(reason[0]) + reason[1..] : $"errno {errno}";
        throw errno == ErrAccess ? new UnauthorizedAccessException(reason) : new IOException(reason, errno);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_handle is not null)
        {
            int positional = RandomAccess.Read(_handle, buffer, _position);
            _position += positional;
            return positional;
        }

        // read(2), not RandomAccess's pread: a FIFO cannot be read at an offset, and must read as empty, not fail.
        ObjectDisposedException.ThrowIf(_descriptor == NoDescriptor, this);
        if (_seekPending)
        {
            Check((nint)NativeSeek(_descriptor, _position, SeekSet));
            _seekPending = false;
        }

        nint read;
        do
        {
            read = NativeRead(_descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        }
        while (read < 0 && Marshal.GetLastPInvokeError() == ErrInterrupted);

        Check(read);
        _position += read;
        return (int)read;
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
        // From the finalizer only the descriptor: the handle, if any, has a finalizer of its own.
        if (disposing)
        {
            CloseFile();
        }
        else
        {
            CloseDescriptor();
        }

        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int NativeOpen(ref byte nativePath, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint NativeRead(int descriptor, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long NativeSeek(int descriptor, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int NativeClose(int descriptor);
}
