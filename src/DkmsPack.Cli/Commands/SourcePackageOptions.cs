using System.CommandLine;
using DkmsPack.SourcePackages;

namespace DkmsPack.Cli.Commands;

/// <summary>The options of the Debian source package (mkdsc, and build for the dsc format).</summary>
internal sealed class SourcePackageOptions
{
    public Option<string?> Distribution { get; } = new("--distribution")
    {
        Description = "The Debian changelog's distribution for this upload (unstable, bookworm, noble, …). Default: the project changelog's, else unstable.",
        HelpName = "suite",
    };

    public Option<string?> Urgency { get; } = new("--urgency")
    {
        Description = "The Debian changelog's urgency: low, medium, high, emergency or critical. Default: the project changelog's, else medium.",
        HelpName = "urgency",
    };

    public Option<string?> Orig { get; } = new("--orig")
    {
        Description = "An upstream tarball of the tree (.tar.gz, .tar.xz, .tar.bz2) to carry as the .orig.tar.*, byte for byte, instead of the one dkmspack writes.",
        HelpName = "file",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Distribution);
        command.Options.Add(Urgency);
        command.Options.Add(Orig);
    }

    public SourcePackageRequest ToRequest(ParseResult parse) => new()
    {
        Distribution = parse.GetValue(Distribution),
        Urgency = parse.GetValue(Urgency),
        OrigTarball = parse.GetValue(Orig),
    };
}
