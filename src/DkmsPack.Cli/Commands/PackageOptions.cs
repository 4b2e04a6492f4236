using System.Collections;
using System.CommandLine;
using DkmsPack.Compression;
using DkmsPack.Packaging;
using DkmsPack.Project;
using DkmsPack.Source;

namespace DkmsPack.Cli.Commands;

/// <summary>The options every packaging command shares, and their binding to a <see cref="BuildRequest"/>.</summary>
internal sealed class PackageOptions
{
    public Argument<string?> SourceDirectory { get; } = new("source-dir")
    {
        Description = "The module's source tree: the directory holding dkms.conf (its name need not be NAME-VERSION), or NAME/VERSION for the tree in /usr/src/NAME-VERSION, as dkms mkdeb took it.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Module { get; } = new("--module", "-m")
    {
        Description = "dkms mkdeb's form: the module NAME (or NAME/VERSION) whose tree is in /usr/src/NAME-VERSION (see --source-root).",
        HelpName = "name",
    };

    public Option<string?> ModuleVersion { get; } = new("--module-version", "-v")
    {
        Description = "dkms mkdeb's form: with -m, the VERSION of /usr/src/NAME-VERSION. (To set the packaged version, use --version.)",
        HelpName = "version",
    };

    public Option<string> SourceRoot { get; } = new("--source-root")
    {
        Description = "Where NAME/VERSION and -m/-v look for NAME-VERSION trees.",
        DefaultValueFactory = _ => SourceLocation.DefaultSourceRoot,
        HelpName = "dir",
    };

    public Option<bool> SourceOnly { get; } = new("--source-only")
    {
        Description = "Accepted for dkms mkdeb/mkrpm compatibility: a -dkms package always carries the source only.",
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Directory to write the packages to (created if missing).",
        DefaultValueFactory = _ => ".",
        HelpName = "dir",
    };

    public Option<string?> Version { get; } = new("--version")
    {
        Description = "Module version, replacing PACKAGE_VERSION when it is a placeholder (#MODULE_VERSION#, @VERSION@, …) or computed ($(cat VERSION)). The packaged dkms.conf gets it literally.",
        HelpName = "version",
    };

    public Option<string> Revision { get; } = new("--revision", "--release")
    {
        Description = "Packaging revision: the Debian revision and the RPM Release.",
        DefaultValueFactory = _ => "1",
        HelpName = "n",
    };

    public Option<string?> Maintainer { get; } = new("--maintainer", "--packager")
    {
        Description = "\"Name <email>\" for Maintainer (deb) and Packager (rpm). Default: $DEBFULLNAME <$DEBEMAIL>.",
        HelpName = "name <email>",
    };

    public Option<string?> Summary { get; } = new("--summary")
    {
        Description = "One-line synopsis. Default: \"DKMS source of the NAME kernel module\".",
        HelpName = "text",
    };

    public Option<string?> Description { get; } = new("--description")
    {
        Description = "Long description. Default: a sentence naming the modules.",
        HelpName = "text",
    };

    public Option<string?> License { get; } = new("--license")
    {
        Description = "SPDX licence expression. Default: the sources' SPDX-License-Identifier tags, else MODULE_LICENSE().",
        HelpName = "spdx",
    };

    public Option<string?> Copyright { get; } = new("--copyright")
    {
        Description = "Copyright holders for the Debian copyright file. Default: the sources' Copyright lines, else the maintainer.",
        HelpName = "text",
    };

    public Option<string?> Homepage { get; } = new("--homepage")
    {
        Description = "Upstream URL (Homepage, URL).",
        HelpName = "url",
    };

    public Option<string> Compression { get; } = CreateCompression();

    public Option<string?> CompressionLevel { get; } = new("--compression-level")
    {
        Description = "Compression level: gzip 1-9, zstd 1-19, xz 0-9 (add e for xz's extreme variant: 9e). Default: gzip 9, zstd 3, xz 6 (dpkg-deb's defaults).",
        HelpName = "n",
    };

    public Option<string[]> Exclude { get; } = new("--exclude")
    {
        Description = "Leave out tree paths matching this glob (relative to the tree; * and ? within a name, ** across directories; a pattern without / matches names at any depth). Repeatable.",
        HelpName = "glob",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> DependsMap { get; } = new("--depends-map")
    {
        Description = "MODULE=PACKAGE: the package that provides a module dkms.conf names in BUILD_DEPENDS, when it is not MODULE-dkms. Repeatable.",
        HelpName = "module=package",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Templates { get; } = new("--templates")
    {
        Description = "Directory of template overrides: any file there (deb/control.sbn, rpm/spec.sbn, …) replaces the built-in one.",
        HelpName = "dir",
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "The project file to read instead of dkmspack.toml beside dkms.conf. The command line overrides what it sets.",
        HelpName = "file",
    };

    public Option<bool> Sign { get; } = new("--sign")
    {
        Description = "Sign the packages (and SHA256SUMS) with the OpenPGP secret key in $DKMSPACK_SIGNING_KEY (ASCII-armoured or binary).",
    };

    public Option<string?> SigningKey { get; } = new("--signing-key")
    {
        Description = "Sign with the OpenPGP secret key in this file (implies --sign). Passphrase: $DKMSPACK_SIGNING_PASSPHRASE or --signing-passphrase-file.",
        HelpName = "file",
    };

    public Option<string?> SigningPassphraseFile { get; } = new("--signing-passphrase-file")
    {
        Description = "Read the signing key's passphrase from this file (its first line). Never pass a passphrase on the command line.",
        HelpName = "file",
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print nothing but errors.",
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "List every file packaged.",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(SourceDirectory);
        foreach (Option option in (Option[])[Module, ModuleVersion, SourceRoot, SourceOnly, Output, Version, Revision, Maintainer, Summary, Description, License, Copyright, Homepage, Compression, CompressionLevel, Exclude, DependsMap, Templates, Config, Sign, SigningKey, SigningPassphraseFile, Quiet, Verbose])
        {
            command.Options.Add(option);
        }

        CompressionLevel.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            CompressionMethod method = ParseCompression(result.GetResult(Compression)?.GetValueOrDefault<string>());
            if (text is null)
            {
                return;
            }

            if (method == CompressionMethod.None)
            {
                result.AddError($"--compression-level {text} has no meaning with -Z none; drop it or choose gzip, zstd or xz");
            }
            else if (!Compressor.TryParseLevel(text, out int level, out bool extreme))
            {
                result.AddError($"--compression-level {text} {Compressor.LevelProblem(method, -1, extreme: false)}");
            }
            else if (Compressor.LevelProblem(method, level, extreme) is { } problem)
            {
                result.AddError($"--compression-level {text} {problem}");
            }
        });
    }

    private static int? ParseLevel(string? text) =>
        text is not null && Compressor.TryParseLevel(text, out int level, out _) ? level : null;

    private static bool ParseExtreme(string? text) =>
        text is not null && Compressor.TryParseLevel(text, out _, out bool extreme) && extreme;

    /// <summary>The request: the command line, over the project file (dkmspack.toml or --config) when there is one.</summary>
    public BuildRequest ToRequest(ParseResult parse)
    {
        SourceLocation.Resolved source = SourceLocation.Resolve(parse.GetValue(SourceDirectory), parse.GetValue(Module), parse.GetValue(ModuleVersion), parse.GetRequiredValue(SourceRoot));
        BuildRequest request = CommandLineRequest(parse, source);
        ProjectFile? project = ProjectFileReader.Find(request.SourceDirectory, parse.GetValue(Config));
        HashSet<string> given = [.. ((Option[])[Output, Revision, Compression]).Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name.TrimStart('-'))];
        return ProjectRequest.Apply(request, project, given) with { CompressionChosen = given.Contains("compression") || project?.Compression is not null };
    }

