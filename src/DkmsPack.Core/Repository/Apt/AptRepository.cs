using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;

namespace DkmsPack.Repository.Apt;

/// <summary>
/// Creates or updates an APT repository in the Debian archive layout (wiki.debian.org/DebianRepository/Format;
/// docs/repository.md): <c>pool/main/…/*.deb</c>, and per suite <c>dists/SUITE/main/binary-ARCH/Packages(.gz)</c>
/// with <c>by-hash/SHA256/</c> copies, a <c>Release</c> listing them, its detached signature <c>Release.gpg</c> and
/// the clear-signed <c>InRelease</c>. The update is incremental (the suite's Packages files are parsed; only the
/// new .debs are read) and published last: see <see cref="StagedUpdate"/> for the order that keeps the previous
/// repository readable if the run stops.
/// </summary>
public static class AptRepository
{
    /// <summary>The one component this repository has.</summary>
    public const string Component = "main";

    /// <summary>
    /// Indexed when neither --architectures nor an existing suite says otherwise: Debian's and Ubuntu's common
    /// release architectures, so that an <c>Architecture: all</c> package (a DKMS one) is found on each of them.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultArchitectures = ["amd64", "arm64", "armhf", "i386", "ppc64el", "riscv64", "s390x"];

    private const string ReleaseName = "Release";
    private const string ReleaseSignatureName = "Release.gpg";
    private const string InReleaseName = "InRelease";
    private const string PackagesName = "Packages";
    private const string PackagesGzName = "Packages.gz";

