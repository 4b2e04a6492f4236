using System.Runtime.InteropServices;
using System.Text;

namespace DkmsPack.IO;

/// <summary>What kind of object a path names, as lstat(2)/stat(2) report it (S_IFMT).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Symlink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>The parts of a file's status dkmspack needs: its kind, permission bits, size, mtime and identity.</summary>
public readonly record struct FileStatus(FileKind Kind, int Permissions, long Size, long ModifiedTime, ulong Device, ulong Inode)
{
    /// <summary>True when both name the same file-system object (same device and inode).</summary>
    public bool IsSameObject(FileStatus other) => Kind != FileKind.Missing && Device == other.Device && Inode == other.Inode;
}

/// <summary>
/// lstat/stat through Linux's statx(2), whose struct layout is the same on every architecture (linux/stat.h),
/// so no per-architecture struct stat is needed. .NET's own API cannot tell a FIFO, socket or device from a
/// regular file on Linux (FileAttributes has no such bit there), and opening a FIFO blocks for ever.
/// Elsewhere (no statx) it falls back to .NET's attributes, which is all those systems offer.
/// </summary>
public static partial class FileStatusReader
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;

    // Offsets in struct statx (include/uapi/linux/stat.h).
    private const int ModeOffset = 0x1C;
    private const int InodeOffset = 0x20;
    private const int SizeOffset = 0x28;
    private const int ModifiedSecondsOffset = 0x70;
    private const int DeviceMajorOffset = 0x88;
    private const int DeviceMinorOffset = 0x8C;

    // S_IFMT and its values (sys/stat.h).
    private const int TypeMask = 0xF000;
    private const int TypeFifo = 0x1000;
    private const int TypeCharacter = 0x2000;
    private const int TypeDirectory = 0x4000;
    private const int TypeBlock = 0x6000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;
    private const int TypeSocket = 0xC000;
    private const int PermissionMask = 0xFFF;

    /// <summary>Linux's PATH_MAX (linux/limits.h): the longest path, its NUL included, a system call accepts.</summary>
    public const int PathMax = 4096;

    private const int ErrNoEntry = 2;
    private const int ErrNotDirectory = 20;
    private const int ErrNameTooLong = 36;

    /// <summary>The status of <paramref name="path"/> itself (a symlink is reported as a symlink).</summary>
    public static FileStatus Lstat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Lstat(path.AsSpan());
    }

    /// <summary>As <see cref="Lstat(string)"/>, for a path composed in a buffer (the scan asks once per entry).</summary>
    public static FileStatus Lstat(ReadOnlySpan<char> path) => Stat(path, followLinks: false);

    /// <summary>The status of what <paramref name="path"/> leads to, following symlinks.</summary>
    public static FileStatus Stat(string path, bool followLinks = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Stat(path.AsSpan(), followLinks);
    }

    private static FileStatus Stat(ReadOnlySpan<char> path, bool followLinks) =>
        OperatingSystem.IsLinux() ? StatLinux(path, followLinks) : StatPortable(path.ToString(), followLinks);

    private static FileStatus StatLinux(ReadOnlySpan<char> path, bool followLinks)
    {
        Span<byte> utf8Path = stackalloc byte[PathMax];
        EncodeNativePath(path, utf8Path);
        Span<byte> buffer = stackalloc byte[StatxSize];
        int result = NativeStatx(AtFdCwd, ref MemoryMarshal.GetReference(utf8Path), followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer));
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ErrNoEntry or ErrNotDirectory)
            {
                return default;
            }

            throw new IOException($"cannot read its status (errno {errno})", errno);
        }

        // The fields are in the machine's own byte order.
        int mode = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]);
        ulong device = ((ulong)Read32(buffer, DeviceMajorOffset) << 32) | Read32(buffer, DeviceMinorOffset);
        // stx_size is a u64 that never exceeds off_t; stx_mtime.tv_sec is an s64, negative before 1970
        // (read as unsigned, a checked cast would throw on exactly the dates the scan must report).
        return new FileStatus(KindOf(mode), mode & PermissionMask, MemoryMarshal.Read<long>(buffer[SizeOffset..]), MemoryMarshal.Read<long>(buffer[ModifiedSecondsOffset..]), device, Read64(buffer, InodeOffset));
    }

    /// <summary>
    /// Encodes <paramref name="path"/> as the kernel takes it, UTF-8 with a NUL, into <paramref name="destination"/>
    /// (<see cref="PathMax"/> bytes, on the caller's stack): no string and no marshalling copy for a path composed in a buffer.
    /// </summary>
    /// <exception cref="IOException">The path does not fit in PATH_MAX (ENAMETOOLONG).</exception>
    internal static void EncodeNativePath(ReadOnlySpan<char> path, Span<byte> destination)
    {
        if (!Encoding.UTF8.TryGetBytes(path, destination[..^1], out int length))
        {
            throw new IOException($"the path is longer than PATH_MAX (errno {ErrNameTooLong})", ErrNameTooLong);
        }

        destination[length] = 0;
    }

    /// <summary>
    /// The target of the symlink <paramref name="path"/> as the bytes readlink(2) returns: Linux stores any bytes
    /// but NUL, and .NET's <see cref="FileSystemInfo.LinkTarget"/> would silently turn bytes that are not UTF-8 into U+FFFD.
    /// </summary>
    /// <exception cref="IOException">readlink(2) failed (the path is not a symlink, or cannot be read).</exception>
    public static byte[] ReadLink(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            string target = new FileInfo(path).LinkTarget ?? throw new IOException("not a symbolic link");
            return Encoding.UTF8.GetBytes(target);
        }

        // A target is at most PATH_MAX - 1 bytes; readlink(2) does not NUL-terminate, so one spare byte tells truncation.
        Span<byte> buffer = stackalloc byte[PathMax + 1];
        nint length = NativeReadLink(path, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        if (length < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot read the link's target (errno {errno})", errno);
        }

        if (length > PathMax)
        {
            throw new IOException("the link's target is longer than PATH_MAX");
        }

        return buffer[..(int)length].ToArray();
    }

    /// <summary>
    /// The absolute path of <paramref name="path"/> with every symlink resolved (realpath(3)), or null when it does
    /// not exist. Used to find the name under which a directory reached through symlinks appears in its real parent.
    /// </summary>
    public static string? RealPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            var directory = new DirectoryInfo(path);
            return directory.Exists ? Path.GetFullPath((directory.ResolveLinkTarget(returnFinalTarget: true) ?? directory).FullName) : null;
        }

        nint result = NativeRealPath(path, 0);
        if (result == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            NativeFree(result);
        }
    }

    private static uint Read32(ReadOnlySpan<byte> buffer, int offset) => MemoryMarshal.Read<uint>(buffer[offset..]);

    private static ulong Read64(ReadOnlySpan<byte> buffer, int offset) => MemoryMarshal.Read<ulong>(buffer[offset..]);

    private static FileKind KindOf(int mode) => (mode & TypeMask) switch
    {
        TypeRegular => FileKind.Regular,
        TypeDirectory => FileKind.Directory,
        TypeSymlink => FileKind.Symlink,
        TypeFifo => FileKind.Fifo,
        TypeCharacter => FileKind.CharacterDevice,
        TypeBlock => FileKind.BlockDevice,
        TypeSocket => FileKind.Socket,
        _ => FileKind.Regular,
    };

    private static FileStatus StatPortable(string path, bool followLinks)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return default;
        }

        if (!followLinks && info.LinkTarget is not null)
        {
            return new FileStatus(FileKind.Symlink, 0x1FF, 0, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), 0, 0);
        }

        FileKind kind = info is DirectoryInfo ? FileKind.Directory : FileKind.Regular;
        int permissions = OperatingSystem.IsWindows() ? 0x1A4 : (int)info.UnixFileMode;
        long size = info is FileInfo file ? file.Length : 0;
        return new FileStatus(kind, permissions, size, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds(), 0, 0);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int NativeStatx(int directoryFd, ref byte utf8Path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint NativeReadLink(string path, ref byte buffer, nint size);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint NativeRealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(nint pointer);
}
