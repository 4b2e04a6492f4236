using DkmsPack.Archives.Cpio;
using DkmsPack.IO;
using DkmsPack.Model;

namespace DkmsPack.Packaging.Rpm;

/// <summary>
/// The cpio newc payload as rpmbuild writes it: every entry named <c>./PATH</c>, inode numbers 1, 2, … in entry
/// order (the same numbers as the header's FILEINODES).
/// </summary>
internal sealed class RpmPayloadArchive(Stream output) : IEntryArchive
{
    private readonly CpioNewcWriter _cpio = new(output, leaveOpen: true);
    private readonly PathBuffer _name = new();

    public void WriteDirectory(PackageEntry entry, int index) => _cpio.WriteDirectory(_name.Of("./", entry.Path), entry.Permissions, entry.ModifiedTime, Inode(index));

    public void WriteSymlink(PackageEntry entry, int index) => _cpio.WriteSymlink(_name.Of("./", entry.Path), entry.LinkTarget!, entry.ModifiedTime, Inode(index));

    public void WriteFile(PackageEntry entry, int index, Stream content) =>
        _cpio.WriteFile(_name.Of("./", entry.Path), entry.Permissions, entry.ModifiedTime, Inode(index), entry.Size, content);

    public void Dispose() => _cpio.Dispose();

    private static long Inode(int index) => index + 1L;
}
