using DkmsPack.Archives.Tar;
using DkmsPack.IO;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// data.tar as dpkg-deb writes it: a <c>./</c> root entry first, then every entry named <c>./PATH</c>,
/// directories with a trailing slash.
/// </summary>
internal sealed class DebDataArchive : IEntryArchive
{
    private readonly TarStreamWriter _tar;
    private readonly PathBuffer _name = new();

    public DebDataArchive(Stream output, long rootTime)
    {
        _tar = new TarStreamWriter(output);
        _tar.WriteDirectory("./", UnixPermissions.Directory, rootTime);
    }

    /// <summary>The entry's name in data.tar, composed in <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<char> NameOf(PackageEntry entry, PathBuffer buffer) =>
        buffer.Of("./", entry.Path, entry.Kind == EntryKind.Directory ? "/" : string.Empty);

    public void WriteDirectory(PackageEntry entry, int index) => _tar.WriteDirectory(NameOf(entry, _name), entry.Permissions, entry.ModifiedTime);

    public void WriteSymlink(PackageEntry entry, int index) => _tar.WriteSymlink(NameOf(entry, _name), entry.LinkTarget!, entry.ModifiedTime);

    public void WriteFile(PackageEntry entry, int index, Stream content) =>
        _tar.WriteFile(NameOf(entry, _name), entry.Permissions, entry.ModifiedTime, entry.Size, content);

    public void Dispose() => _tar.Dispose();
}
