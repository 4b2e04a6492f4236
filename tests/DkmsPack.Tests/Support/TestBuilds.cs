using DkmsPack.Compression;
using DkmsPack.Packaging;

namespace DkmsPack.Tests.Support;

/// <summary>Builds packages in-process with fixed, reproducible defaults.</summary>
internal static class TestBuilds
{
    /// <summary>2026-01-01T00:00:00Z: a fixed SOURCE_DATE_EPOCH for tests.</summary>
    public const string Epoch = "1767225600";

    public static BuildRequest Request(string source, string output) => new()
    {
        SourceDirectory = source,
        OutputDirectory = output,
        Maintainer = "Test Maintainer <test@example.org>",
        SourceDateEpoch = Epoch,
        Compression = CompressionMethod.Gzip,
    };

    public static BuiltPackage Build(BuildRequest request, string format) =>
        PackageBuild.Run(request, PackageFormats.Select([format]), DateTimeOffset.UnixEpoch).Packages.Single();
}
