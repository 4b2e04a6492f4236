using System.Security.Cryptography;
using DkmsPack.Model;

namespace DkmsPack.Packaging;

/// <summary>
/// The archive a format's package entries go into (a deb's data.tar, an RPM's cpio payload): the format's adapter
/// over one of the archive writers, naming the entries as that format wants them.
/// </summary>
public interface IEntryArchive : IDisposable
{
    void WriteDirectory(PackageEntry entry, int index);

    void WriteSymlink(PackageEntry entry, int index);

    /// <summary>Writes a regular file whose exactly <see cref="PackageEntry.Size"/> bytes come from <paramref name="content"/>.</summary>
    void WriteFile(PackageEntry entry, int index, Stream content);
}

/// <summary>The one loop over a package's entries that every format shares: archiving, per-file digests, progress.</summary>
public static class EntryArchiving
{
    /// <summary>
    /// Writes every entry into <paramref name="archive"/> in order, hashing each regular file's content on the way with
    /// <paramref name="digest"/> (each file is read once, all through one reader and one hashing stream); returns each
    /// regular file's digest by entry index.
    /// </summary>
    public static FileDigests WriteAll(IEntryArchive archive, IReadOnlyList<PackageEntry> entries, HashAlgorithmName digest, ProgressCounter progress)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(progress);
        var digests = new FileDigests(entries.Count, digest);
        using IncrementalHash hash = IncrementalHash.CreateHash(digest);
        using var reader = new ContentReader();
        using var hashing = new IO.HashingReadStream(hash);
        for (int i = 0; i < entries.Count; i++)
        {
            PackageEntry entry = entries[i];
            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    archive.WriteDirectory(entry, i);
                    break;
                case EntryKind.Symlink:
                    archive.WriteSymlink(entry, i);
                    break;
                default:
                    archive.WriteFile(entry, i, hashing.Reading(reader.Open(entry.Content!)));
                    hashing.WriteDigest(digests.Slot(i));

                    progress.FileWritten(entry.Size);
                    break;
            }
        }

        return digests;
    }
}
