using DkmsPack.Diagnostics;

namespace DkmsPack.Verification;

/// <summary>
/// What <see cref="PackageVerifier"/> found for one file: when good, <see cref="Checked"/> says what was checked
/// (e.g. <c>header signature EdDSA/SHA256 by FINGERPRINT (DATE), header SHA256, payload SHA256</c>); when bad,
/// <see cref="Problem"/> says every check that failed, in one diagnostic about the file.
/// </summary>
public sealed record FileVerification(string File, string? Checked, Diagnostic? Problem)
{
    public bool IsGood => Problem is null;
}

/// <summary>A check that failed: what, and what to do about it. Thrown inside the verifiers, caught by <see cref="PackageVerifier"/>.</summary>
internal sealed class VerificationException : Exception
{
    public VerificationException()
    {
    }

    public VerificationException(string message)
        : base(message)
    {
    }

    public VerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VerificationException(string message, string remedy)
        : base(message)
    {
        Remedy = remedy;
    }

    public string? Remedy { get; }
}

/// <summary>The remedies of the verifiers' findings, one per kind of failure.</summary>
internal static class VerificationRemedy
{
    public const string Changed = "it changed after it was signed or built: do not install it; fetch or build it again";

    public const string Damaged = "it is damaged, cut short or not what its name says: fetch or build it again";

    /// <summary>The signature is of a kind, or by a key in a state (expired, revoked), that is not accepted.</summary>
    public const string Untrusted = "the signature cannot be trusted as it is: ask the signer for a new signature with a valid key";

    public static string Unsigned => $"sign it when building, with {OptionRef.To("sign")} or {OptionRef.To("signing-key")}";

    public static string KeyNotGiven => $"if you trust the signer, give its public key with {OptionRef.To("key")}";
}

/// <summary>Collects the failed checks of one file, to report them all in one line.</summary>
internal sealed class Findings
{
    private readonly List<string> _problems = [];
    private string? _remedy;

    public bool Any => _problems.Count > 0;

    public void Add(string problem, string remedy)
    {
        _problems.Add(problem);
        _remedy ??= remedy;
    }

    /// <summary>Throws every problem found, with the remedy of the first; or, when all held, returns the checks joined.</summary>
    public string ThrowOr(IEnumerable<string> checkedParts) =>
        Any ? throw new VerificationException(string.Join(", ", _problems), _remedy!) : string.Join(", ", checkedParts);
}
