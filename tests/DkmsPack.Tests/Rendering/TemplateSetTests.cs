using DkmsPack.Rendering;
using DkmsPack.Tests.Support;
using Xunit;

namespace DkmsPack.Tests.Rendering;

public sealed class TemplateSetTests
{
    [Fact]
    public void EveryTemplateFile_IsEmbedded()
    {
        string templates = Path.Combine(Repo.Root, "templates");
        string[] onDisk = [.. Directory.EnumerateFiles(templates, "*.sbn", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(templates, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

        Assert.Equal(onDisk, TemplateSet.EmbeddedNames());
        Assert.All(onDisk, name => Assert.Equal(File.ReadAllText(Path.Combine(templates, name)), TemplateSet.Embedded.ReadText(name)));
    }

    [Fact]
    public void Override_ReplacesOnlyTheFilesItHas()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("rpm"));
        File.WriteAllText(temp.Combine("rpm", "preun.sbn"), "echo custom");

        TemplateSet set = TemplateSet.WithOverrides(temp.Path);

        Assert.Equal("echo custom", set.ReadText("rpm/preun.sbn"));
        Assert.Equal(temp.Combine("rpm", "preun.sbn"), set.Origin("rpm/preun.sbn"));
        Assert.Equal(TemplateSet.Embedded.ReadText("rpm/post.sbn"), set.ReadText("rpm/post.sbn"));
        Assert.Equal("embedded:rpm/post.sbn", set.Origin("rpm/post.sbn"));
    }

    /// <summary>
    /// The embedded templates render with the few builtins they use (every packaging test renders them, with strict
    /// variables); a template of the user's gets all of Scriban's builtins beside the dkmspack functions.
    /// </summary>
    [Fact]
    public void Render_OverrideMayUseAnyScribanBuiltin()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("deb"));
        const string text = "{{ name | string.upcase }} {{ [3, 1, 2] | array.sort | array.join ',' }} {{ 7.5 | math.floor }} {{ name | string.rstrip | sh_quote }}";
        File.WriteAllText(temp.Combine("deb", "custom.sbn"), text);
        var model = new Scriban.Runtime.ScriptObject { ["name"] = "gmux " };

        Assert.Equal("GMUX  1,2,3 7 'gmux'", TemplateRenderer.Render(TemplateSet.WithOverrides(temp.Path), "deb/custom.sbn", model));
    }

    [Theory]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(reboot)", "'$(reboot)'")]
    [InlineData("a b", "'a b'")]
    public void ShellQuote_KeepsEveryValueLiteralInSh(string value, string quoted)
    {
        Assert.Equal(quoted, TemplateFunctions.ShellQuote(value));
        Assert.Equal(value + "\n", RealTool.RunChecked("sh", "-c", "printf '%s\\n' " + quoted));
    }
}
