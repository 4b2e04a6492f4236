using DkmsPack.Archives.Tar;
using DkmsPack.Compression;
using DkmsPack.IO;
using DkmsPack.Model;

namespace DkmsPack.SourcePackages;

/// <summary>
/// The module tree as a source package carries it: a gzip-compressed tar with one top directory
/// <c>NAME-VERSION/</c> holding every file the binary package installs under /usr/src (dkms.conf as packaged) and
/// every tree file a project file installs elsewhere, at its path in the tree. Written with our own tar writer
/// (root:root, the entries' modes and mtimes, sorted names) and gzip without name or time, so the same tree gives the
/// same bytes (docs/source-packages.md, "The tree tarball").
/// </summary>
public static class SourceTarball
{
    /// <summary>The tarball's top directory, also the tree's name under /usr/src: <c>NAME-VERSION</c>.</summary>
    public static string TreeName(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return $"{spec.ModuleName}-{spec.ModuleVersion}";
    }

    /// <summary>The members, as (name in the tarball, entry), sorted by name so that directories precede their contents.</summary>
    public static IReadOnlyList<(string Name, PackageEntry Entry)> Members(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string top = TreeName(spec) + "/";
        var members = new SortedDictionary<string, PackageEntry>(StringComparer.Ordinal);
        foreach (PackageEntry entry in spec.SourceEntries)
        {
            string relative = entry.Path.Length > spec.SourceDirectory.Length ? entry.Path[(spec.SourceDirectory.Length + 1)..] : string.Empty;
            members[top + relative + (entry.Kind == EntryKind.Directory && relative.Length > 0 ? "/" : string.Empty)] = entry;
        }

        foreach (PackageEntry extra in spec.ExtraEntries.Where(e => e.Kind == EntryKind.File && e.TreePath is not null))
        {
            members.TryAdd(top + extra.TreePath, extra);
        }

        return [.. members.Select(m => (m.Key, m.Value))];
    }

    /// <summary>Writes the .tar.gz to <paramref name="output"/> (left open).</summary>
    public static void Write(PackageSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (Stream gzip = Compressor.Create(CompressionMethod.Gzip, Compressor.DefaultGzipLevel, output))
        using (var buffered = new BufferedStream(gzip, 1 << 16))
        using (var tar = new TarStreamWriter(buffered))
        {
            foreach ((string name, PackageEntry entry) in Members(spec))
            {
                switch (entry.Kind)
                {
                    case EntryKind.Directory:
                        tar.WriteDirectory(name, entry.Permissions, entry.ModifiedTime);
                        break;
                    case EntryKind.Symlink:
                        tar.WriteSymlink(name, entry.LinkTarget!, entry.ModifiedTime);
                        break;
                    default:
                        using (Stream content = entry.Content!.Open())
                        {
                            tar.WriteFile(name, entry.Permissions, entry.ModifiedTime, entry.Size, content);
                        }

                        break;
                }
            }
        }

        output.Flush();
    }

    /// <summary>Writes the tarball into a scratch file and returns it rewound, with its SHA-256 and size.</summary>
    public static (ScratchFile File, string Sha256, long Size) WriteScratch(PackageSpec spec, string scratchDirectory)
    {
        var file = new ScratchFile(scratchDirectory, ".tar.gz");
        try
        {
            var hashing = new HashingWriteStream(file.Stream, leaveOpen: true);
            Write(spec, hashing);
            hashing.Dispose();
            file.Rewind();
            return (file, hashing.GetSha256Hex(), hashing.BytesWritten);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
