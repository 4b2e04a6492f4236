using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.Packaging;

namespace DkmsPack.Cli.Commands;

/// <summary>
/// <c>dkmspack build</c>: every requested format from one reading of the tree, SHA256SUMS beside the
/// packages and, with --json, a manifest on stdout (and nothing else there), diagnostics included.
/// </summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var options = new PackageOptions();
        var formats = new Option<string[]>("--formats", "-f")
        {
            Description = "Formats to build, comma separated (" + string.Join(",", PackageFormats.All().Select(w => w.Name)) + "). Default: " + string.Join(",", PackageFormats.Default().Select(w => w.Name)) + ".",
            HelpName = "deb,rpm,arch",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON manifest of the packages (path, format, name, version, size, sha256) and of the diagnostics on stdout; messages go to stderr.",
        };

        var command = new Command("build", "Build every format (or those of --formats) from one reading of the tree, and write SHA256SUMS.");
        options.AddTo(command);
        var source = new SourcePackageOptions();
        source.AddTo(command);
        var modules = new KernelModuleOptions();
        modules.AddTo(command);
        command.Options.Add(formats);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            return CommandRunner.Run(
                parse,
                console =>
                {
                    BuildRequest request = options.ToRequest(parse) with { WriteChecksums = true, SourcePackage = source.ToRequest(parse), Modules = modules.ToRequest(parse) };
                    string[] chosen = parse.GetValue(formats) is { Length: > 0 } given ? given
                        : request.Project?.Formats is { Count: > 0 } project ? [.. project]
                        : [.. PackageFormats.Default().Select(w => w.Name)];

                    // With --json, stdout carries the manifest only: human lines move to stderr.
                    var human = asJson ? console with { Out = console.Error } : console;
                    BuildOutcome outcome = PackageCommand.Build(request, chosen, human, parse.GetValue(options.Quiet));
                    PackageCommand.Report(human, outcome, parse.GetValue(options.Quiet), parse.GetValue(options.Verbose));
                    if (asJson)
                    {
                        console.Out.WriteLine(Manifest.ToJson(outcome.Packages, outcome.Warnings, DiagnosticRenderer.SpellOption, outcome.Signing));
                    }

                    return ExitCode.Success;
                },
                onFailure: (console, diagnostics) =>
                {
                    if (asJson)
                    {
                        console.Out.WriteLine(Manifest.ToJson([], diagnostics, DiagnosticRenderer.SpellOption));
                    }
                });
        });
        return command;
    }
}
