using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Model;

namespace DkmsPack.Project;

/// <summary>One [[files]] table: a file (or, with a glob, files) of the tree installed outside the source directory.</summary>
/// <param name="Source">As written: relative to the module tree, or absolute inside it; * and ? in its last name.</param>
/// <param name="Destination">Absolute; ending in '/' it is the directory the file goes into under its own name.</param>
/// <param name="Mode">Permission bits, or null for the tree's rule (0755 if executable, else 0644).</param>
/// <param name="Config">deb conffile / RPM %config(noreplace); null: true under /etc.</param>
/// <param name="KeepInSource">Also ship the file in /usr/src/NAME-VERSION.</param>
public sealed record ExtraFileRule(string Source, string Destination, int? Mode, bool? Config, bool KeepInSource, int Line, int SourceLine, int DestinationLine);

/// <summary>One [[directories]] table: a directory the package owns (and removes when empty).</summary>
public sealed record ExtraDirectoryRule(string Path, int Mode, int Line);

/// <summary>One [[symlinks]] table.</summary>
public sealed record ExtraSymlinkRule(string Path, string Target, int Line);

/// <summary>A user script fragment: a file of the tree, for one hook point and one format (null: both).</summary>
public sealed record HookRule(HookPoint Point, string? Format, string Source, int Line);

/// <summary>
/// dkmspack.toml as read: every setting the file gives (null where it is silent), validated for its syntax, keys,
/// types and value forms. What depends on the tree and dkms.conf (do the sources exist, is a destination inside the
/// source directory) is checked when the spec is built (<see cref="ProjectResolver"/>), and reported together with
/// <see cref="Errors"/>.
/// </summary>
public sealed class ProjectFile
{
    /// <summary>The file's name beside dkms.conf.</summary>
    public const string FileName = "dkmspack.toml";

    /// <summary>The file as messages name it (as given, or the tree's path joined with dkmspack.toml).</summary>
    public required string DisplayPath { get; init; }

    /// <summary>The absolute path of the file.</summary>
    public required string FullPath { get; init; }

    /// <summary>Where relative paths in the file (output, templates) start: the file's own directory.</summary>
    public string Directory => Path.GetDirectoryName(FullPath)!;

    public string? Version { get; init; }

    public string? Revision { get; init; }

    public string? Maintainer { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public string? License { get; init; }

    public string? Copyright { get; init; }

    public string? Homepage { get; init; }

    public CompressionMethod? Compression { get; init; }

    public int? CompressionLevel { get; init; }

    /// <summary><c>compression-level = "9e"</c>: xz's extreme variant.</summary>
    public bool CompressionExtreme { get; init; }

    public IReadOnlyList<string>? Formats { get; init; }

    /// <summary>Absolute (resolved against <see cref="Directory"/>).</summary>
    public string? Output { get; init; }

    /// <summary>Absolute (resolved against <see cref="Directory"/>).</summary>
    public string? Templates { get; init; }

    public IReadOnlyList<string> Excludes { get; init; } = [];

    public RelationshipSet Relationships { get; init; } = RelationshipSet.Empty;

    public IReadOnlyList<ExtraFileRule> Files { get; init; } = [];

    public IReadOnlyList<ExtraDirectoryRule> Directories { get; init; } = [];

    public IReadOnlyList<ExtraSymlinkRule> Symlinks { get; init; } = [];

    /// <summary>changelog = "FILE": a Debian changelog in the tree, and the line that names it.</summary>
    public (string Path, int Line)? ChangelogFile { get; init; }

    /// <summary>[[changelog]] tables, newest first.</summary>
    public IReadOnlyList<ChangelogEntry> ChangelogEntries { get; init; } = [];

    /// <summary>hooks.udev: null lets dkmspack decide (reload when udev rules are shipped).</summary>
    public bool? ReloadUdev { get; init; }

    public IReadOnlyList<HookRule> Hooks { get; init; } = [];

    /// <summary>What is wrong with the file; reported with the resolver's findings, all at once.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];
}
