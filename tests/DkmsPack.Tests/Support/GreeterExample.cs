using DkmsPack.Packaging;
using DkmsPack.Project;

namespace DkmsPack.Tests.Support;

/// <summary>examples/greeter-0.1, the example with a project file, optionally renamed to a module name of the test's own.</summary>
internal static class GreeterExample
{
    public const string Name = "greeter-0.1";

    /// <summary>A copy with every "greeter" in file contents and names replaced by <paramref name="moduleName"/>.</summary>
    public static string CopyRenamed(TempDirectory temp, string moduleName)
    {
        string tree = temp.CopyTree(Repo.Example(Name), moduleName);
        foreach (string file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).ToList())
        {
            File.WriteAllText(file, File.ReadAllText(file).Replace("greeter", moduleName, StringComparison.Ordinal));
            string name = Path.GetFileName(file);
            if (name.Contains("greeter", StringComparison.Ordinal))
            {
                File.Move(file, Path.Combine(Path.GetDirectoryName(file)!, name.Replace("greeter", moduleName, StringComparison.Ordinal)));
            }
        }

        return tree;
    }

    /// <summary>A test build request for <paramref name="tree"/> with its dkmspack.toml, as the command line makes it.</summary>
    public static BuildRequest Request(string tree, string output) =>
        ProjectRequest.Apply(TestBuilds.Request(tree, output), ProjectFileReader.Find(tree, null), new HashSet<string>());
}
