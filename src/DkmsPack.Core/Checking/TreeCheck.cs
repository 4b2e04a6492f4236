using System.Text;
using DkmsPack.Diagnostics;
using DkmsPack.Dkms;
using DkmsPack.Model;
using DkmsPack.Packaging;
using DkmsPack.Source;

namespace DkmsPack.Checking;

/// <summary>
/// <c>dkmspack check</c>: everything packaging would say about a module tree, and what lintian, rpmlint and DKMS on the
/// target would say about its files, without writing anything. Findings are diagnostics; what the tree needs of DKMS is
/// told as notes.
/// </summary>
public static class TreeCheck
{
    /// <summary>Enough of a file's head for its #! line and the ELF magic.</summary>
    private const int HeadBytes = 256;

    private static readonly byte[] s_elfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>The findings, sorted as they should be shown: the tree's and dkms.conf's first, then the notes.</summary>
    public sealed record Report(IReadOnlyList<Diagnostic> Findings, DkmsConf? Conf)
    {
        public bool HasErrors => Findings.Any(finding => finding.IsError);
    }

    public static Report Run(BuildRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var findings = new List<Diagnostic>();
        DkmsConf? conf = null;
        IReadOnlyList<PackageEntry> entries;
        string installDirectory;
        try
        {
            SpecBuilder.Result built = SpecBuilder.Build(request, now);
            findings.AddRange(built.Warnings);
            conf = built.Conf;
            entries = built.Spec.SourceEntries;
            installDirectory = built.Spec.SourceDirectory;
        }
        catch (DkmsPackException e) when (e.ExitCode == ExitCode.InvalidInput && Directory.Exists(request.SourceDirectory))
        {
            // dkms.conf (or the licence) stops packaging; the files can still be looked at.
            findings.AddRange(e.Diagnostics);
            installDirectory = "usr/src/tree";
            entries = SourceTree.Scan(request.SourceDirectory, installDirectory, null, 0, ExclusionRules.ForTree(request.SourceDirectory, request.SourceDirectory, request.Excludes));
        }

        findings.AddRange(CheckFiles(entries, installDirectory, request.SourceDirectory));
        if (conf is not null)
        {
            findings.AddRange(DkmsNotes(conf));
        }

        return new Report(findings, conf);
    }

    /// <summary>Scripts rpmlint refuses or DKMS cannot run, and prebuilt binaries in what would be packaged.</summary>
    private static IEnumerable<Diagnostic> CheckFiles(IReadOnlyList<PackageEntry> entries, string installDirectory, string displayRoot)
    {
        byte[] head = new byte[HeadBytes];
        foreach (PackageEntry entry in entries.Where(entry => entry.Kind == EntryKind.File))
        {
            int length;
            using (Stream stream = entry.Content!.Open())
            {
                length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            string display = Path.Combine(displayRoot, entry.Path[(installDirectory.Length + 1)..]);
            if (head.AsSpan(0, length).StartsWith(s_elfMagic))
            {
                yield return Diagnostic.Warning(
                    display,
                    0,
                    "is a prebuilt ELF binary, which an Architecture: all package should not carry (lintian: arch-independent-package-contains-binary-or-object)",
                    $"leave it out with {OptionRef.To("exclude")} unless the build needs it (a vendor blob), since DKMS builds the module from source",
                    DiagnosticCode.SourceTree);
            }
            else if (length >= 2 && head[0] == '#' && head[1] == '!')
            {
                foreach (Diagnostic finding in CheckScript(display, head.AsSpan(0, length), entry.Permissions))
                {
                    yield return finding;
                }
            }
        }
    }

    private static List<Diagnostic> CheckScript(string display, ReadOnlySpan<byte> head, int permissions)
    {
        int end = head.IndexOf((byte)'\n');
        string shebang = Encoding.UTF8.GetString(end < 0 ? head : head[..end]);
        var findings = new List<Diagnostic>();
        if (head.Contains((byte)'\r'))
        {
            string consequence = shebang.EndsWith('\r') ? ": the kernel looks for an interpreter whose name ends in a carriage return, so it cannot be run" : string.Empty;
            findings.Add(Diagnostic.Warning(display, 1, $"has Windows (CRLF) line endings{consequence} (rpmlint: wrong-script-end-of-line-encoding)", "convert it to LF line endings, e.g. with dos2unix", DiagnosticCode.SourceTree));
        }

        string[] words = shebang[2..].Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && words[0] == "/usr/bin/env")
        {
            findings.Add(Diagnostic.Warning(display, 1, "runs its interpreter through /usr/bin/env (rpmlint: env-script-interpreter)", $"name the interpreter's path, e.g. #!/bin/{(words.Length > 1 ? words[1] : "sh")}", DiagnosticCode.SourceTree));
        }

        if (permissions != UnixPermissions.Executable)
        {
            findings.Add(Diagnostic.Warning(display, 1, "starts with #! but is not executable (rpmlint: non-executable-script; DKMS skips PRE_BUILD/POST_* scripts that are not)", "chmod +x it if it is run, or drop the #! line", DiagnosticCode.SourceTree));
        }

        return findings;
    }

    /// <summary>What the tree needs of DKMS, and which releases' DKMS builds it.</summary>
    private static IEnumerable<Diagnostic> DkmsNotes(DkmsConf conf)
    {
        DkmsFeatures.Requirement? upstream = DkmsFeatures.NewestUpstream(conf.Features);
        DkmsFeatures.Requirement? debian = DkmsFeatures.NewestDebian(conf.Features);
        string uses = string.Join(", ", DkmsFeatures.For(conf.Features).Select(row => row.Directive));
        yield return upstream is null
            ? Diagnostic.Note(conf.DisplayPath, 0, "needs no particular DKMS release: every DKMS from 2.1 on reads it", DiagnosticCode.DkmsConf)
            : Diagnostic.Note(conf.DisplayPath, 0, $"needs DKMS {upstream.Upstream} or later upstream (Debian: {debian!.Debian}) for {uses}", DiagnosticCode.DkmsConf);
        foreach (DkmsReleases.Release release in DkmsReleases.DebianFamily)
        {
            List<DkmsFeatures.Requirement> missing = [.. DkmsFeatures.For(conf.Features).Where(row => !DkmsFeatures.Satisfies(release.DkmsVersion, row.Debian))];
            string verdict = missing.Count == 0
                ? "builds it"
                : $"does not: the package needs a newer dkms for {string.Join(", ", missing.Select(row => row.Directive))}, so it cannot be installed there";
            yield return Diagnostic.Note(conf.DisplayPath, 0, $"{release.Distribution}, dkms {release.DkmsVersion}: {verdict}", DiagnosticCode.DkmsConf);
        }
    }
}
