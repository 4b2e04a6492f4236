using DkmsPack.Diagnostics;
using DkmsPack.IO;

namespace DkmsPack.Model;

/// <summary>The bytes of a packaged file, opened on demand so a large tree is never held in memory.</summary>
public interface IEntryContent
{
    long Length { get; }

    Stream Open();
}

/// <summary>
/// Opens entry contents one after another, for the loops over every file of a tree: the files of the tree are all read
/// through one <see cref="FileReadStream"/>, so a large tree costs no stream, handle or path per file.
/// </summary>
public sealed class ContentReader : IDisposable
{
    private readonly FileReadStream _file = new();
    private Stream? _other;

    /// <summary>Closes the content opened before, then opens <paramref name="content"/>; valid until the next call.</summary>
    public Stream Open(IEntryContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Close();
        if (content is DiskContent disk)
        {
            disk.OpenInto(_file);
            return _file;
        }

        return _other = content.Open();
    }

    /// <summary>Closes the content opened last.</summary>
    public void Close()
    {
        _file.CloseFile();
        _other?.Dispose();
        _other = null;
    }

    public void Dispose()
    {
        Close();
        _file.Dispose();
    }
}

/// <summary>A file on disk, streamed when the package is written.</summary>
public sealed class DiskContent : IEntryContent
{
    private readonly string _pathStart;
    private readonly string? _pathEnd;
    private readonly int _pathEndOffset;

    public DiskContent(string fullPath, long length)
    {
        _pathStart = fullPath;
        Length = length;
    }

    /// <summary>
    /// A file of a scanned tree at <paramref name="root"/> followed by <paramref name="path"/> from
    /// <paramref name="offset"/> on: the tree's root and the entry's install path are strings the scan holds anyway,
    /// so a large tree keeps no second path per file.
    /// </summary>
    public DiskContent(string root, string path, int offset, long length)
    {
        _pathStart = root;
        _pathEnd = path;
        _pathEndOffset = offset;
        Length = length;
    }

    public string FullPath => _pathEnd is null ? _pathStart : string.Concat(_pathStart, _pathEnd.AsSpan(_pathEndOffset));

    public long Length { get; }

    /// <summary>Opens the file unbuffered (the writers copy in large blocks), failing with a message that names it.</summary>
    public Stream Open()
    {
        var stream = new FileReadStream();
        try
        {
            OpenInto(stream);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the file in <paramref name="stream"/>, instead of the file it read before. The path is composed on the
    /// stack: this runs once for every file of the tree.
    /// </summary>
    internal void OpenInto(FileReadStream stream)
    {
        ReadOnlySpan<char> end = _pathEnd.AsSpan(_pathEnd is null ? 0 : _pathEndOffset);
        int length = _pathStart.Length + end.Length;
        Span<char> path = length <= FileStatusReader.PathMax ? stackalloc char[length] : new char[length];
        _pathStart.CopyTo(path);
        end.CopyTo(path[_pathStart.Length..]);
        try
        {
            stream.Reopen(path);
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
