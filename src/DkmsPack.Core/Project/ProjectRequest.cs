using DkmsPack.Packaging;

namespace DkmsPack.Project;

/// <summary>
/// Lays a project file under the command line: a setting given on the command line wins, then the project file's,
/// then what dkmspack derives from dkms.conf and the sources, then the defaults. Excludes add up.
/// </summary>
public static class ProjectRequest
{
    /// <param name="request">The request as the command line gives it, defaults included.</param>
    /// <param name="project">The project file, or null.</param>
    /// <param name="given">The option keys the command line gave explicitly (revision, compression, output, …): a
    /// default of the command line does not hide the project file's value.</param>
    public static BuildRequest Apply(BuildRequest request, ProjectFile? project, IReadOnlySet<string> given)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(given);
        if (project is null)
        {
            return request;
        }

        bool compressionGiven = given.Contains("compression");

        // A level belongs to its method: the project's level (and its xz "e") only goes with the project's method.
        bool projectLevelApplies = !(compressionGiven && project.Compression != request.Compression);
        return request with
        {
            Project = project,
            Version = request.Version ?? project.Version,
            Revision = given.Contains("revision") ? request.Revision : project.Revision ?? request.Revision,
            Maintainer = request.Maintainer ?? project.Maintainer,
            Summary = request.Summary ?? project.Summary,
            Description = request.Description ?? project.Description,
            License = request.License ?? project.License,
            Copyright = request.Copyright ?? project.Copyright,
            Homepage = request.Homepage ?? project.Homepage,
            Compression = compressionGiven ? request.Compression : project.Compression ?? request.Compression,
            CompressionLevel = request.CompressionLevel ?? (projectLevelApplies ? project.CompressionLevel : null),
            CompressionExtreme = request.CompressionLevel is null ? projectLevelApplies && project.CompressionExtreme : request.CompressionExtreme,
            OutputDirectory = given.Contains("output") ? request.OutputDirectory : project.Output ?? request.OutputDirectory,
            TemplatesDirectory = request.TemplatesDirectory ?? project.Templates,
            Excludes = [.. project.Excludes, .. request.Excludes],
        };
    }
}
