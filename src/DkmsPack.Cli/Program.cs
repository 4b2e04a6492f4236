using System.CommandLine;
using DkmsPack.Cli.Commands;

namespace DkmsPack.Cli;

internal static class Program
{
    private static int Main(string[] args) => CreateRootCommand().Parse(args).Invoke();

    public static RootCommand CreateRootCommand() => new("dkmspack: builds .deb and .rpm packages of a DKMS kernel module source tree, without dpkg-dev, rpmbuild, DKMS or root.")
    {
        PackageCommand.Create("mkdeb", "deb", "Build a Debian package (NAME-dkms_VERSION-REV_all.deb) that installs the module with DKMS."),
        PackageCommand.Create("mkrpm", "rpm", "Build an RPM package (NAME-dkms-VERSION-RELEASE.noarch.rpm) that installs the module with DKMS."),
        BuildCommand.Create(),
    };
}
