using DkmsPack.Diagnostics;
using DkmsPack.IO;

namespace DkmsPack.Verification;

/// <summary>
/// <c>verify</c>'s engine: checks the signatures and digests of a .rpm, a .deb, an Arch package, or SHA256SUMS(.asc) against the
/// keys given, with no rpm, dpkg or gpg. Each file gives one <see cref="FileVerification"/>: what was checked, or
/// one diagnostic naming every check that failed. A file that is unsigned, signed by a key not given, changed,
/// damaged, cut short or unreadable is bad; nothing here throws for a bad file.
/// </summary>
public static class PackageVerifier
{
    public static FileVerification Verify(string path, VerificationKeys keys)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(keys);
        try
        {
            return new FileVerification(path, Check(path, keys), null);
        }
        catch (VerificationException ex)
        {
            return Bad(path, ex.Message, ex.Remedy ?? VerificationRemedy.Damaged);
        }
        catch (EndOfStreamException)
        {
            return Bad(path, "is cut short (the file ends inside a header)", VerificationRemedy.Damaged);
        }
        catch (InvalidDataException ex)
        {
            return Bad(path, "is not a valid package: " + ex.Message.TrimEnd('.'), VerificationRemedy.Damaged);
        }
        catch (DkmsPackException ex)
        {
            Diagnostic first = ex.Diagnostics[0];
            return Bad(path, first.Message, first.Remedy ?? VerificationRemedy.Damaged);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Bad(path, "cannot be read (" + ex.Message.TrimEnd('.') + ")", "check the path and its permissions");
        }
    }

    /// <summary>Opens a file for reading, once it is known to be a regular file (opening a FIFO would block).</summary>
    internal static FileStream OpenRegular(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    private static string Check(string path, VerificationKeys keys)
    {
        if (ChecksumsVerifier.Handles(path))
        {
            return ChecksumsVerifier.Verify(path, keys);
        }

        FileKind kind = FileStatusReader.Stat(path).Kind;
        if (kind != FileKind.Regular)
        {
            throw new VerificationException(kind == FileKind.Missing ? "no such file" : "is not a regular file", "give the path of a .rpm, .deb, .pkg.tar.zst or SHA256SUMS file");
        }

        if (ArchVerifier.Handles(path))
        {
            return ArchVerifier.Verify(path, keys);
        }

        Func<Stream, VerificationKeys, string> verifier = Path.GetExtension(path) switch
        {
            ".rpm" => RpmVerifier.Verify,
            ".deb" => DebVerifier.Verify,
            _ => throw new VerificationException("is not a .rpm, a .deb, an Arch package (.pkg.tar.zst, .gz, .xz or .pkg.tar, or its .sig), SHA256SUMS or SHA256SUMS.asc", "give the path of a file that dkmspack builds"),
        };
        using FileStream file = OpenRegular(path);
        return verifier(file, keys);
    }

    private static FileVerification Bad(string path, string message, string remedy) =>
        new(path, null, Diagnostic.Error(path, 0, message, remedy, DiagnosticCode.Verification));
}
