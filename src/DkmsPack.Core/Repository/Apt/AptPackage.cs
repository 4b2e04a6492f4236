using System.Text;
using System.Text.RegularExpressions;

namespace DkmsPack.Repository.Apt;

/// <summary>
/// One package of an index: its control paragraph as <c>Packages</c> holds it (the .deb's control fields, then
/// Filename, Size, MD5sum, SHA256), and the fields the repository works with.
/// </summary>
public sealed partial class AptPackage
{
    /// <summary>Fields that the repository writes and a package's own control file must not supply.</summary>
    private static readonly string[] s_indexFields = ["Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512"];

    private AptPackage(Deb822Paragraph paragraph, string name, string version, string architecture, string fileName, long size, string sha256)
    {
        Paragraph = paragraph;
        Name = name;
        Version = version;
        Architecture = architecture;
        FileName = fileName;
        Size = size;
        Sha256 = sha256;
    }

    public Deb822Paragraph Paragraph { get; }

    public string Name { get; }

    public string Version { get; }

    public string Architecture { get; }

    /// <summary>The repository-relative path of the .deb (Packages' Filename).</summary>
    public string FileName { get; }

    public long Size { get; }

    public string Sha256 { get; }

    /// <summary>Name, version and architecture: the identity apt knows a package by.</summary>
    public (string Name, string Version, string Architecture) Key => (Name, Version, Architecture);

    /// <summary>An entry of an existing Packages file.</summary>
    /// <exception cref="FormatException">A field the repository relies on is missing or malformed.</exception>
    public static AptPackage FromIndex(Deb822Paragraph paragraph)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        (string name, string version, string architecture) = Identity(paragraph, "this entry");
        string fileName = paragraph["Filename"] ?? throw new FormatException($"the entry of {name} has no Filename");
        if (!RepositoryNames.IsInside(fileName, "pool"))
        {
            throw new FormatException($"the entry of {name} has the Filename \"{fileName}\", which is not a path inside pool/");
        }

        string sizeText = paragraph["Size"] ?? string.Empty;
        string sha256 = paragraph["SHA256"] ?? string.Empty;
        if (!long.TryParse(sizeText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size) || !Sha256Hex().IsMatch(sha256))
        {
            throw new FormatException($"the entry of {name} {version} lacks a valid Size or SHA256");
        }

        return new AptPackage(paragraph, name, version, architecture, fileName, size, sha256);
    }

    /// <summary>A new package from its control paragraph and the digest of its copy at <paramref name="fileName"/>.</summary>
    public static AptPackage FromControl(Deb822Paragraph control, string fileName, FileDigest digest)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(digest);
        (string name, string version, string architecture) = Identity(control, "its control file");
        var fields = new List<Deb822Field> { new("Package", name) };
        fields.AddRange(control.Fields.Where(f => !string.Equals(f.Name, "Package", StringComparison.OrdinalIgnoreCase) && !s_indexFields.Contains(f.Name, StringComparer.OrdinalIgnoreCase)));
        fields.Add(new Deb822Field("Filename", fileName));
        fields.Add(new Deb822Field("Size", RepositoryContext.Decimal(digest.Size)));
        fields.Add(new Deb822Field("MD5sum", digest.Md5));
        fields.Add(new Deb822Field("SHA256", digest.Sha256));
        return new AptPackage(new Deb822Paragraph(fields), name, version, architecture, fileName, digest.Size, digest.Sha256);
    }

    /// <summary>
    /// Where a package goes: <c>pool/main/PREFIX/SOURCE/NAME_VERSION_ARCH.deb</c>, PREFIX being the source's first
    /// letter, or its first four for lib* (the Debian archive's layout), and the version without its epoch (dpkg-name).
    /// </summary>
    public static string PoolPath(Deb822Paragraph control)
    {
        ArgumentNullException.ThrowIfNull(control);
        (string name, string version, string architecture) = Identity(control, "its control file");
        string source = (control["Source"] ?? name).Split(' ', 2)[0];
        if (!PackageName().IsMatch(source))
        {
            throw new FormatException($"its control file has the Source \"{source}\", not a valid source package name (Debian Policy §5.6.1)");
        }

        string prefix = source.StartsWith("lib", StringComparison.Ordinal) && source.Length > 3 ? source[..4] : source[..1];
        return $"pool/{AptRepository.Component}/{prefix}/{source}/{name}_{DebianVersion.WithoutEpoch(version)}_{architecture}.deb";
    }

    public void WriteTo(StringBuilder output) => Paragraph.WriteTo(output);

    // Names, versions and architectures become paths: only the characters Debian Policy allows (§5.6.1, §5.6.12, §11.1).
    private static (string Name, string Version, string Architecture) Identity(Deb822Paragraph paragraph, string where)
    {
        string name = paragraph["Package"] ?? throw new FormatException($"{where} has no Package field");
        string version = paragraph["Version"] ?? throw new FormatException($"{where} has no Version field");
        string architecture = paragraph["Architecture"] ?? throw new FormatException($"{where} has no Architecture field");
        if (!PackageName().IsMatch(name))
        {
            throw new FormatException($"{where} has the Package \"{name}\", not a valid package name (Debian Policy §5.6.1)");
        }

        if (!VersionText().IsMatch(version))
        {
            throw new FormatException($"{where} has the Version \"{version}\", not a valid version (deb-version(5))");
        }

        return ArchitectureName().IsMatch(architecture)
            ? (name, version, architecture)
            : throw new FormatException($"{where} has the Architecture \"{architecture}\", not one architecture name");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant)]
    internal static partial Regex PackageName();

    [GeneratedRegex("^([0-9]+:)?[0-9A-Za-z][A-Za-z0-9.+~-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionText();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex ArchitectureName();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
