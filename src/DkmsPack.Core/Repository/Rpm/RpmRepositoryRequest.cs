namespace DkmsPack.Repository.Rpm;

/// <summary>A <c>repo rpm</c> run: the shared options (the packages go to the repository's top directory).</summary>
public sealed record RpmRepositoryRequest : RepositoryRequest;
