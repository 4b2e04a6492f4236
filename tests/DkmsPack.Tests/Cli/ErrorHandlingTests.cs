using DkmsPack.Diagnostics;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Cli;

/// <summary>Bad input: one line on stderr naming the file and what to do, its exit code, and no file left behind.</summary>
public sealed class ErrorHandlingTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingDkmsConf_ExitsInvalidInput()
    {
        string tree = _temp.Combine("empty-tree");
        Directory.CreateDirectory(tree);
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", output]);

        AssertOneLineError(result, ExitCode.InvalidInput, $"{tree}/dkms.conf: error: not found");
        AssertNoPackage(output);
    }

    [Fact]
    public void MissingSourceDirectory_ExitsInvalidInput()
    {
        var result = DkmsPackProcess.Run(["mkdeb", _temp.Combine("nowhere"), "-o", _temp.Combine("out")]);

        AssertOneLineError(result, ExitCode.InvalidInput, "nowhere: error: no such directory");
    }

    [Fact]
    public void InvalidDkmsConf_ListsEveryProblem_CompilerStyle()
    {
        string tree = _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "bad");
        File.WriteAllText(Path.Combine(tree, "dkms.conf"), "PACKAGE_NAME=\"bad\"\nBUILT_MODULE_NAME[0]=\"bad.ko\"\nDEST_MODULE_LOCATION[0]=\"/usr/lib\"\n");
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", output]);

        Assert.Equal(ExitCode.InvalidInput, result.ExitCode);
        string[] errors = [.. result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: ", StringComparison.Ordinal))];
        Assert.True(errors.Length >= 3, result.StdErr);
        Assert.Contains(errors, e => e.StartsWith($"{tree}/dkms.conf:2: error: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{tree}/dkms.conf:3: error: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PACKAGE_VERSION", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        AssertNoPackage(output);
    }

    [Fact]
    public void UnreadableSourceFile_ExitsInvalidInput()
    {
        string tree = WorldReadableCopy();
        string secret = Path.Combine(tree, "secret.c");
        File.WriteAllText(secret, "int x;\n");
        File.SetUnixFileMode(secret, UnixFileMode.None);
        string output = WorldWritable(_temp.Combine("out"));

        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", output, "--maintainer", "T <t@example.org>"], asUser: Nobody);

        AssertOneLineError(result, ExitCode.InvalidInput, $"{secret}: error: cannot be read");
        AssertNoPackage(output);
    }

    [Fact]
    public void OutputDirectoryNotWritable_ExitsOutputFailed()
    {
        string tree = WorldReadableCopy();
        string output = _temp.Combine("read-only");
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var result = DkmsPackProcess.Run(["mkdeb", tree, "-o", output, "--maintainer", "T <t@example.org>"], asUser: Nobody);

        AssertOneLineError(result, ExitCode.OutputFailed, $"{output}: error: cannot be written");
        AssertNoPackage(output);
    }

    [Fact]
    public void OutputPathIsAFile_ExitsOutputFailed()
    {
        string file = _temp.Combine("a-file");
        File.WriteAllText(file, "x");

        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", file]);

        AssertOneLineError(result, ExitCode.OutputFailed, $"{file}: error: cannot create the output directory");
    }

    [Theory]
    [InlineData("deb/postinst.sbn", "{{ no_such_variable }}", "mkdeb")]
    [InlineData("rpm/preun.sbn", "{{ if }}", "mkrpm")]
    [InlineData("deb/control.sbn", "Package: x\nnot a field\n", "mkdeb")]
    public void BrokenTemplateOverride_ExitsTemplateFailed_NamingTheTemplate(string name, string text, string command)
    {
        string templates = _temp.Combine("templates");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(templates, name))!);
        File.WriteAllText(Path.Combine(templates, name), text);
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run([command, Repo.Example("apple-gmux-0.1"), "-o", output, "--templates", templates, "--maintainer", "T <t@example.org>"]);

        AssertOneLineError(result, ExitCode.TemplateFailed, Path.Combine(templates, name));
        AssertNoPackage(output);
    }

    [Fact]
    public void UnknownOption_ExitsInvalidOptions()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "--no-such-option"]);

        AssertOneLineError(result, ExitCode.InvalidOptions, "'--no-such-option'; see dkmspack mkdeb --help");
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Theory]
    [InlineData("-Z", "bzip2", "'bzip2' not recognized")]
    [InlineData("--compression-level", "12", "--compression-level 12 is not a level of gzip (a whole number from 1 to 9)")]
    [InlineData("--compression-level", "abc", "--compression-level abc is not a level of gzip")]
    [InlineData("--compression-level", "1.5", "--compression-level 1.5 is not a level of gzip")]
    [InlineData("--compression-level", "2147483648", "--compression-level 2147483648 is not a level of gzip")]
    [InlineData("--compression-level", "-3", "--compression-level -3 is not a level of gzip")]
    public void BadOptionValue_ExitsInvalidOptions_InOneLine(string option, string value, string expected)
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), option, value, "-o", _temp.Combine("out")]);

        AssertOneLineError(result, ExitCode.InvalidOptions, expected);
        AssertNoPackage(_temp.Combine("out"));
    }

    [Fact]
    public void CompressionLevelWithoutCompression_ExitsInvalidOptions()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-Z", "none", "--compression-level", "5", "-o", _temp.Combine("out")]);

        AssertOneLineError(result, ExitCode.InvalidOptions, "--compression-level 5 has no meaning with -Z none");
        AssertNoPackage(_temp.Combine("out"));
    }

    [Theory]
    [InlineData("", "-o", "out")]
    [InlineData("tree", "-o", "")]
    public void EmptyPath_ExitsInvalidOptions(string tree, string option, string output)
    {
        string source = tree.Length == 0 ? string.Empty : Repo.Example("apple-gmux-0.1");
        var result = DkmsPackProcess.Run(["mkdeb", source, option, output.Length == 0 ? string.Empty : _temp.Combine(output)], workingDirectory: _temp.Path);

        AssertOneLineError(result, ExitCode.InvalidOptions, "is an empty string");
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Theory]
    [InlineData("--summary", "...", "has no text besides dots")]
    [InlineData("--description", "text\u001b[31m red", "without control characters or terminal escapes")]
    [InlineData("--description", "bell\u0007", "without control characters or terminal escapes")]
    public void UnusableText_ExitsInvalidOptions(string option, string value, string expected)
    {
        string text = System.Text.RegularExpressions.Regex.Unescape(value);
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), option, text, "-o", _temp.Combine("out"), "--maintainer", "T <t@example.org>"]);

        AssertOneLineError(result, ExitCode.InvalidOptions, expected);
        AssertNoPackage(_temp.Combine("out"));
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("99999999999999")]
    public void SourceDateEpochBeyondTheFormats_ExitsInvalidOptions(string epoch)
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("out")], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = epoch });

        AssertOneLineError(result, ExitCode.InvalidOptions, $"SOURCE_DATE_EPOCH={epoch} is after 2106-02-07");
        AssertNoPackage(_temp.Combine("out"));
    }

    [Fact]
    public void BadSourceDateEpoch_ExitsInvalidOptions()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("out")], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "yesterday" });

        AssertOneLineError(result, ExitCode.InvalidOptions, "SOURCE_DATE_EPOCH=\"yesterday\" is not a whole number");
    }

    [Fact]
    public void NewlineInMaintainer_IsRefused_SoNoFieldCanBeInjected()
    {
        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", _temp.Combine("out"), "--maintainer", "A <a@b.c>\nDepends: evil"]);

        AssertOneLineError(result, ExitCode.InvalidOptions, "--maintainer");
        AssertNoPackage(_temp.Combine("out"));
    }

    [Fact]
    public void Success_PrintsThePackagePath_AndWarnsAboutTheMissingMaintainer()
    {
        string output = _temp.Combine("out");

        var result = DkmsPackProcess.Run(["mkdeb", Repo.Example("apple-gmux-0.1"), "-o", output]);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(Path.Combine(output, "apple-gmux-dkms_0.1-1_all.deb"), Path.GetFullPath(result.StdOut.Trim()));
        Assert.Contains("warning: no --maintainer given", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(["apple-gmux-dkms_0.1-1_all.deb"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    private static void AssertOneLineError(DkmsPackProcess.Result result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, stderr: {result.StdErr}");
        string[] lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + result.StdErr);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        // One compiler-style line: "FILE:LINE: error: …", "FILE: error: …" or "dkmspack: error: …", never a stack trace.
        Assert.Matches("^[^ ]+?(:[0-9]+)?: error: ", lines[0]);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private static void AssertNoPackage(string output) =>
        Assert.True(!Directory.Exists(output) || Directory.GetFileSystemEntries(output).Length == 0, "files left in " + output + ": " + (Directory.Exists(output) ? string.Join(", ", Directory.GetFileSystemEntries(output)) : string.Empty));

    /// <summary>A copy of the example that the unprivileged user can read (the temp root is 0700).</summary>
    private string WorldReadableCopy()
    {
        File.SetUnixFileMode(_temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        return _temp.CopyTree(Repo.Example("apple-gmux-0.1"), "tree");
    }

    private static string WorldWritable(string directory)
    {
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        return directory;
    }
}
