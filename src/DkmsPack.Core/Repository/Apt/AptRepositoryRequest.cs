namespace DkmsPack.Repository.Apt;

/// <summary>A <c>repo apt</c> run: the shared options plus the suite it updates.</summary>
public sealed record AptRepositoryRequest : RepositoryRequest
{
    /// <summary>The suite (dists/SUITE/) to update; other suites in the repository are left as they are.</summary>
    public string Suite { get; init; } = "stable";

    /// <summary>The Release file's Codename; null: the suite.</summary>
    public string? Codename { get; init; }

    /// <summary>Architectures to index; null: the suite's current ones, else those of the packages plus <see cref="AptRepository.DefaultArchitectures"/>.</summary>
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>The Release file's Origin and Label; null: the repository name.</summary>
    public string? Origin { get; init; }

    public string? Label { get; init; }
}
