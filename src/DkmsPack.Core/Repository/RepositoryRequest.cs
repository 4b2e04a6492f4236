using DkmsPack.Packaging;

namespace DkmsPack.Repository;

/// <summary>What a <c>repo apt</c> or <c>repo rpm</c> run is asked to do; the options the two formats share.</summary>
public record RepositoryRequest
{
    /// <summary>The repository's top directory (created when missing).</summary>
    public required string RepositoryDirectory { get; init; }

    /// <summary>Package files to add; none is allowed (then the metadata and the user files are written again).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>A package already in the repository with other bytes replaces the old one instead of failing.</summary>
    public bool Replace { get; init; }

    /// <summary>Keep only the newest N versions of each package and architecture; null keeps all.</summary>
    public int? Keep { get; init; }

    /// <summary>The key to sign the metadata with; null leaves it unsigned (a warning: apt and dnf with repo_gpgcheck refuse it).</summary>
    public SigningRequest? Signing { get; init; }

    /// <summary>The environment's SOURCE_DATE_EPOCH, verbatim: the metadata's date and the signatures' time.</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary>The name of the user files (NAME.sources, NAME.repo, NAME.asc, NAME.gpg); null: from the packages.</summary>
    public string? Name { get; init; }

    /// <summary>Where the repository will be served from (the URL in NAME.sources / NAME.repo); null: file:// of its directory.</summary>
    public string? Url { get; init; }
}
