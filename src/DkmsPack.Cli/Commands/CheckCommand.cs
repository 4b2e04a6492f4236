using System.CommandLine;
using System.Text;
using System.Text.Json;
using DkmsPack.Checking;
using DkmsPack.Diagnostics;
using DkmsPack.Packaging;
using DkmsPack.Project;
using DkmsPack.Source;

namespace DkmsPack.Cli.Commands;

/// <summary>
/// <c>dkmspack check</c>: what packaging, lintian, rpmlint and DKMS would say of the tree, as compiler-style lines on
/// stdout (or JSON with --json), writing nothing. Exit 0 without errors, 2 with.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var options = new PackageOptions();
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON on stdout." };
        var command = new Command("check", "Check a module tree as packaging, lintian, rpmlint and DKMS would, without writing anything. Exit 0 when clean (warnings allowed), 2 when an error is found.");
        command.Arguments.Add(options.SourceDirectory);
        foreach (Option option in (Option[])[options.Module, options.ModuleVersion, options.SourceRoot, options.Version, options.License, options.Exclude, options.Config, json])
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            SourceLocation.Resolved source = SourceLocation.Resolve(parse.GetValue(options.SourceDirectory), parse.GetValue(options.Module), parse.GetValue(options.ModuleVersion), parse.GetRequiredValue(options.SourceRoot));
            var request = new BuildRequest
            {
                SourceDirectory = source.Directory,
                NamedModule = source.Module,
                OutputDirectory = source.Directory,
                Version = parse.GetValue(options.Version),
                License = parse.GetValue(options.License),
                Excludes = parse.GetValue(options.Exclude) ?? [],
                Maintainer = "check <check@example.invalid>",
            };
            // The project file counts as for packaging: its extras, relationships and findings are part of the check.
            request = ProjectRequest.Apply(request, ProjectFileReader.Find(request.SourceDirectory, parse.GetValue(options.Config)), new HashSet<string>(StringComparer.Ordinal));
            TreeCheck.Report report = TreeCheck.Run(request, DateTimeOffset.UtcNow);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(ToJson(report));
            }
            else
            {
                DiagnosticRenderer.WriteAll(console.Out, report.Findings);
            }

            return report.HasErrors ? ExitCode.InvalidInput : ExitCode.Success;
        }));
        return command;
    }

    private static string ToJson(TreeCheck.Report report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("tool", "dkmspack");
            json.WriteString("toolVersion", Rendering.TemplateModel.ToolVersion);
            json.WriteBoolean("clean", !report.HasErrors);
            Manifest.WriteDiagnostics(json, report.Findings, DiagnosticRenderer.SpellOption);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
