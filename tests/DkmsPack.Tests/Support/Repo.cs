namespace DkmsPack.Tests.Support;

/// <summary>Paths into the repository and the test build, found from the test assembly's location.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>The dkmspack CLI assembly, copied beside the tests by the project reference.</summary>
    public static string CliAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "dkmspack.dll");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DkmsPack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DkmsPack.sln not found above " + AppContext.BaseDirectory);
    }
}
