using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.Repository;
using DkmsPack.Repository.Apt;
using DkmsPack.Repository.Rpm;

namespace DkmsPack.Cli.Commands;

/// <summary>
/// <c>dkmspack repo apt DIR DEB…</c> and <c>dkmspack repo rpm DIR RPM…</c>: create or update a signed repository.
/// Parses the options, hands them to the engine (Repository/Apt, Repository/Rpm), prints the files written on
/// stdout and the diagnostics on stderr.
/// </summary>
internal static class RepoCommand
{
    public static Command Create()
    {
        var command = new Command("repo", "Create or update a signed APT or RPM repository (static files to serve from any web server).")
        {
            AptCommand(),
            RpmCommand(),
        };
        return command;
    }

    private sealed class SharedOptions
    {
        public Argument<string> Directory { get; } = new("repository") { Description = "The repository's top directory (created when missing)." };

        public Argument<string[]> Packages { get; } = new("package") { Description = "Package files to add.", Arity = ArgumentArity.ZeroOrMore };

        public Option<bool> Replace { get; } = new("--replace") { Description = "A package whose name, version and architecture are already in the repository, with other bytes, replaces the old one (default: refused)." };

        public Option<int?> Keep { get; } = new("--keep") { Description = "Keep only the newest N versions of each package (and architecture); older ones leave the index and the pool.", HelpName = "N" };

        public Option<string?> Name { get; } = new("--name") { Description = "Name of the files for users (NAME.sources or NAME.repo, NAME.asc, NAME.gpg). Default: the first package's name without -dkms.", HelpName = "NAME" };

        public Option<string?> Url { get; } = new("--url") { Description = "The URL the repository is served from, written into the file for users. Default: file:// of the directory.", HelpName = "URL" };

        public Option<bool> Sign { get; } = new("--sign") { Description = "Sign the metadata with the OpenPGP secret key in $DKMSPACK_SIGNING_KEY." };

        public Option<string?> SigningKey { get; } = new("--signing-key") { Description = "Sign with the OpenPGP secret key in this file (implies --sign). Passphrase: $DKMSPACK_SIGNING_PASSPHRASE or --signing-passphrase-file.", HelpName = "file" };

        public Option<string?> SigningPassphraseFile { get; } = new("--signing-passphrase-file") { Description = "Read the signing key's passphrase from this file (its first line).", HelpName = "file" };

        public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print nothing but errors." };

        public void AddTo(Command command)
        {
            command.Arguments.Add(Directory);
            command.Arguments.Add(Packages);
            foreach (Option option in (Option[])[Replace, Keep, Name, Url, Sign, SigningKey, SigningPassphraseFile, Quiet])
            {
                command.Options.Add(option);
            }
        }

        public T Fill<T>(ParseResult parse, T request)
            where T : RepositoryRequest => request with
        {
            Packages = parse.GetValue(Packages) ?? [],
            Replace = parse.GetValue(Replace),
            Keep = parse.GetValue(Keep),
            Name = parse.GetValue(Name),
            Url = parse.GetValue(Url),
            Signing = SigningInput.Read(parse.GetValue(Sign), parse.GetValue(SigningKey), parse.GetValue(SigningPassphraseFile)),
            SourceDateEpoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"),
        };

        public int Report(ConsoleChannels console, ParseResult parse, RepositoryOutcome outcome)
        {
            if (!parse.GetValue(Quiet))
            {
                DiagnosticRenderer.WriteAll(console.Error, outcome.Warnings);
                string directory = parse.GetValue(Directory)!;
                foreach (string file in outcome.Added.Concat(outcome.Published))
                {
                    console.Out.WriteLine(Path.Combine(directory, file));
                }

                foreach (string file in outcome.Removed)
                {
                    console.Error.WriteLine($"dkmspack: removed {Path.Combine(directory, file)}");
                }
            }

            return ExitCode.Success;
        }
    }

    private static Command AptCommand()
    {
        var shared = new SharedOptions();
        var suite = new Option<string>("--suite", "-s") { Description = "The suite to update (dists/SUITE/).", DefaultValueFactory = _ => "stable", HelpName = "SUITE" };
        var codename = new Option<string?>("--codename") { Description = "The Release file's Codename. Default: the suite.", HelpName = "NAME" };
        var architectures = new Option<string[]>("--architectures", "-a")
        {
            Description = "Architectures to index, comma separated; Architecture: all packages go into each. Default: the suite's, else "
                + string.Join(",", AptRepository.DefaultArchitectures) + " and those of the packages.",
            HelpName = "amd64,arm64",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var origin = new Option<string?>("--origin") { Description = "The Release file's Origin. Default: the name.", HelpName = "TEXT" };
        var label = new Option<string?>("--label") { Description = "The Release file's Label. Default: the name.", HelpName = "TEXT" };
        var command = new Command("apt", "Add .deb files to an APT repository: pool/, dists/SUITE/{Release,Release.gpg,InRelease}, Packages(.gz) with by-hash copies, NAME.sources and the public key.");
        shared.AddTo(command);
        foreach (Option option in (Option[])[suite, codename, architectures, origin, label])
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            var request = shared.Fill(parse, new AptRepositoryRequest
            {
                RepositoryDirectory = parse.GetValue(shared.Directory)!,
                Suite = parse.GetValue(suite)!,
                Codename = parse.GetValue(codename),
                Architectures = parse.GetValue(architectures) is { Length: > 0 } given ? given : null,
                Origin = parse.GetValue(origin),
                Label = parse.GetValue(label),
            });
            return shared.Report(console, parse, AptRepository.Publish(request, DateTimeOffset.UtcNow));
        }));
        return command;
    }

    private static Command RpmCommand()
    {
        var shared = new SharedOptions();
        var command = new Command("rpm", "Add .rpm files to an RPM repository: the packages, repodata/repomd.xml (+ .asc) with primary, filelists and other, NAME.repo and the public key.");
        shared.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            var request = shared.Fill(parse, new RpmRepositoryRequest { RepositoryDirectory = parse.GetValue(shared.Directory)! });
            return shared.Report(console, parse, RpmRepository.Publish(request, DateTimeOffset.UtcNow));
        }));
        return command;
    }
}
