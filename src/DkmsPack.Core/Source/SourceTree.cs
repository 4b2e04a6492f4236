using System.Globalization;
using System.IO.Enumeration;
using System.Text;
using System.Text.Unicode;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Model;

namespace DkmsPack.Source;

/// <summary>
/// Reads a module tree into package entries: what to ship, with normalised modes and clamped mtimes. It never
/// follows directory symlinks and never reads file contents. Every entry's kind, mode, size and mtime come from one
/// lstat (statx) of it, because a directory listing cannot tell a FIFO, socket or device from a file on Linux, and
/// opening a FIFO blocks for ever. Everything a package cannot carry faithfully is refused here, before anything
/// is written, each with one error naming the path.
/// </summary>
public static class SourceTree
{
    /// <summary>
    /// The one mtime rule for every format: after SOURCE_DATE_EPOCH has lowered later times, an mtime must lie in
    /// 0 .. 2^32 - 1 (1970-01-01 to 2106-02-07 06:28:15 UTC). That is the range of the narrowest field that stores it:
    /// the cpio newc mtime (8 hex digits, cpio(5)) and RPM's FILEMTIMES (INT32, read unsigned), both in the .rpm.
    /// A .deb could hold more (tar octal reaches 2242, base-256 further), but the same tree must give the same
    /// packages in every format, and dpkg-deb itself records nothing before 1970 either; so one rule, checked here.
    /// </summary>
    public const long LatestModifiedTime = uint.MaxValue;

    private static readonly EnumerationOptions s_listing = new()
    {
        // Names only: the defaults would skip dot files (Hidden on Unix) and swallow unreadable directories.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// Lists the tree under <paramref name="root"/> as entries installed below <paramref name="installDirectory"/>
    /// (which is itself the first entry), sorted by path with ordinal comparison.
    /// </summary>
    /// <param name="root">The module tree on disk.</param>
    /// <param name="installDirectory">Install path without leading slash, e.g. <c>usr/src/foo-1.0</c>.</param>
    /// <param name="clampTime">SOURCE_DATE_EPOCH: later mtimes are lowered to it (dpkg-deb's --clamp-mtime).</param>
    /// <param name="directoryTime">mtime of the install directory itself, which is not a directory on disk.</param>
    /// <param name="isExcluded">Decides, from a path relative to <paramref name="root"/>, what is left out; it is asked before the entry is looked at.</param>
    /// <exception cref="DkmsPackException">An entry cannot be packaged (exit 2), naming it.</exception>
    public static List<PackageEntry> Scan(string root, string installDirectory, long? clampTime, long directoryTime, TreePathFilter isExcluded)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(installDirectory);
        ArgumentNullException.ThrowIfNull(isExcluded);
        var entries = new List<PackageEntry> { PackageEntry.Directory(installDirectory, directoryTime) };
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string rootPrefix = fullRoot + "/";
        int relativeStart = installDirectory.Length + 1;
        var diskPath = new PathBuffer();
        Walk(fullRoot, installDirectory);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        RefuseDuplicates(entries, root, installDirectory);
        return entries;

        // An entry's install path is the one string made for it, and the entry keeps it: its path in the tree and its
        // path on disk are spans, of that string and of one buffer reused for every entry.
        void Walk(string directory, string installedAs)
        {
            foreach (string installPath in List(directory, installedAs))
            {
                ReadOnlySpan<char> relative = installPath.AsSpan(relativeStart);
                if (isExcluded(relative))
                {
                    continue;
                }

                // Valid until the next entry: a directory's walk below reuses the buffer.
                ReadOnlySpan<char> path = diskPath.Of(rootPrefix, relative);
                FileStatus status = Lstat(path, directory, installPath);
                long mtime = CheckedTime(path, status, clampTime);
                switch (status.Kind)
                {
                    case FileKind.Symlink:
                        entries.Add(PackageEntry.Symlink(installPath, LinkTarget(path.ToString()), mtime));
                        break;
                    case FileKind.Directory:
                        entries.Add(PackageEntry.Directory(installPath, mtime));
                        Walk(path.ToString(), installPath);
                        break;
                    case FileKind.Regular:
                        var content = new DiskContent(rootPrefix, installPath, relativeStart, status.Size);
                        entries.Add(PackageEntry.File(installPath, UnixPermissions.NormaliseFile((UnixFileMode)status.Permissions), content, mtime));
                        break;
                    default:
                        throw Refuse(path, $"is {Describe(status.Kind)}: a package carries only files, directories and symlinks", ExcludeRemedy);
                }
            }
        }
    }

    private static string ExcludeRemedy => $"remove it, or exclude it with {OptionRef.To("exclude")}";

    /// <summary>The install paths of the entries of <paramref name="directory"/>, which is installed as <paramref name="installedAs"/>.</summary>
    private static List<string> List(string directory, string installedAs)
    {
        try
        {
            return [.. new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => string.Concat(installedAs, "/", entry.FileName), s_listing)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw DiskContent.Unreadable(Display(directory), ex);
        }
    }

