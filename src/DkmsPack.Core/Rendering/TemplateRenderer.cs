using DkmsPack.Diagnostics;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DkmsPack.Rendering;

/// <summary>Renders one template of a <see cref="TemplateSet"/> against a model built by the caller.</summary>
public static class TemplateRenderer
{
    /// <summary>The dkmspack functions, made once: binding a function costs reflection over its delegate.</summary>
    private static readonly Lazy<ScriptObject> s_functions = new(() =>
    {
        ScriptObject functions = TemplateFunctions.Create();
        functions.IsReadOnly = true;
        return functions;
    });

    /// <summary>
    /// The builtins the embedded templates use: <c>include</c> and three of <c>string.*</c>, Scriban's own functions
    /// bound without reflection. Scriban imports its full set (and even <c>string</c> alone) by reflection over its
    /// methods on first use: a third of a small package's run as a Native AOT binary. Templates from
    /// <c>--templates</c> may use any builtin, so they get the full set. The packaging tests render every embedded
    /// template with strict variables, so one that needed another builtin would fail there.
    /// </summary>
    private static readonly Lazy<ScriptObject> s_embeddedBuiltins = new(() => new ScriptObject
    {
        ["include"] = new Scriban.Functions.IncludeFunction(),
        ["string"] = new ScriptObject
        {
            ["rstrip"] = DelegateCustomFunction.CreateFunc<string?, string?>(Scriban.Functions.StringFunctions.RStrip),
            ["replace"] = DelegateCustomFunction.CreateFunc<string?, string?, string?, string?>(Scriban.Functions.StringFunctions.Replace),
            ["remove_first"] = DelegateCustomFunction.CreateFunc<string?, string?, string?>(Scriban.Functions.StringFunctions.RemoveFirst),
        },
    });

    /// <summary>
    /// Renders <paramref name="name"/> with <paramref name="model"/> as its globals plus the dkmspack functions
    /// (<see cref="TemplateFunctions"/>). Unknown variables are errors, so a typo in a template fails loudly.
    /// </summary>
    public static string Render(TemplateSet templates, string name, ScriptObject model)
    {
        Template template = templates.Get(name);
        var context = new TemplateContext(templates.IsEmbeddedOnly ? s_embeddedBuiltins.Value : null)
        {
            StrictVariables = true,
            NewLine = "\n",
            TemplateLoader = templates,
            MemberRenamer = member => member.Name,
        };
        context.PushGlobal(s_functions.Value);
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException ex)
        {
            throw DkmsPackException.Template(ex.Span.FileName, ex.Span.Start.Line + 1, ex.OriginalMessage, "fix the template", ex);
        }
    }
}