    public static RepositoryOutcome Publish(AptRepositoryRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        string suite = RepositoryNames.RequireSimpleName(request.Suite, "suite");
        string codename = RepositoryNames.RequireSimpleName(request.Codename ?? suite, "codename");
        if (request.Keep is < 1)
        {
            throw DkmsPackException.Options($"{OptionRef.To("keep")} must be 1 or more");
        }

        IReadOnlyList<string>? givenArchitectures = request.Architectures?.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (string architecture in givenArchitectures ?? [])
        {
            if (architecture == "all" || !AptPackage.ArchitectureName().IsMatch(architecture))
            {
                throw DkmsPackException.Options($"{OptionRef.To("architectures")} names \"{architecture}\", not a Debian architecture", "list architectures such as amd64,arm64 (packages of Architecture: all are put in each)");
            }
        }

        long time = RepositoryContext.Time(request, now);
        using SigningKey? key = RepositoryContext.LoadKey(request.Signing, time);
        using StagedUpdate update = StagedUpdate.Lock(request.RepositoryDirectory);
        string suiteDirectory = $"dists/{suite}";

        // The suite as it is: its Release (architectures, the index files it names) and its Packages files.
        Deb822Paragraph? oldRelease = ReadRelease(update, suiteDirectory);
        if (oldRelease is not null && key is null && File.Exists(update.PathOf($"{suiteDirectory}/{InReleaseName}")))
        {
            throw DkmsPackException.Options($"the suite {suite} is signed, and this run has no key, so its new index would not match the old signature", "sign with --sign or --signing-key");
        }

        List<string> oldArchitectures = oldRelease?["Architectures"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];
        Dictionary<(string, string, string), AptPackage> packages = ReadIndexes(update, suiteDirectory, oldArchitectures);
        var oldFiles = packages.Values.Select(p => p.FileName).ToHashSet(StringComparer.Ordinal);

        // The new packages: control files first, so that every bad .deb is reported before anything is written.
        var controls = new List<(string File, Deb822Paragraph Control, string PoolPath)>();
        var errors = new List<Diagnostic>();
        foreach (string file in request.Packages)
        {
            try
            {
                Deb822Paragraph control = DebControlReader.Read(file);
                controls.Add((file, control, AptPackage.PoolPath(control)));
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                errors.Add(Diagnostic.Error(file, 0, $"is not a usable .deb: {ex.Message.TrimEnd('.')}", "give .deb files built by dkmspack, dpkg-deb or another deb(5) writer"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(Diagnostic.Error(file, 0, $"cannot be read ({ex.Message.TrimEnd('.')})", "check the path and its permissions"));
            }
        }

        RepositoryContext.ThrowIfAny(errors);
        List<string> architectures = Architectures(givenArchitectures, oldArchitectures, controls.Select(c => c.Control["Architecture"]!), errors);
        RepositoryContext.ThrowIfAny(errors);

        var added = new List<string>();
        var unchanged = new List<string>();
        var replacedFiles = new List<string>();
        foreach ((string file, Deb822Paragraph control, string poolPath) in controls)
        {
            if (update.IsStaged(poolPath))
            {
                // The same package given twice in one run: the first copy decides; other bytes are a conflict.
                AptPackage first = packages.Values.First(p => p.FileName == poolPath);
                if (!string.Equals(RepositoryContext.Sha256Of(file), first.Sha256, StringComparison.Ordinal))
                {
                    errors.Add(Conflict(file, first, "another file given in this run"));
                }

                continue;
            }

            FileDigest digest = update.StageCopy(poolPath, file);
            AptPackage package = AptPackage.FromControl(control, poolPath, digest);
            if (packages.TryGetValue(package.Key, out AptPackage? existing))
            {
                if (string.Equals(existing.Sha256, digest.Sha256, StringComparison.Ordinal) && File.Exists(update.PathOf(existing.FileName)))
                {
                    update.Discard(poolPath);
                    unchanged.Add(existing.FileName);
                    continue;
                }

                if (!request.Replace)
                {
                    update.Discard(poolPath);
                    errors.Add(Conflict(file, existing, $"the suite {suite}"));
                    continue;
                }

                if (existing.FileName != poolPath)
                {
                    replacedFiles.Add(existing.FileName);
                }
            }
            else if (File.Exists(update.PathOf(poolPath)))
            {
                // Another suite's package of the same file name: the same bytes are shared, other bytes would break that suite.
                if (string.Equals(RepositoryContext.Sha256Of(update.PathOf(poolPath)), digest.Sha256, StringComparison.Ordinal))
                {
                    update.Discard(poolPath);
                }
                else if (!request.Replace || !oldFiles.Contains(poolPath))
                {
                    update.Discard(poolPath);
                    errors.Add(Diagnostic.Error(file, 0, $"{poolPath} is already in the pool with other bytes (another suite's package of the same name, version and architecture)", "give the package a new version (or revision)"));
                    continue;
                }
            }

            packages[package.Key] = package;
            added.Add(poolPath);
        }

        RepositoryContext.ThrowIfAny(errors);
        List<AptPackage> pruned = request.Keep is { } keep ? Prune(packages, keep) : [];
        string name = RepositoryContext.Name(request, packages.Values.Select(p => p.Name));
        string url = RepositoryContext.Url(request, update.Root);

        // Index files: content-addressed copies first (never replaced, so the old Release keeps naming files that exist).
        var indexEntries = new List<(string Path, FileDigest Digest)>();
        var published = new List<string>();
        foreach (string architecture in architectures)
        {
            string directory = $"{Component}/binary-{architecture}";
            byte[] plain = Encoding.UTF8.GetBytes(PackagesText(packages.Values.Where(p => p.Architecture == architecture || p.Architecture == "all")));
            byte[] gzip = Compressor.GzipBytes(plain);
            foreach ((string fileName, byte[] content) in (ReadOnlySpan<(string, byte[])>)[(PackagesName, plain), (PackagesGzName, gzip)])
            {
                string byHash = $"{suiteDirectory}/{directory}/by-hash/SHA256/{Convert.ToHexStringLower(SHA256.HashData(content))}";
                if (!File.Exists(update.PathOf(byHash)))
                {
                    update.Stage(byHash, content);
                }

                indexEntries.Add(($"{directory}/{fileName}", update.Stage($"{suiteDirectory}/{directory}/{fileName}", content)));
                published.Add($"{suiteDirectory}/{directory}/{fileName}");
            }
        }

        var warnings = new List<Diagnostic>();
        if (key is not null)
        {
            published.AddRange(RepositoryContext.StageKeys(update, key, name));
        }
        else
        {
            warnings.Add(Diagnostic.Warning(update.Root, 0, "the repository is not signed, and apt refuses unsigned repositories", $"sign it with {OptionRef.To("sign")} or {OptionRef.To(SigningKey.KeyOption)}", DiagnosticCode.Option));
        }

        string sourcesName = name + ".sources";
        update.Stage(sourcesName, Encoding.UTF8.GetBytes(SourcesFile(url, suite, key is null ? null : name)));
        published.Add(sourcesName);

        string release = ReleaseText(request, suite, codename, name, time, architectures, indexEntries);
        byte[] releaseBytes = Encoding.UTF8.GetBytes(release);
        update.Stage($"{suiteDirectory}/{ReleaseName}", releaseBytes);
        published.Add($"{suiteDirectory}/{ReleaseName}");
        if (key is not null)
        {
            using var signed = new MemoryStream(releaseBytes, writable: false);
            update.Stage($"{suiteDirectory}/{ReleaseSignatureName}", Encoding.ASCII.GetBytes(key.SignDetachedArmored(time, signed)));
            update.Stage($"{suiteDirectory}/{InReleaseName}", Encoding.UTF8.GetBytes(key.ClearSign(release, time)));
            published.Add($"{suiteDirectory}/{ReleaseSignatureName}");
            published.Add($"{suiteDirectory}/{InReleaseName}");
        }

        update.Publish();

        // After the new InRelease is in place: by-hash copies that neither it nor the one before names, and
        // package files that no suite's index names any more.
        RemoveOldByHash(update, suiteDirectory, architectures, [.. indexEntries.Select(e => e.Digest.Sha256), .. Hashes(oldRelease)]);
        var removed = new List<string>();
        var candidates = pruned.Select(p => p.FileName).Concat(replacedFiles).Where(f => !packages.Values.Any(p => p.FileName == f)).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count > 0)
        {
            HashSet<string> stillNamed = FilesOfOtherSuites(update, suite);
            foreach (string file in candidates.Where(f => !stillNamed.Contains(f) && File.Exists(update.PathOf(f))))
            {
                update.DeleteUnreferenced(file);
                removed.Add(file);
            }
        }

        removed.InsertRange(0, pruned.Select(p => p.FileName).Where(f => !removed.Contains(f)));
        return new RepositoryOutcome(update.Root, added, unchanged, removed, published, warnings, key?.PrimaryFingerprint);
    }

    /// <summary>The Packages text: one paragraph per package, sorted by name, then version (oldest first), then architecture.</summary>
    internal static string PackagesText(IEnumerable<AptPackage> packages)
    {
        var text = new StringBuilder();
        foreach (AptPackage package in packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, DebianVersion.Comparer).ThenBy(p => p.Architecture, StringComparer.Ordinal))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            package.WriteTo(text);
        }

