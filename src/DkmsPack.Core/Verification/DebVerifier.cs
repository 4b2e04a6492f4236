using DkmsPack.Archives.Ar;

namespace DkmsPack.Verification;

/// <summary>
/// Checks a .deb's debsigs origin signature, as <c>debsig-verify</c> does but without a policy: the ar archive
/// (deb(5), ar(5)) must hold <c>debian-binary</c>, <c>control.tar.*</c> and <c>data.tar.*</c> in that order, then
/// <c>_gpgorigin</c>, a binary detached OpenPGP signature of those three members' contents concatenated (debsigs;
/// docs/deb-format.md, "ar"). Other members are allowed only with the <c>_</c> prefix deb(5) reserves. The members
/// are streamed from the file; only the signature is read into memory.
/// </summary>
internal static class DebVerifier
{
    public const string OriginMember = "_gpgorigin";

    /// <summary>A .deb has 3 members, signed 4; debsigs may add _gpgbuilder and _gpgmaint. More is not a .deb.</summary>
    private const int MaxMembers = 16;

    /// <summary>An OpenPGP signature is a few hundred bytes (RSA 16384: about 2 KiB); anything far larger is not one.</summary>
    private const int MaxSignatureBytes = 64 * 1024;

    public static string Verify(Stream file, VerificationKeys keys)
    {
        ArReader archive;
        try
        {
            archive = ArReader.Read(file, MaxMembers);
        }
        catch (InvalidDataException ex)
        {
            throw new VerificationException($"is not a valid .deb: {ex.Message}", VerificationRemedy.Damaged);
        }

        IReadOnlyList<ArMember> members = archive.Members;
        Expect(members, 0, "debian-binary", exact: true);
        Expect(members, 1, "control.tar", exact: false);
        Expect(members, 2, "data.tar", exact: false);
        ArMember? origin = null;
        foreach (ArMember extra in members.Skip(3))
        {
            if (!extra.Name.StartsWith('_'))
            {
                throw new VerificationException($"is not a valid .deb: an unexpected member {extra.Name} after {members[2].Name}", VerificationRemedy.Damaged);
            }

            if (extra.Name == OriginMember)
            {
                origin = origin is null ? extra : throw new VerificationException($"has two {OriginMember} members", VerificationRemedy.Damaged);
            }
        }

        if (origin is null)
        {
            throw new VerificationException($"no signature (no {OriginMember} member)", VerificationRemedy.Unsigned);
        }

        if (origin.Size > MaxSignatureBytes)
        {
            throw new VerificationException($"its {OriginMember} member is {origin.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes, too large for a signature", VerificationRemedy.Damaged);
        }

        byte[] signature = new byte[origin.Size];
        using (Stream stream = archive.Open(origin))
        {
            stream.ReadExactly(signature);
        }

        Stream[] signed = [.. members.Take(3).Select(archive.Open)];
        var checkedParts = new List<string>();
        var findings = new Findings();
        DetachedSignature.Check(keys, signature, signed, $"origin signature ({OriginMember})", $"{members[0].Name}, {members[1].Name} and {members[2].Name}", checkedParts, findings);
        return findings.ThrowOr(checkedParts);
    }

    private static void Expect(IReadOnlyList<ArMember> members, int index, string name, bool exact)
    {
        string? actual = index < members.Count ? members[index].Name : null;
        bool matches = actual is not null && (exact ? actual == name : actual.StartsWith(name, StringComparison.Ordinal));
        if (!matches)
        {
            string found = actual is null ? "none" : actual;
            throw new VerificationException($"is not a valid .deb: member {(index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} is {found}, where deb(5) wants {name}{(exact ? string.Empty : ".*")}", VerificationRemedy.Damaged);
        }
    }
}
