using DkmsPack.Diagnostics;

namespace DkmsPack.Repository;

/// <summary>What one <c>repo</c> run changed.</summary>
/// <param name="Added">Repository-relative paths of the packages added (or replaced) in this run.</param>
/// <param name="Unchanged">Packages given that the repository already held with the same bytes.</param>
/// <param name="Removed">Packages pruned from the index (by --keep or --replace) and their files, when no index still names them.</param>
/// <param name="Published">Repository-relative paths of the metadata files written, the entry file last.</param>
/// <param name="Warnings">Findings that did not stop the run.</param>
/// <param name="SigningFingerprint">The fingerprint of the key that signed the metadata; null when unsigned.</param>
public sealed record RepositoryOutcome(
    string Root,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Published,
    IReadOnlyList<Diagnostic> Warnings,
    string? SigningFingerprint);
