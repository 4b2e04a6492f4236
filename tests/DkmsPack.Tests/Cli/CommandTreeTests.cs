using System.CommandLine;
using DkmsPack.Cli;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>
/// The root made for one named command (Program makes only that one, for start-up) parses and helps exactly as the
/// root with every command does.
/// </summary>
public sealed class CommandTreeTests
{
    public static TheoryData<string> CommandNames()
    {
        var names = new TheoryData<string>();
        foreach (Command command in Program.CreateRootCommand().Subcommands)
        {
            names.Add(command.Name);
        }

        return names;
    }

    [Fact]
    public void EveryCommand_IsInTheFullRoot()
    {
        string[] names = [.. Program.CreateRootCommand().Subcommands.Select(c => c.Name)];

        Assert.Equal(["mkdeb", "mkrpm", "mkdsc", "mksrpm", "mkpkgbuild", "mkbmdeb", "mkkmod", "build", "check", "init", "verify", "repo"], names);
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void NamedCommand_RootHoldsOnlyIt_WithTheSameHelp(string name)
    {
        RootCommand lazy = Program.CreateRootCommand(name);

        Assert.Equal([name], lazy.Subcommands.Select(c => c.Name));
        Assert.Equal(Help(Program.CreateRootCommand(), name), Help(lazy, name));
    }

    [Theory]
    [InlineData("mkdeb . -Z bogus")]
    [InlineData("mkrpm . --revision")]
    [InlineData("repo nonsense")]
    public void NamedCommand_ReportsTheSameParseErrors(string commandLine)
    {
        string[] args = commandLine.Split(' ');
        string[] full = [.. Program.CreateRootCommand().Parse(args).Errors.Select(e => e.Message)];
        string[] lazy = [.. Program.CreateRootCommand(args[0]).Parse(args).Errors.Select(e => e.Message)];

        Assert.NotEmpty(full);
        Assert.Equal(full, lazy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("--help")]
    [InlineData("mkdbe")]
    public void NoCommandNamed_RootHoldsEveryCommand(string? firstArgument)
    {
        Assert.Equal(12, Program.CreateRootCommand(firstArgument).Subcommands.Count);
    }

    private static string Help(RootCommand root, string name)
    {
        using var output = new StringWriter();
        int exitCode = root.Parse([name, "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        Assert.Equal(0, exitCode);
        return output.ToString();
    }
}