        return text.ToString();
    }

    /// <summary>
    /// The deb822 source for users (sources.list(5), "DEB822-STYLE FORMAT"): Signed-By names the keyring where the
    /// README tells users to put NAME.gpg, so this source trusts that key only, not every key apt trusts.
    /// </summary>
    internal static string SourcesFile(string url, string suite, string? keyName)
    {
        var text = new StringBuilder();
        text.Append("Types: deb\n");
        text.Append("URIs: ").Append(url).Append('\n');
        text.Append("Suites: ").Append(suite).Append('\n');
        text.Append("Components: ").Append(Component).Append('\n');
        if (keyName is not null)
        {
            text.Append("Signed-By: /etc/apt/keyrings/").Append(keyName).Append(".gpg\n");
        }

        return text.ToString();
    }

    private static string ReleaseText(AptRepositoryRequest request, string suite, string codename, string name, long time, List<string> architectures, List<(string Path, FileDigest Digest)> entries)
    {
        var fields = new List<Deb822Field>
        {
            new("Origin", OneLine(request.Origin ?? name, "origin")),
            new("Label", OneLine(request.Label ?? name, "label")),
            new("Suite", suite),
            new("Codename", codename),

            // RFC 1123 in UTC, as apt-ftparchive writes it; apt parses it with RFC1123StrToTime.
            new("Date", DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            new("Architectures", string.Join(' ', architectures)),
            new("Components", Component),

            // apt then fetches indexes by their hash (by-hash/SHA256/…), so an update never shows it a torn set.
            new("Acquire-By-Hash", "yes"),
            new("MD5Sum", Listing(entries, d => d.Md5)),
            new("SHA256", Listing(entries, d => d.Sha256)),
        };
        var text = new StringBuilder();
        new Deb822Paragraph(fields).WriteTo(text);
        return text.ToString();
    }

    private static string OneLine(string value, string optionKey) =>
        value.Length == 0 || value.Any(char.IsControl)
            ? throw DkmsPackException.Options($"{OptionRef.To(optionKey)} must be one non-empty line")
            : value;

    private static string Listing(List<(string Path, FileDigest Digest)> entries, Func<FileDigest, string> hash)
    {
        var text = new StringBuilder();
        foreach ((string path, FileDigest digest) in entries)
        {
            text.Append("\n ").Append(hash(digest)).Append(' ').Append(RepositoryContext.Decimal(digest.Size).PadLeft(16)).Append(' ').Append(path);
        }

        return text.ToString();
    }

    private static List<string> Architectures(IReadOnlyList<string>? given, List<string> old, IEnumerable<string> packageArchitectures, List<Diagnostic> errors)
    {
        var fromPackages = packageArchitectures.Where(a => a != "all").Distinct(StringComparer.Ordinal).ToList();
        if (given is not null)
        {
            foreach (string missing in fromPackages.Where(a => !given.Contains(a)))
            {
                errors.Add(Diagnostic.Error(null, 0, $"a package is for {missing}, which {OptionRef.To("architectures")} does not list", $"add {missing} to {OptionRef.To("architectures")}", DiagnosticCode.Option));
            }

            return [.. given.Order(StringComparer.Ordinal)];
        }

        IEnumerable<string> chosen = old.Count > 0 ? old : DefaultArchitectures;
        return [.. chosen.Concat(fromPackages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static Diagnostic Conflict(string file, AptPackage existing, string where) =>
        Diagnostic.Error(file, 0, $"{existing.Name} {existing.Version} ({existing.Architecture}) is already in {where} with other bytes", $"give it a new version (or revision), or pass {OptionRef.To("replace")} to replace it");


    private static Deb822Paragraph? ReadRelease(StagedUpdate update, string suiteDirectory)
    {
        string relative = $"{suiteDirectory}/{ReleaseName}";
        string? text = ReadText(update, relative);
        if (text is null)
        {
            return null;
        }

        List<(Deb822Paragraph Paragraph, int Line)> paragraphs = ParseIndex(update, relative, text);
        return paragraphs.Count == 1 ? paragraphs[0].Paragraph : throw Damaged(update, relative, 0, "does not hold exactly one paragraph");
    }

    private static Dictionary<(string, string, string), AptPackage> ReadIndexes(StagedUpdate update, string suiteDirectory, List<string> architectures)
    {
        var packages = new Dictionary<(string, string, string), AptPackage>();
        foreach (string architecture in architectures)
        {
            foreach ((string relative, AptPackage package) in ReadIndex(update, $"{suiteDirectory}/{Component}/binary-{architecture}/{PackagesName}"))
            {
                if (packages.TryGetValue(package.Key, out AptPackage? seen) && seen.Sha256 != package.Sha256)
                {
                    throw Damaged(update, relative, 0, $"names {package.Name} {package.Version} ({package.Architecture}) with another SHA256 than another architecture's index does");
                }

                packages[package.Key] = package;
            }
        }

        return packages;
    }

    private static IEnumerable<(string Relative, AptPackage Package)> ReadIndex(StagedUpdate update, string relative)
    {
        string? text = ReadText(update, relative);
        if (text is null)
        {
            yield break;
        }

        foreach ((Deb822Paragraph paragraph, int line) in ParseIndex(update, relative, text))
        {
            AptPackage package;
            try
            {
                package = AptPackage.FromIndex(paragraph);
            }
            catch (FormatException ex)
            {
                throw Damaged(update, relative, line, ex.Message);
            }

            yield return (relative, package);
        }
    }

    private static List<(Deb822Paragraph Paragraph, int Line)> ParseIndex(StagedUpdate update, string relative, string text)
    {
        try
        {
            return Deb822.Parse(text);
        }
        catch (FormatException ex)
        {
            int line = int.TryParse(ex.Message.AsSpan(5, Math.Max(0, ex.Message.IndexOf(':', StringComparison.Ordinal) - 5)), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            throw Damaged(update, relative, line, ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        }
    }

    private static string? ReadText(StagedUpdate update, string relative)
    {
        string path = update.PathOf(relative);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)) : null;
        }
        catch (DecoderFallbackException)
        {
            throw Damaged(update, relative, 0, "is not UTF-8");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Input(path, $"cannot be read ({ex.Message.TrimEnd('.')})", "check the repository directory's permissions", inner: ex);
        }
    }

    private static DkmsPackException Damaged(StagedUpdate update, string relative, int line, string problem) =>
        new(Diagnostic.Error(update.PathOf(relative), line, $"the repository's index {problem.TrimEnd('.')}", "repair or remove the file (an index edited by hand, or written by another tool?)"), ExitCode.InvalidInput);

    /// <summary>Keeps the newest <paramref name="keep"/> versions of each name and architecture; returns the others, removed from <paramref name="packages"/>.</summary>
    private static List<AptPackage> Prune(Dictionary<(string, string, string), AptPackage> packages, int keep)
    {
        var pruned = new List<AptPackage>();
        foreach (var group in packages.Values.GroupBy(p => (p.Name, p.Architecture)).ToList())
        {
            foreach (AptPackage old in group.OrderByDescending(p => p.Version, DebianVersion.Comparer).Skip(keep))
            {
                packages.Remove(old.Key);
                pruned.Add(old);
            }
        }

        return pruned;
    }

    private static IEnumerable<string> Hashes(Deb822Paragraph? release) =>
        (release?["SHA256"] ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0]);

    private static void RemoveOldByHash(StagedUpdate update, string suiteDirectory, List<string> architectures, IEnumerable<string> keep)
    {
        var kept = keep.ToHashSet(StringComparer.Ordinal);
        foreach (string architecture in architectures)
        {
            string relative = $"{suiteDirectory}/{Component}/binary-{architecture}/by-hash/SHA256";
            string directory = update.PathOf(relative);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Where(f => !kept.Contains(f) && !f.EndsWith(StagedUpdate.TemporarySuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                update.DeleteUnreferenced($"{relative}/{file}");
            }
        }
    }

    /// <summary>The pool files that the other suites' indexes name (a pool file is deleted only when none does).</summary>
    private static HashSet<string> FilesOfOtherSuites(StagedUpdate update, string suite)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        string dists = update.PathOf("dists");
        foreach (string other in Directory.EnumerateDirectories(dists).Select(Path.GetFileName).OfType<string>().Where(s => s != suite))
        {
            string binaries = Path.Combine(dists, other, Component);
            if (!Directory.Exists(binaries))
            {
                continue;
            }

            foreach (string architecture in Directory.EnumerateDirectories(binaries, "binary-*").Select(Path.GetFileName).OfType<string>())
            {
                foreach ((_, AptPackage package) in ReadIndex(update, $"dists/{other}/{Component}/{architecture}/{PackagesName}"))
                {
                    files.Add(package.FileName);
                }
            }
        }

        return files;
    }
}
