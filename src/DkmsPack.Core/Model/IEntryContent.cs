using DkmsPack.Diagnostics;

namespace DkmsPack.Model;

/// <summary>The bytes of a packaged file, opened on demand so a large tree is never held in memory.</summary>
public interface IEntryContent
{
    long Length { get; }

    Stream Open();
}

/// <summary>A file on disk, streamed when the package is written.</summary>
public sealed class DiskContent(string fullPath, long length) : IEntryContent
{
    public string FullPath { get; } = fullPath;

    public long Length { get; } = length;

    /// <summary>Opens the file unbuffered (the writers copy in large blocks), failing with a message that names it.</summary>
    public Stream Open()
    {
        try
        {
            return new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Nothing has been committed yet: the package is still a temporary file, deleted on this error.
            throw Unreadable(FullPath, ex);
        }
    }

    internal static DkmsPackException Unreadable(string path, Exception ex) =>
        DkmsPackException.Input(path, $"cannot be read ({ex.Message.TrimEnd('.')})", "fix its permissions or exclude it", DiagnosticCode.SourceTree, ex);
}

/// <summary>Generated content (a rewritten dkms.conf, a copyright file) held in memory.</summary>
public sealed class MemoryContent(byte[] bytes) : IEntryContent
{
    public MemoryContent(string text)
        : this(System.Text.Encoding.UTF8.GetBytes(text))
    {
    }

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public long Length => Bytes.Length;

    public Stream Open() => new MemoryStream(bytes, writable: false);
}
