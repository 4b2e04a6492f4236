using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.IO;
using DkmsPack.Packaging;

namespace DkmsPack.Verification;

/// <summary>
/// Checks <c>SHA256SUMS.asc</c>, the armoured detached signature of <c>SHA256SUMS</c> (as <c>gpgv</c> would), then
/// every file SHA256SUMS lists, in the same directory, against its SHA-256 (as <c>sha256sum -c</c> would: lines
/// of 64 hex digits, two spaces or space and <c>*</c>, and the name). Names must be plain file names: the list
/// vouches for the files beside it, never for a path elsewhere.
/// </summary>
internal static class ChecksumsVerifier
{
    public const string SignatureSuffix = ".asc";

    /// <summary>One line per package: a list of more than 1 MiB is not one dkmspack wrote.</summary>
    private const int MaxListBytes = 1 << 20;

    private const int MaxSignatureBytes = 64 * 1024;

    private const int Sha256HexLength = 64;

    /// <summary>True for SHA256SUMS and SHA256SUMS.asc, which <see cref="Verify"/> checks together.</summary>
    public static bool Handles(string path)
    {
        string name = Path.GetFileName(path);
        return name is PackageBuild.ChecksumsFileName or PackageBuild.ChecksumsFileName + SignatureSuffix;
    }

    public static string Verify(string path, VerificationKeys keys)
    {
        string list = path.EndsWith(SignatureSuffix, StringComparison.Ordinal) ? path[..^SignatureSuffix.Length] : path;
        string signaturePath = list + SignatureSuffix;
        byte[] signature = ReadSmall(signaturePath, MaxSignatureBytes, "no signature", VerificationRemedy.Unsigned);
        byte[] sums = ReadSmall(list, MaxListBytes, "no checksum list", VerificationRemedy.Damaged);

        var checkedParts = new List<string>();
        var findings = new Findings();
        DetachedSignature.Check(keys, signature, [new MemoryStream(sums, writable: false)], "signature", PackageBuild.ChecksumsFileName, checkedParts, findings);
        if (findings.Any)
        {
            checkedParts.Clear(); // the list is not trusted: its files are not checked
            return findings.ThrowOr(checkedParts);
        }

        string directory = Path.GetDirectoryName(list) is { Length: > 0 } d ? d : ".";
        var good = new List<string>();
        int lineNumber = 0;
        foreach (string line in Encoding.UTF8.GetString(sums).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (!TryParse(line, out string expected, out string name))
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture, $"{PackageBuild.ChecksumsFileName} line {lineNumber} is not \"SHA256  FILE-NAME\""), VerificationRemedy.Damaged);
                continue;
            }

            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture, $"{PackageBuild.ChecksumsFileName} line {lineNumber} names \"{name}\", not a file beside it"), VerificationRemedy.Damaged);
                continue;
            }

            string file = Path.Combine(directory, name);
            FileKind kind = FileStatusReader.Stat(file).Kind;
            if (kind != FileKind.Regular)
            {
                findings.Add($"{name} is {(kind == FileKind.Missing ? "missing" : "not a regular file")}", VerificationRemedy.Damaged);
            }
            else if (!string.Equals(Sha256Hex(file), expected, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{name}: SHA256 does not match (BAD)", VerificationRemedy.Changed);
            }
            else
            {
                good.Add(name);
            }
        }

        if (good.Count == 0 && !findings.Any)
        {
            findings.Add($"{PackageBuild.ChecksumsFileName} lists no files", VerificationRemedy.Damaged);
        }

        checkedParts.Add("SHA256 of " + string.Join(", ", good));
        return findings.ThrowOr(checkedParts);
    }

    private static bool TryParse(string line, out string sha256, out string name)
    {
        sha256 = string.Empty;
        name = string.Empty;
        if (line.Length < Sha256HexLength + 3 || line[Sha256HexLength] != ' ' || line[Sha256HexLength + 1] is not (' ' or '*'))
        {
            return false;
        }

        sha256 = line[..Sha256HexLength];
        name = line[(Sha256HexLength + 2)..];
        return sha256.All(char.IsAsciiHexDigit) && name.Length > 0;
    }

    private static string Sha256Hex(string file)
    {
        using FileStream stream = PackageVerifier.OpenRegular(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static byte[] ReadSmall(string path, int limit, string missing, string remedyIfMissing)
    {
        FileKind kind = FileStatusReader.Stat(path).Kind;
        if (kind != FileKind.Regular)
        {
            throw new VerificationException(kind == FileKind.Missing ? $"{missing}: {path} does not exist" : $"{path} is not a regular file", kind == FileKind.Missing ? remedyIfMissing : VerificationRemedy.Damaged);
        }

        using FileStream stream = PackageVerifier.OpenRegular(path);
        if (stream.Length > limit)
        {
            throw new VerificationException(string.Create(CultureInfo.InvariantCulture, $"{path} is larger than {limit} bytes, which no signature or checksum list dkmspack writes is"), VerificationRemedy.Damaged);
        }

        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
