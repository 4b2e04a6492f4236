using System.Collections.Concurrent;
using System.Reflection;
using DkmsPack.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace DkmsPack.Rendering;

/// <summary>
/// The packaging templates: those embedded in dkmspack, each of which a file of the same relative
/// path under the user's override directory replaces (e.g. <c>deb/postinst.sbn</c>).
/// </summary>
public sealed class TemplateSet : ITemplateLoader
{
    private const string ResourcePrefix = "templates/";
    private readonly string? _overrideDirectory;
    private readonly ConcurrentDictionary<string, Template> _parsed = new(StringComparer.Ordinal);

    private TemplateSet(string? overrideDirectory)
    {
        _overrideDirectory = overrideDirectory;
    }

    /// <summary>Only the templates built into dkmspack.</summary>
    public static TemplateSet Embedded { get; } = new(null);

    /// <summary>True for the built-in templates alone, whose use of Scriban's builtins is known (see <see cref="TemplateRenderer"/>).</summary>
    public bool IsEmbeddedOnly => _overrideDirectory is null;

    /// <summary>The embedded templates, overridden by <paramref name="overrideDirectory"/> when one is given (--templates).</summary>
    public static TemplateSet For(string? overrideDirectory) => overrideDirectory is null ? Embedded : WithOverrides(overrideDirectory);

    /// <summary>The embedded templates, with any file under <paramref name="directory"/> taking precedence.</summary>
    public static TemplateSet WithOverrides(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DkmsPackException(Diagnostic.Error(directory, 0, "the templates directory does not exist", $"pass {OptionRef.To("templates")} a directory holding deb/*.sbn or rpm/*.sbn files", DiagnosticCode.Option), ExitCode.InvalidOptions);
        }

        return new TemplateSet(Path.GetFullPath(directory));
    }

    /// <summary>Relative names of every embedded template, e.g. <c>deb/control.sbn</c>.</summary>
    public static IEnumerable<string> EmbeddedNames() =>
        typeof(TemplateSet).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal);

    /// <summary>Where a template comes from, for messages: the override file's path or "embedded:NAME".</summary>
    public string Origin(string name)
    {
        string? file = OverrideFile(name);
        return file ?? $"embedded:{name}";
    }

    /// <summary>True when the set has <paramref name="name"/>: built in, or given in the override directory.</summary>
    public bool Contains(string name) =>
        OverrideFile(name) is not null || typeof(TemplateSet).Assembly.GetManifestResourceInfo(ResourcePrefix + name) is not null;

    /// <summary>True when the override directory has <paramref name="name"/>: a template the user added or replaced.</summary>
    public bool IsOverridden(string name) => OverrideFile(name) is not null;

    /// <summary>The template's source text.</summary>
    public string ReadText(string name)
    {
        string? file = OverrideFile(name);
        if (file is not null)
        {
            return File.ReadAllText(file);
        }

        using Stream? resource = typeof(TemplateSet).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new DkmsPackException(Diagnostic.Error($"embedded:{name}", 0, "no such template (a bug in dkmspack)", code: DiagnosticCode.Internal), ExitCode.InternalError);
        using var reader = new StreamReader(resource);
        return reader.ReadToEnd();
    }

    /// <summary>Parses (once) and returns the template, failing with the file and line of a syntax error.</summary>
    public Template Get(string name) => _parsed.GetOrAdd(name, Parse);

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => ReadText(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(ReadText(templatePath));

    private Template Parse(string name)
    {
        Template template = Template.Parse(ReadText(name), Origin(name));
        if (template.HasErrors)
        {
            LogMessage first = template.Messages[0];
            throw DkmsPackException.Template(Origin(name), first.Span.Start.Line + 1, first.Message, $"fix the template or remove it from the {OptionRef.To("templates")} directory");
        }

        return template;
    }

    private string? OverrideFile(string name)
    {
        if (_overrideDirectory is null)
        {
            return null;
        }

        string candidate = Path.Combine(_overrideDirectory, name.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(candidate) ? candidate : null;
    }
}
