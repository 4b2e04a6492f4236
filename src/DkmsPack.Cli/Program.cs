using System.CommandLine;
using DkmsPack.Cli.Commands;
using System.Runtime.InteropServices;
using DkmsPack.Diagnostics;
using DkmsPack.IO;

namespace DkmsPack.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Abort(context, ExitCode.Interrupted));
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Abort(context, ExitCode.Terminated));
        RootCommand root = CreateRootCommand(args.Length > 0 ? args[0] : null);
        ParseResult parse = root.Parse(args);
        return parse.Errors.Count > 0 ? ReportParseErrors(parse, root) : parse.Invoke();
    }

    // Every command, in the order --help lists them. Each is made on demand: its options are hundreds of objects and
    // generic instantiations the JIT compiles at start-up, a tenth of a small package's run with the dotnet tool.
    private static readonly (string Name, Func<Command> Create)[] s_commands =
    [
        Package("mkdeb", "deb", "Build a Debian package (NAME-dkms_VERSION-REV_all.deb) that installs the module with DKMS."),
        Package("mkrpm", "rpm", "Build an RPM package (NAME-dkms-VERSION-RELEASE.noarch.rpm) that installs the module with DKMS."),
        Package("mkdsc", "dsc", "Build a Debian source package (3.0 (quilt): .dsc, .orig.tar.gz, .debian.tar.gz, _source.changes) for Launchpad PPAs and Debian."),
        Package("mksrpm", "srpm", "Build a source RPM (NAME-dkms-VERSION-RELEASE.src.rpm) for COPR, OBS or rpmbuild --rebuild."),
        Package("mkpkgbuild", "pkgbuild", "Write a PKGBUILD and the NAME-VERSION.tar.gz it builds from, for the AUR: makepkg builds from them the package --formats arch writes."),
        Package("mkbmdeb", "bmdeb", "Build the modules for given kernels and package them prebuilt: NAME-modules-KERNEL_VERSION-REV_ARCH.deb, one per kernel, no DKMS needed."),
        Package("mkkmod", "kmod", "Build the modules for given kernels and package them prebuilt: kmod-NAME-KERNEL-VERSION-RELEASE.ARCH.rpm, one per kernel."),
        ("build", BuildCommand.Create),
        ("check", CheckCommand.Create),
        ("init", InitCommand.Create),
        ("verify", VerifyCommand.Create),
        ("repo", RepoCommand.Create),
    ];

    private static (string Name, Func<Command> Create) Package(string name, string format, string description) =>
        (name, () => PackageCommand.Create(name, format, description));

    /// <summary>
    /// The command line's root. When <paramref name="firstArgument"/> names a command, only that command is made (its
    /// parse, help and errors are the same); otherwise every command, for the root's help and its suggestions.
    /// </summary>
    public static RootCommand CreateRootCommand(string? firstArgument = null)
    {
        var root = new RootCommand("dkmspack: builds .deb and .rpm packages of a DKMS kernel module source tree, without dpkg-dev, rpmbuild, DKMS or root.");
        bool named = s_commands.Any(command => command.Name == firstArgument);
        foreach ((string name, Func<Command> create) in s_commands)
        {
            if (!named || name == firstArgument)
            {
                root.Subcommands.Add(create());
            }
        }

        return root;
    }

    /// <summary>
    /// SIGINT and SIGTERM: delete every scratch output (writers on other threads may still be busy; their files go
    /// with the directory), say so in one line, and exit with 128 + the signal number.
    /// </summary>
    private static void Abort(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true;
        OutputTransaction.AbortAll();
        Console.Error.WriteLine(DiagnosticRenderer.Render(Diagnostic.Error(null, 0, $"interrupted by {context.Signal}; no output was written", code: DiagnosticCode.Interrupted)));
        Environment.Exit(exitCode);
    }

    /// <summary>
    /// One line per command-line error on stderr, pointing at --help, instead of System.CommandLine's
    /// default of printing the whole help text.
    /// </summary>
    private static int ReportParseErrors(ParseResult parse, RootCommand root)
    {
        string command = parse.CommandResult.Command == root ? "dkmspack" : $"dkmspack {parse.CommandResult.Command.Name}";
        foreach (var error in parse.Errors)
        {
            string message = string.Join(' ', error.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
            Console.Error.WriteLine($"dkmspack: error: {message}; see {command} --help");
        }

        return ExitCode.InvalidOptions;
    }
}
