namespace DkmsPack.Archives.Rpm;

/// <summary>rpmfileAttrs bits of FILEFLAGS (rpmfiles.h).</summary>
public static class RpmFileFlags
{
    public const uint None = 0;

    /// <summary>RPMFILE_CONFIG: %config; rpm -c lists it, and rpm keeps a user's changes of it.</summary>
    public const uint Config = 1 << 0;

    /// <summary>RPMFILE_DOC: %doc; rpm -d lists it, --excludedocs leaves it out.</summary>
    public const uint Doc = 1 << 1;

    /// <summary>RPMFILE_NOREPLACE: with Config, %config(noreplace): a changed file stays, the new one goes to .rpmnew.</summary>
    public const uint NoReplace = 1 << 4;

    /// <summary>RPMFILE_SPECFILE: the spec of a source package.</summary>
    public const uint SpecFile = 1 << 5;
}

/// <summary>
/// The per-file arrays of an rpm main header (docs/rpm-format.md, "File tables"), gathered one file at a time in
/// columns, so a large tree costs a few array slots and its strings' bytes per file rather than objects. Paths are split into
/// BASENAMES and DIRNAMES/DIRINDEXES (rpmlib(CompressedFileNames)); every file is owned by root:root.
/// </summary>
public sealed class RpmFileTable
{
    /// <summary>RPMVERIFY_ALL: verify every attribute (rpmfiles.h).</summary>
    private const uint VerifyAll = 0xFFFFFFFF;

    /// <summary>The device number rpmbuild records for every file of a package (all files on one "device").</summary>
    private const uint PackageDevice = 1;

    private const string Owner = "root";

    /// <summary>What a basename takes in its column on a typical tree (a C source name and its NUL), to size it.</summary>
    private const int TypicalBaseNameBytes = 16;

    private readonly List<string> _dirNames = [];
    private readonly Dictionary<string, uint> _dirIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint>.AlternateLookup<ReadOnlySpan<char>> _dirIndexByName;
    private readonly List<uint> _dirIndexes;
    private readonly RpmStringColumn _baseNames;
    private readonly List<uint> _sizes;
    private readonly List<ushort> _modes;
    private readonly List<uint> _mtimes;
    private readonly RpmStringColumn _digests;
    private readonly RpmStringColumn _linkTargets;
    private readonly List<uint> _flags;

    /// <summary>A table for about <paramref name="expectedCount"/> files: sized once, a large tree's columns are not regrown (and copied) as they fill.</summary>
    /// <param name="expectedCount">How many files will be added (more may be).</param>
    /// <param name="digestLength">The length of one digest in hex, e.g. 64 for SHA-256; a directory's or symlink's is empty, so this is an upper bound.</param>
    public RpmFileTable(int expectedCount = 0, int digestLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        ArgumentOutOfRangeException.ThrowIfNegative(digestLength);
        _dirIndexByName = _dirIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _dirIndexes = new(expectedCount);
        _baseNames = new(checked(expectedCount * TypicalBaseNameBytes));
        _sizes = new(expectedCount);
        _modes = new(expectedCount);
        _mtimes = new(expectedCount);
        _digests = new(checked(expectedCount * (digestLength + 1)));
        _linkTargets = new(expectedCount);
        _flags = new(expectedCount);
    }

    public int Count => _baseNames.Count;

    /// <summary>
    /// Adds one file. <paramref name="path"/> is absolute (<c>/usr/src/foo-1.0/Makefile</c>); <paramref name="mode"/>
    /// is the full st_mode with the type bits (FILEMODES is INT16); <paramref name="digest"/> is the hex digest of a
    /// regular file's content and empty otherwise; <paramref name="linkTarget"/> is empty except for symlinks.
    /// </summary>
    /// <exception cref="ArchiveLimitException">A size or time does not fit the INT32 arrays.</exception>
    /// <param name="flags">rpmfileAttrs bits (<see cref="RpmFileFlags"/>): %config, %doc, noreplace.</param>
    public void Add(string path, ushort mode, long size, long modifiedTime, string digest, string linkTarget, uint flags = RpmFileFlags.None)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(linkTarget);
        Add(path.AsSpan(), mode, size, modifiedTime, digest.AsSpan(), linkTarget.AsSpan(), flags);
    }

    /// <inheritdoc cref="Add(string, ushort, long, long, string, string, uint)"/>
    /// <remarks>Spans, so a caller adding thousands of files can pass them from reused buffers: the table itself keeps
    /// only the bytes of each value and one string per directory.</remarks>
    public void Add(ReadOnlySpan<char> path, ushort mode, long size, long modifiedTime, ReadOnlySpan<char> digest, ReadOnlySpan<char> linkTarget, uint flags = RpmFileFlags.None)
    {
        int slash = path.LastIndexOf('/');
        ReadOnlySpan<char> directory = path[..(slash + 1)];
        if (!_dirIndexByName.TryGetValue(directory, out uint index))
        {
            index = (uint)_dirNames.Count;
            string name = directory.ToString();
            _dirNames.Add(name);
            _dirIndex.Add(name, index);
        }

        _dirIndexes.Add(index);
        _baseNames.Add(path[(slash + 1)..]);
        _sizes.Add(Int32Field(size, path, "size"));
        _modes.Add(mode);
        _mtimes.Add(Int32Field(modifiedTime, path, "modification time"));
        _digests.Add(digest);
        _linkTargets.Add(linkTarget);
        _flags.Add(flags);
    }

    /// <summary>Adds the file arrays to <paramref name="header"/>, in the order the files were added (the payload's order).</summary>
    public void AddTo(RpmHeaderBuilder header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int count = Count;
        header
            .AddInt32Array(RpmTag.FileSizes, _sizes)
            .AddInt16Array(RpmTag.FileModes, _modes)
            .AddInt16Array(RpmTag.FileRdevs, count, _ => 0)
            .AddInt32Array(RpmTag.FileMtimes, _mtimes)
            .AddStringArray(RpmTag.FileDigests, _digests)
            .AddStringArray(RpmTag.FileLinkTos, _linkTargets)
            .AddInt32Array(RpmTag.FileFlags, _flags)
            .AddStringArray(RpmTag.FileUserName, Owner, count)
            .AddStringArray(RpmTag.FileGroupName, Owner, count)
            .AddInt32Array(RpmTag.FileVerifyFlags, count, _ => VerifyAll)
            .AddInt32Array(RpmTag.FileDevices, count, _ => PackageDevice)
            .AddInt32Array(RpmTag.FileInodes, count, i => (uint)(i + 1))
            .AddStringArray(RpmTag.FileLangs, string.Empty, count)
            .AddInt32Array(RpmTag.DirIndexes, _dirIndexes)
            .AddStringArray(RpmTag.BaseNames, _baseNames)
            .AddStringArray(RpmTag.DirNames, _dirNames);
    }

    private static uint Int32Field(long value, ReadOnlySpan<char> path, string what) =>
        value is >= 0 and <= uint.MaxValue
            ? (uint)value
            : throw new ArchiveLimitException($"{path.ToString()}: its {what} does not fit rpm's 32-bit file tables");
}
