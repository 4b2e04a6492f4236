using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.Verification;

namespace DkmsPack.Cli.Commands;

/// <summary>
/// <c>dkmspack verify FILE… --key PUBKEY</c>: checks the signatures and digests of .rpm, .deb, Arch and SHA256SUMS(.asc)
/// files with no rpm, dpkg or gpg. One line per file: <c>FILE: OK: what was checked</c> on stdout, or the
/// diagnostic of what failed on stderr. Exit 0 when every file is good, 2 when any is bad, 1 for a wrong command
/// line (a --key file that is missing or holds no public key included).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file")
        {
            Description = "Files to check: .rpm, .deb, .pkg.tar.zst (with its .sig beside it), SHA256SUMS.asc (or SHA256SUMS, with its .asc beside it).",
            Arity = ArgumentArity.OneOrMore,
        };
        var keys = new Option<string[]>("--key", "-k")
        {
            Description = "An OpenPGP public key or keyring (ASCII-armoured or binary) whose signatures are accepted; repeatable.",
            HelpName = "PUBKEY",
            Required = true,
        };

        var command = new Command("verify", "Check the OpenPGP signatures and digests of packages and SHA256SUMS that dkmspack built, without rpm, dpkg, pacman or gpg.")
        {
            files,
            keys,
        };
        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            VerificationKeys keyring = LoadKeys(parse.GetValue(keys) ?? []);
            int exitCode = ExitCode.Success;
            foreach (string file in parse.GetValue(files) ?? [])
            {
                FileVerification result = PackageVerifier.Verify(file, keyring);
                if (result.Problem is { } problem)
                {
                    DiagnosticRenderer.WriteAll(console.Error, [problem]);
                    exitCode = ExitCode.InvalidInput;
                }
                else
                {
                    console.Out.WriteLine($"{result.File}: OK: {result.Checked}");
                }
            }

            return exitCode;
        }));
        return command;
    }

    /// <summary>Reads every --key file; one that is missing or unreadable is a command-line error (exit 1).</summary>
    private static VerificationKeys LoadKeys(string[] paths)
    {
        var files = new List<(string Origin, byte[] Bytes)>();
        foreach (string path in paths)
        {
            try
            {
                files.Add((path, SigningInput.ReadSmallFile(path, "an OpenPGP public key")));
            }
            catch (DkmsPackException ex)
            {
                throw new DkmsPackException([.. ex.Diagnostics.Select(d => d with { Code = DiagnosticCode.Option })], ExitCode.InvalidOptions, ex);
            }
        }

        return VerificationKeys.Load(files);
    }
}
