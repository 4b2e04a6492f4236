using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.IO;
using DkmsPack.Model;
using DkmsPack.Packaging;

namespace DkmsPack.Cli.Commands;

/// <summary>mkdeb and mkrpm: one format, the short forms of <c>build</c>.</summary>
internal static class PackageCommand
{
    public static Command Create(string name, string format, string description)
    {
        var options = new PackageOptions();
        var command = new Command(name, description);
        options.AddTo(command);
        Option<bool>? spec = null;
        if (format == "rpm")
        {
            spec = new Option<bool>("--spec") { Description = "Also write the rendered .spec, which builds the same package with rpmbuild -bb." };
            command.Options.Add(spec);
        }

        SourcePackageOptions? source = null;
        if (format == "dsc")
        {
            source = new SourcePackageOptions();
            source.AddTo(command);
        }

        KernelModuleOptions? modules = null;
        if (format is "bmdeb" or "kmod")
        {
            modules = new KernelModuleOptions();
            modules.AddTo(command);
        }

        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            BuildRequest request = options.ToRequest(parse) with { IncludeRpmSpec = spec is not null && parse.GetValue(spec) };
            request = source is null ? request : request with { SourcePackage = source.ToRequest(parse) };
            request = modules is null ? request : request with { Modules = modules.ToRequest(parse) };
            BuildOutcome outcome = Build(request, [format], console, parse.GetValue(options.Quiet));
            Report(console, outcome, parse.GetValue(options.Quiet), parse.GetValue(options.Verbose));
            return ExitCode.Success;
        }));
        return command;
    }

    /// <summary>Builds the formats, drawing the progress line on a terminal.</summary>
    public static BuildOutcome Build(BuildRequest request, IEnumerable<string> formats, ConsoleChannels console, bool quiet)
    {
        using ProgressLine? progress = ProgressLine.ForTerminal(console.Error, quiet);
        return PackageBuild.Run(request, PackageFormats.Select(formats), DateTimeOffset.UtcNow, progress);
    }

    /// <summary>Warnings to stderr, then one line per file written on stdout; with --quiet, neither.</summary>
    public static void Report(ConsoleChannels console, BuildOutcome outcome, bool quiet, bool verbose)
    {
        if (quiet)
        {
            return;
        }

        DiagnosticRenderer.WriteAll(console.Error, outcome.Warnings);
        if (verbose)
        {
            foreach (PackageEntry entry in outcome.Spec.Entries)
            {
                console.Error.WriteLine($"  /{entry.Path}");
            }
        }

        foreach (WrittenFile file in outcome.Files)
        {
            console.Out.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, file.Path));
        }
    }
}
