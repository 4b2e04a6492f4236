using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Source;

/// <summary>
/// Reads a module source tree into package entries: what to ship, with normalised modes
/// and clamped mtimes. It never follows directory symlinks and never reads file contents.
/// </summary>
public static class SourceTree
{
    /// <summary>
    /// Lists the tree under <paramref name="root"/> as entries installed below <paramref name="installDirectory"/>
    /// (which is itself the first entry), sorted by path with ordinal comparison.
    /// </summary>
    /// <param name="root">The module tree on disk.</param>
    /// <param name="installDirectory">Install path without leading slash, e.g. <c>usr/src/foo-1.0</c>.</param>
    /// <param name="clampTime">SOURCE_DATE_EPOCH: later mtimes are lowered to it (dpkg-deb's --clamp-mtime).</param>
    /// <param name="directoryTime">mtime of the install directory itself, which is not a directory on disk.</param>
    /// <param name="isExcluded">Decides, from a path relative to <paramref name="root"/>, what is left out.</param>
    /// <param name="replacements">Relative paths whose content is replaced (the rewritten dkms.conf).</param>
    public static List<PackageEntry> Scan(
        string root,
        string installDirectory,
        long? clampTime,
        long directoryTime,
        Func<string, bool> isExcluded,
        IReadOnlyDictionary<string, IEntryContent> replacements)
    {
        var entries = new List<PackageEntry> { PackageEntry.Directory(installDirectory, directoryTime) };
        Walk(new DirectoryInfo(root), string.Empty);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;

        void Walk(DirectoryInfo directory, string relativeDirectory)
        {
            FileSystemInfo[] children;
            try
            {
                children = directory.GetFileSystemInfos();
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Unreadable(directory.FullName, ex);
            }

            foreach (FileSystemInfo child in children)
            {
                string relative = relativeDirectory.Length == 0 ? child.Name : relativeDirectory + "/" + child.Name;
                if (isExcluded(relative))
                {
                    continue;
                }

                string installPath = installDirectory + "/" + relative;
                long mtime = Clamp(child.LastWriteTimeUtc, clampTime);
                // Attributes come with the directory listing; readlink(2) is asked only of actual links.
                if ((child.Attributes & FileAttributes.ReparsePoint) != 0 && child.LinkTarget is { } target)
                {
                    entries.Add(PackageEntry.Symlink(installPath, target, mtime));
                }
                else if (child is DirectoryInfo subdirectory)
                {
                    entries.Add(PackageEntry.Directory(installPath, mtime));
                    Walk(subdirectory, relative);
                }
                else if (child is FileInfo file && IsRegularFile(file))
                {
                    IEntryContent content = replacements.TryGetValue(relative, out IEntryContent? replaced)
                        ? replaced
                        : new DiskContent(file.FullName, file.Length);
                    entries.Add(PackageEntry.File(installPath, UnixPermissions.NormaliseFile(Mode(file)), content, mtime));
                }
                else
                {
                    throw DkmsPackException.Input(child.FullName, "not a regular file, directory or symlink (a device, FIFO or socket)", "remove it from the module tree", DiagnosticCode.SourceTree);
                }
            }
        }
    }

    private static DkmsPackException Unreadable(string path, Exception ex) => DiskContent.Unreadable(path, ex);

    private static long Clamp(DateTime modifiedUtc, long? clampTime)
    {
        long seconds = new DateTimeOffset(modifiedUtc, TimeSpan.Zero).ToUnixTimeSeconds();
        return clampTime is { } clamp && seconds > clamp ? clamp : seconds;
    }

    private static bool IsRegularFile(FileInfo file) =>
        OperatingSystem.IsWindows() || (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0;

    private static UnixFileMode Mode(FileInfo file) =>
        OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : file.UnixFileMode;
}
