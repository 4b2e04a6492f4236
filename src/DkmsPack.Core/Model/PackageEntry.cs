namespace DkmsPack.Model;

/// <summary>What kind of file-system object a package entry is.</summary>
public enum EntryKind
{
    Directory,
    File,
    Symlink,
}

/// <summary>
/// One object the package installs. <see cref="Path"/> is the absolute install path without its
/// leading slash (<c>usr/src/foo-1.0/Makefile</c>); directories carry no trailing slash.
/// Ownership is always root:root, so it is not modelled.
/// </summary>
public sealed class PackageEntry
{
    private PackageEntry(string path, EntryKind kind, int permissions, long size, long modifiedTime, string? linkTarget, IEntryContent? content, bool isConfig = false, string? treePath = null)
    {
        IsConfig = isConfig;
        TreePath = treePath;
        Path = path;
        Kind = kind;
        Permissions = permissions;
        Size = size;
        ModifiedTime = modifiedTime;
        LinkTarget = linkTarget;
        Content = content;
    }

    /// <summary>Install path relative to <c>/</c>, with '/' separators and no trailing slash.</summary>
    public string Path { get; }

    public EntryKind Kind { get; }

    /// <summary>Permission bits only (e.g. 0o755), never the file-type bits.</summary>
    public int Permissions { get; }

    /// <summary>Content length for files, target length for symlinks, 0 for directories.</summary>
    public long Size { get; }

    /// <summary>Modification time in seconds since the Unix epoch.</summary>
    public long ModifiedTime { get; }

    public string? LinkTarget { get; }

    public IEntryContent? Content { get; }

    /// <summary>A configuration file the user may edit: deb conffiles, RPM %config(noreplace). Only files under /etc.</summary>
    public bool IsConfig { get; }

    /// <summary>For a file a project file installs outside the source directory: its path in the module tree ('/' separators).</summary>
    public string? TreePath { get; }

    public static PackageEntry Directory(string path, long modifiedTime) =>
        new(path, EntryKind.Directory, UnixPermissions.Directory, 0, modifiedTime, null, null);

    public static PackageEntry File(string path, int permissions, IEntryContent content, long modifiedTime) =>
        new(path, EntryKind.File, permissions, content.Length, modifiedTime, null, content);

    /// <summary>A file a project file installs: <paramref name="treePath"/> is where it comes from in the module tree.</summary>
    public static PackageEntry Extra(string path, int permissions, IEntryContent content, long modifiedTime, bool isConfig, string treePath) =>
        new(path, EntryKind.File, permissions, content.Length, modifiedTime, null, content, isConfig, treePath);

    public static PackageEntry Directory(string path, int permissions, long modifiedTime) =>
        new(path, EntryKind.Directory, permissions, 0, modifiedTime, null, null);

    public static PackageEntry Symlink(string path, string target, long modifiedTime) =>
        new(path, EntryKind.Symlink, UnixPermissions.Symlink, System.Text.Encoding.UTF8.GetByteCount(target), modifiedTime, target, null);

    public override string ToString() => Path;
}

/// <summary>The normalised permission sets dkmspack installs (Debian policy; the same for RPM).</summary>
public static class UnixPermissions
{
    public const int Directory = 0b111_101_101; // 0755
    public const int Executable = 0b111_101_101; // 0755
    public const int Regular = 0b110_100_100; // 0644
    public const int Symlink = 0b111_111_111; // 0777, as lstat reports it

    /// <summary>Regular files keep only "is it executable": 0755 if any execute bit was set, else 0644.</summary>
    public static int NormaliseFile(UnixFileMode mode) =>
        (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0 ? Executable : Regular;
}