    private BuildRequest CommandLineRequest(ParseResult parse, SourceLocation.Resolved source) => new()
    {
        SourceDirectory = source.Directory,
        NamedModule = source.Module,
        OutputDirectory = parse.GetRequiredValue(Output),
        Version = parse.GetValue(Version),
        Revision = parse.GetRequiredValue(Revision),
        Maintainer = parse.GetValue(Maintainer),
        Summary = parse.GetValue(Summary),
        Description = parse.GetValue(Description),
        License = parse.GetValue(License),
        Copyright = parse.GetValue(Copyright),
        Homepage = parse.GetValue(Homepage),
        Compression = ParseCompression(parse.GetValue(Compression)),
        CompressionLevel = ParseLevel(parse.GetValue(CompressionLevel)),
        CompressionExtreme = ParseExtreme(parse.GetValue(CompressionLevel)),
        Excludes = parse.GetValue(Exclude) ?? [],
        DependsMap = parse.GetValue(DependsMap) ?? [],
        Signing = SigningInput.Read(parse.GetValue(Sign), parse.GetValue(SigningKey), parse.GetValue(SigningPassphraseFile)),
        TemplatesDirectory = parse.GetValue(Templates),
        SourceDateEpoch = System.Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"),
        Environment = EnvironmentVariables(),
    };

    private static Option<string> CreateCompression()
    {
        var option = new Option<string>("--compression", "-Z")
        {
            Description = "Compression of data.tar/control.tar (deb) and of the payload (rpm).",
            DefaultValueFactory = _ => "gzip",
            HelpName = "gzip|zstd|xz|none",
        };
        option.AcceptOnlyFromAmong("gzip", "zstd", "xz", "none");
        return option;
    }

    private static CompressionMethod ParseCompression(string? name) =>
        Enum.TryParse(name, ignoreCase: true, out CompressionMethod method) ? method : CompressionMethod.Gzip;

    private static Dictionary<string, string> EnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return variables;
    }
}
