using DkmsPack.Diagnostics;

namespace DkmsPack.Repository.Rpm;

public static class RpmRepository
{
    public static RepositoryOutcome Publish(RpmRepositoryRequest request, DateTimeOffset now) =>
        throw DkmsPackException.Options("repo rpm is not written yet");
}
