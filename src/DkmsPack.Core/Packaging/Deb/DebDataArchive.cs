using DkmsPack.Archives.Tar;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Deb;

/// <summary>
/// data.tar as dpkg-deb writes it: a <c>./</c> root entry first, then every entry named <c>./PATH</c>,
/// directories with a trailing slash.
/// </summary>
internal sealed class DebDataArchive : IEntryArchive
{
    private readonly TarStreamWriter _tar;

    public DebDataArchive(Stream output, long rootTime)
    {
        _tar = new TarStreamWriter(output);
        _tar.WriteDirectory("./", UnixPermissions.Directory, rootTime);
    }

    public void WriteDirectory(PackageEntry entry, int index) => _tar.WriteDirectory("./" + entry.Path + "/", entry.Permissions, entry.ModifiedTime);

    public void WriteSymlink(PackageEntry entry, int index) => _tar.WriteSymlink("./" + entry.Path, entry.LinkTarget!, entry.ModifiedTime);

    public void WriteFile(PackageEntry entry, int index, Stream content) =>
        _tar.WriteFile("./" + entry.Path, entry.Permissions, entry.ModifiedTime, entry.Size, content);

    public void Dispose() => _tar.Dispose();
}
