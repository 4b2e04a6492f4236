using System.Globalization;
using DkmsPack.Tests.Support;
using Xunit;
using static DkmsPack.Tests.Source.TreeTestSupport;

namespace DkmsPack.Tests.Source;

/// <summary>
/// One mtime rule for every format, applied by the scan before anything is written: after SOURCE_DATE_EPOCH has
/// lowered later times, an mtime must lie between 1970 and 2106-02-07 (cpio's and RPM's 32 bits).
/// </summary>
public sealed class ModifiedTimeTests : ModuleTreeTest
{
    private const long SourceDateEpoch = 1767225600; // 2026-01-01 00:00:00 UTC

    [Theory]
    [InlineData("mkdeb", 1960, "before 1970")]
    [InlineData("mkrpm", 1960, "before 1970")]
    [InlineData("mkdeb", 2200, "after 2106-02-07 06:28:15 UTC")]
    [InlineData("mkrpm", 2200, "after 2106-02-07 06:28:15 UTC")]
    [InlineData("mkdeb", 2300, "after 2106-02-07 06:28:15 UTC")] // past tar's octal too
    public void FileOutsideTheRange_IsRefusedTheSameForEveryFormat(string command, int year, string expected)
    {
        string file = Path.Combine(Tree, "Makefile");
        File.SetLastWriteTimeUtc(file, new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var result = Package(command, Tree, Output);

        AssertTreeError(result, file, $"{year}-01-01 00:00:00 UTC", expected, "touch it");
        if (year > 2106)
        {
            Assert.Contains("or set SOURCE_DATE_EPOCH", result.StdErr, StringComparison.Ordinal);
        }

        AssertNothingWritten(Output);
    }

    [Fact]
    public void SymlinkAndDirectoryTimes_AreCheckedToo()
    {
        string directory = Path.Combine(Tree, "old");
        Directory.CreateDirectory(directory);
        string link = Path.Combine(directory, "link");
        File.CreateSymbolicLink(link, "../Makefile");
        RealTool.RunChecked("touch", "-h", "-d", "1969-07-20 20:17:40 UTC", link);

        AssertTreeError(Package("mkdeb", Tree, Output), link, "1969-07-20 20:17:40 UTC", "touch -h it");

        File.Delete(link);
        Directory.SetLastWriteTimeUtc(directory, new DateTime(1969, 7, 20, 0, 0, 0, DateTimeKind.Utc));
        AssertTreeError(Package("mkdeb", Tree, Output), directory, "before 1970");
        AssertNothingWritten(Output);
    }

    [Fact]
    public void FutureFile_WithSourceDateEpoch_IsLoweredToIt_InTheDeb()
    {
        File.SetLastWriteTimeUtc(Path.Combine(Tree, "Makefile"), new DateTime(2300, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        string deb = AssertOnePackage(Package("mkdeb", Tree, Output, Epoch()), Output);

        string makefile = Assert.Single(DebListing(deb), l => l.EndsWith("/Makefile", StringComparison.Ordinal));
        Assert.Contains(" 2026-01-01 00:00 ", makefile, StringComparison.Ordinal);
    }

    [Fact]
    public void FutureFile_WithSourceDateEpoch_IsLoweredToIt_InTheRpm()
    {
        File.SetLastWriteTimeUtc(Path.Combine(Tree, "Makefile"), new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        string rpm = AssertOnePackage(Package("mkrpm", Tree, Output, Epoch()), Output);

        string[] times = RealTool.RunChecked("rpm", "-qp", "--qf", "[%{FILEMTIMES} %{FILENAMES}\n]", rpm).TrimEnd('\n').Split('\n');
        string makefile = Assert.Single(times, l => l.EndsWith("/Makefile", StringComparison.Ordinal));
        Assert.StartsWith(SourceDateEpoch.ToString(CultureInfo.InvariantCulture) + " ", makefile, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Epoch() =>
        new() { ["SOURCE_DATE_EPOCH"] = SourceDateEpoch.ToString(CultureInfo.InvariantCulture) };
}
