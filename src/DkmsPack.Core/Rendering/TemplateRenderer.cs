using DkmsPack.Diagnostics;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace DkmsPack.Rendering;

/// <summary>Renders one template of a <see cref="TemplateSet"/> against a model built by the caller.</summary>
public static class TemplateRenderer
{
    /// <summary>
    /// Renders <paramref name="name"/> with <paramref name="model"/> as its globals plus the dkmspack functions
    /// (<see cref="TemplateFunctions"/>). Unknown variables are errors, so a typo in a template fails loudly.
    /// </summary>
    public static string Render(TemplateSet templates, string name, ScriptObject model)
    {
        Template template = templates.Get(name);
        var context = new TemplateContext
        {
            StrictVariables = true,
            NewLine = "\n",
            TemplateLoader = templates,
            MemberRenamer = member => member.Name,
        };
        context.PushGlobal(TemplateFunctions.Create());
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
