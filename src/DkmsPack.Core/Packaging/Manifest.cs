using System.Text;
using System.Text.Json;
using DkmsPack.Diagnostics;

namespace DkmsPack.Packaging;

/// <summary>The machine-readable list of what a build wrote and found (<c>dkmspack build --json</c>).</summary>
public static class Manifest
{
    /// <summary>
    /// <c>{"tool":…,"toolVersion":…,"packages":[{"path":…,"file":…,"format":…,"name":…,"version":…,"size":…,"sha256":…}],
    /// "diagnostics":[{"severity":…,"code":…,"file":…,"line":…,"message":…,"remedy":…}]}</c>, written with Utf8JsonWriter
    /// so it needs no reflection (Native AOT). Option keys in the texts are spelled by <paramref name="spellOption"/>.
    /// </summary>
    /// <param name="packages">The packages written.</param>
    /// <param name="diagnostics">The run's findings.</param>
    /// <param name="spellOption">Spells option keys in the texts.</param>
    /// <param name="signing">Which key signed which files (<c>"signing":{"fingerprint":…,"keyId":…,"signedFiles":[…]}</c>), or null.</param>
    public static string ToJson(IReadOnlyList<BuiltPackage> packages, IReadOnlyList<Diagnostic> diagnostics, Func<string, string> spellOption, SigningSummary? signing = null)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentNullException.ThrowIfNull(diagnostics);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("tool", "dkmspack");
            json.WriteString("toolVersion", Rendering.TemplateModel.ToolVersion);
            json.WriteStartArray("packages");
            foreach (BuiltPackage package in packages)
            {
                json.WriteStartObject();
                json.WriteString("path", package.Path);
                json.WriteString("file", Path.GetFileName(package.Path));
                json.WriteString("format", package.Format);
                json.WriteString("name", package.Name);
                json.WriteString("version", package.Version);
                json.WriteNumber("size", package.Size);
                json.WriteString("sha256", package.Sha256);
                if (package.SignedBy is { } fingerprint)
                {
                    json.WriteString("signedBy", fingerprint);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (signing is not null)
            {
                json.WriteStartObject("signing");
                json.WriteString("fingerprint", signing.Fingerprint);
                json.WriteString("keyId", signing.KeyId);
                json.WriteStartArray("signedFiles");
                foreach (string file in signing.SignedFiles)
                {
                    json.WriteStringValue(file);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            WriteDiagnostics(json, diagnostics, spellOption);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The <c>"diagnostics":[…]</c> member, as every JSON output of dkmspack writes it.</summary>
    public static void WriteDiagnostics(Utf8JsonWriter json, IEnumerable<Diagnostic> diagnostics, Func<string, string> spellOption)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(diagnostics);
        json.WriteStartArray("diagnostics");
        foreach (Diagnostic diagnostic in diagnostics)
        {
            json.WriteStartObject();
            json.WriteString("severity", diagnostic.SeverityName);
            json.WriteString("code", diagnostic.Code);
            if (diagnostic.File is { } file)
            {
                json.WriteString("file", file);
            }

            if (diagnostic.Line > 0)
            {
                json.WriteNumber("line", diagnostic.Line);
            }

            json.WriteString("message", OptionRef.Spell(diagnostic.Message, spellOption));
            if (diagnostic.Remedy is { } remedy)
            {
                json.WriteString("remedy", OptionRef.Spell(remedy, spellOption));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
