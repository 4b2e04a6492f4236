using System.CommandLine;
using DkmsPack.Diagnostics;
using DkmsPack.Project;

namespace DkmsPack.Cli.Commands;

/// <summary><c>dkmspack init [DIR]</c>: writes a commented dkmspack.toml beside dkms.conf, never over an existing one.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("source-dir")
        {
            Description = "The module's source tree (the directory holding dkms.conf). Default: the current directory.",
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("init", "Write a commented dkmspack.toml filled from dkms.conf and the sources; an existing one is never overwritten.")
        {
            directory,
        };
        command.SetAction(parse => CommandRunner.Run(parse, console =>
        {
            string path = ProjectInit.Write(parse.GetRequiredValue(directory));
            console.Out.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, path));
            return ExitCode.Success;
        }));
        return command;
    }
}