    /// <summary>The entry's status, after refusing the names a package (or .NET) cannot carry.</summary>
    private static FileStatus Lstat(ReadOnlySpan<char> path, string directory, string installPath)
    {
        ReadOnlySpan<char> name = installPath.AsSpan(installPath.LastIndexOf('/') + 1);
        // deb-md5sums(5) and dpkg's file lists are one path a line, and dpkg-deb refuses "newline not allowed in
        // pathname"; every other byte but NUL (tabs, CR, other controls) dpkg, tar and cpio carry as they are.
        if (name.Contains('\n'))
        {
            throw Refuse(path, "its name contains a newline, which dpkg refuses in a package", "rename it");
        }

        int pathBytes = Encoding.UTF8.GetByteCount(path);
        int installBytes = Encoding.UTF8.GetByteCount(installPath) + 1; // with its leading '/'
        if (Math.Max(pathBytes, installBytes) >= FileStatusReader.PathMax)
        {
            throw Refuse(
                directory,
                string.Create(CultureInfo.InvariantCulture, $"holds \"{Display(name.ToString())}\", whose path is {pathBytes} bytes here and {installBytes} once installed, past Linux's PATH_MAX ({FileStatusReader.PathMax})"),
                $"shorten the directory names, or exclude it with {OptionRef.To("exclude")}");
        }

        FileStatus status;
        try
        {
            status = FileStatusReader.Lstat(path);
        }
        catch (IOException ex)
        {
            throw DiskContent.Unreadable(Display(path.ToString()), ex);
        }

        if (status.Kind == FileKind.Missing)
        {
            // .NET decodes names as UTF-8 and puts U+FFFD for bytes that are not; such a name, encoded again, names
            // nothing. A package could carry the bytes, but not through .NET's strings, so say so.
            throw name.Contains('\uFFFD')
                ? Refuse(path, "its name is not valid UTF-8 (shown with U+FFFD for the bytes that are not)", "rename it to UTF-8, e.g. with convmv")
                : Refuse(path, "disappeared while the tree was being read", "run again when nothing is changing the tree");
        }

        return status;
    }

    /// <summary>The link's target, read as bytes so a target that is not UTF-8 is refused, not rewritten.</summary>
    private static string LinkTarget(string path)
    {
        byte[] target;
        try
        {
            target = FileStatusReader.ReadLink(path);
        }
        catch (IOException ex)
        {
            throw DiskContent.Unreadable(Display(path), ex);
        }

        return Utf8.IsValid(target)
            ? Encoding.UTF8.GetString(target)
            : throw Refuse(path, "is a symlink whose target is not valid UTF-8", "point it at a UTF-8 path");
    }

    /// <summary>Applies SOURCE_DATE_EPOCH, then <see cref="LatestModifiedTime"/>'s rule.</summary>
    internal static long CheckedTime(ReadOnlySpan<char> path, FileStatus status, long? clampTime)
    {
        long mtime = clampTime is { } clamp && status.ModifiedTime > clamp ? clamp : status.ModifiedTime;
        string touch = status.Kind == FileKind.Symlink ? "touch -h it" : "touch it";
        if (mtime < 0)
        {
            throw Refuse(path, $"was last modified {Describe(mtime)}, before 1970, which packages cannot record", touch);
        }

        if (mtime > LatestModifiedTime)
        {
            throw Refuse(
                path,
                $"was last modified {Describe(mtime)}, after {Describe(LatestModifiedTime)}, the last time rpm's and cpio's 32-bit fields hold",
                $"{touch}, or set SOURCE_DATE_EPOCH, which lowers later mtimes to it");
        }

        return mtime;
    }

    /// <summary>Two entries of one path can only come from names that were not UTF-8 and decoded alike.</summary>
    private static void RefuseDuplicates(List<PackageEntry> sorted, string root, string installDirectory)
    {
        for (int i = 1; i < sorted.Count; i++)
        {
            if (string.Equals(sorted[i].Path, sorted[i - 1].Path, StringComparison.Ordinal))
            {
                string path = Path.Combine(root, sorted[i].Path[(installDirectory.Length + 1)..]);
                throw Refuse(path, "two names in its directory read as this one: at least one is not valid UTF-8", "rename it to UTF-8, e.g. with convmv");
            }
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "of an unknown kind",
    };

    private static string Describe(long seconds) =>
        seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"at {seconds} seconds since 1970");

    private static DkmsPackException Refuse(ReadOnlySpan<char> path, string message, string remedy) =>
        DkmsPackException.Input(Display(path.ToString()), message, remedy, DiagnosticCode.SourceTree);

    /// <summary>
    /// The path as one printable line: control characters as C escapes (\n, \t, \x01), so an error about a name
    /// with a newline stays one line, and the terminal is not driven by bytes from the tree.
    /// </summary>
    internal static string Display(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }

        var shown = new StringBuilder(path.Length + 8);
        foreach (char c in path)
        {
            _ = c switch
            {
                '\n' => shown.Append(@"\n"),
                '\t' => shown.Append(@"\t"),
                '\r' => shown.Append(@"\r"),
                '\\' => shown.Append(@"\\"),
                _ when char.IsControl(c) => shown.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => shown.Append(c),
            };
        }

        return shown.ToString();
    }
}
