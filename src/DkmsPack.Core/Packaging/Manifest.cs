using System.Text;
using System.Text.Json;

namespace DkmsPack.Packaging;

/// <summary>The machine-readable list of what a build wrote (<c>dkmspack build --json</c>).</summary>
public static class Manifest
{
    /// <summary>
    /// <c>{"packages":[{"path":…,"file":…,"format":…,"name":…,"version":…,"size":…,"sha256":…}]}</c>,
    /// written with Utf8JsonWriter so it needs no reflection (Native AOT).
    /// </summary>
    public static string ToJson(IReadOnlyList<BuiltPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
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
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
