using System.Globalization;
using DkmsPack.Diagnostics;
using DkmsPack.Packaging;
using DkmsPack.Signing;

namespace DkmsPack.Repository;

/// <summary>The parts of a run that both formats prepare the same way: the time, the key, the user-file name and URL.</summary>
internal static class RepositoryContext
{
    /// <summary>SOURCE_DATE_EPOCH when set, else <paramref name="now"/>, in Unix seconds.</summary>
    public static long Time(RepositoryRequest request, DateTimeOffset now) =>
        SpecBuilder.ParseSourceDateEpoch(request.SourceDateEpoch) ?? now.ToUnixTimeSeconds();

    /// <summary>Loads the signing key valid at <paramref name="time"/>, then clears what the caller read.</summary>
    public static SigningKey? LoadKey(SigningRequest? request, long time)
    {
        if (request is null)
        {
            return null;
        }

        try
        {
            return SigningKey.Load(request.Key, request.Passphrase, time, request.Origin);
        }
        finally
        {
            Array.Clear(request.Key);
            Array.Clear(request.Passphrase);
        }
    }

    /// <summary>The --url, or file:// of the repository directory (right for a local test, to be replaced for users).</summary>
    public static string Url(RepositoryRequest request, string root)
    {
        string url = request.Url ?? new Uri(root).AbsoluteUri;
        return url.Any(char.IsControl) || url.Contains(' ', StringComparison.Ordinal)
            ? throw DkmsPackException.Options($"{OptionRef.To("url")} \"{url}\" holds a space or a control character", "give the URL the repository is served from, e.g. https://example.org/apt")
            : url.TrimEnd('/');
    }

    /// <summary>The --name, else the first package name with a -dkms suffix dropped.</summary>
    public static string Name(RepositoryRequest request, IEnumerable<string> packageNames)
    {
        if (request.Name is { } given)
        {
            return RepositoryNames.RequireSimpleName(given, "name");
        }

        string? first = packageNames.Order(StringComparer.Ordinal).FirstOrDefault();
        return first is null
            ? throw DkmsPackException.Options($"the repository is empty, so {OptionRef.To("name")} cannot be guessed", "give the packages to add, or --name")
            : first.EndsWith("-dkms", StringComparison.Ordinal) && first.Length > 5 ? first[..^5] : first;
    }

    /// <summary>The public key files users install: NAME.asc (armoured) and NAME.gpg (a binary keyring, for apt's Signed-By and rpm --import).</summary>
    public static List<string> StageKeys(StagedUpdate update, SigningKey key, string name)
    {
        string armored = name + ".asc";
        string binary = name + ".gpg";
        update.Stage(armored, System.Text.Encoding.ASCII.GetBytes(key.ExportPublicKeyArmored()));
        update.Stage(binary, key.ExportPublicKey());
        return [armored, binary];
    }

    public static string Decimal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every error at once (exit 2), or nothing.</summary>
    public static void ThrowIfAny(List<Diagnostic> errors)
    {
        if (errors.Count > 0)
        {
            throw new DkmsPackException(errors, ExitCode.InvalidInput);
        }
    }

    /// <summary>The lower-case hex SHA-256 of a file, streamed.</summary>
    public static string Sha256Of(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }
}
