using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using DkmsPack.Archives.Rpm;
using DkmsPack.Compression;
using DkmsPack.Diagnostics;
using DkmsPack.Signing;

namespace DkmsPack.Repository.Rpm;

/// <summary>
/// Creates or updates an RPM (rpm-md) repository as createrepo_c lays it out (docs/repository.md): the packages
/// under <c>Packages/X/</c>, <c>repodata/SHA256-{primary,filelists,other}.xml.gz</c>, and <c>repodata/repomd.xml</c>
/// naming them with their sha256, open-checksum, sizes and timestamps, signed as <c>repomd.xml.asc</c>.
/// Incremental: the existing metadata is parsed and kept entry by entry; only the new packages' headers are read
/// (up to the payload). Published last (<see cref="StagedUpdate"/>): the content-addressed metadata files first,
/// then repomd.xml.asc and repomd.xml.
/// </summary>
public static class RpmRepository
{
    public const string PackagesDirectory = "Packages";

    private const string RepodataDirectory = "repodata";
    private const string RepomdName = "repomd.xml";
    private const string RepomdSignatureName = "repomd.xml.asc";
    private static readonly XNamespace s_repo = "http://linux.duke.edu/metadata/repo";

    public static RepositoryOutcome Publish(RpmRepositoryRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Keep is < 1)
        {
            throw DkmsPackException.Options($"{OptionRef.To("keep")} must be 1 or more");
        }

        long time = RepositoryContext.Time(request, now);
        using SigningKey? key = RepositoryContext.LoadKey(request.Signing, time);
        using StagedUpdate update = StagedUpdate.Lock(request.RepositoryDirectory);

        (XDocument? oldRepomd, Dictionary<(string, string, string, string, string), RpmMetadataEntry> packages) = ReadMetadata(update);
        if (oldRepomd is not null && key is null && File.Exists(update.PathOf($"{RepodataDirectory}/{RepomdSignatureName}")))
        {
            throw DkmsPackException.Options("the repository is signed, and this run has no key, so its new repomd.xml would not match the old signature", "sign with --sign or --signing-key");
        }

        // The new packages' headers first, so that every bad .rpm is reported before anything is written.
        var headers = new List<(string File, RpmPackageReader Header, bool Signed)>();
        var errors = new List<Diagnostic>();
        foreach (string file in request.Packages)
        {
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
                RpmPackageReader header = RpmPackageReader.Read(stream);
                headers.Add((file, header, header.Signature.Contains(RpmTag.RsaHeader) || header.Signature.Contains(RpmTag.DsaHeader)));
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or KeyNotFoundException)
            {
                errors.Add(Diagnostic.Error(file, 0, $"is not a usable .rpm: {ex.Message.TrimEnd('.')}", "give .rpm files built by dkmspack, rpmbuild or another rpm v4 writer"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(Diagnostic.Error(file, 0, $"cannot be read ({ex.Message.TrimEnd('.')})", "check the path and its permissions"));
            }
        }

        RepositoryContext.ThrowIfAny(errors);
        var added = new List<string>();
        var unchanged = new List<string>();
        var replacedFiles = new List<string>();
        var warnings = new List<Diagnostic>();
        foreach ((string file, RpmPackageReader header, bool signed) in headers)
        {
            string location;
            try
            {
                location = Location(header.Header);
            }
            catch (FormatException ex)
            {
                errors.Add(Diagnostic.Error(file, 0, $"is not a usable .rpm: {ex.Message}", "give the package a plain name, version and release"));
                continue;
            }

            if (update.IsStaged(location))
            {
                RpmMetadataEntry first = packages.Values.First(p => p.Location == location);
                if (!string.Equals(RepositoryContext.Sha256Of(file), first.PkgId, StringComparison.Ordinal))
                {
                    errors.Add(Conflict(file, first, "another file given in this run"));
                }

                continue;
            }

            FileDigest digest = update.StageCopy(location, file);
            RpmMetadataEntry entry = RpmMetadata.FromPackage(header, digest.Sha256, digest.Size, time, location);
            if (packages.TryGetValue(entry.Key, out RpmMetadataEntry? existing))
            {
                if (existing.PkgId == digest.Sha256 && File.Exists(update.PathOf(existing.Location)))
                {
                    update.Discard(location);
                    unchanged.Add(existing.Location);
                    continue;
                }

                if (!request.Replace)
                {
                    update.Discard(location);
                    errors.Add(Conflict(file, existing, "the repository"));
                    continue;
                }

                if (existing.Location != location)
                {
                    replacedFiles.Add(existing.Location);
                }
            }

            if (!signed)
            {
                warnings.Add(Diagnostic.Warning(file, 0, "is not signed, and dnf with gpgcheck=1 (as the .repo file says) refuses to install it", "build it with dkmspack --sign, or sign it with rpmsign", DiagnosticCode.Option));
            }

            // createrepo_c dates a package by its file's mtime: the copy gets the run's time, so the metadata is reproducible.
            packages[entry.Key] = entry;
            added.Add(location);
        }

        RepositoryContext.ThrowIfAny(errors);
        List<RpmMetadataEntry> pruned = request.Keep is { } keep ? Prune(packages, keep) : [];
        string name = RepositoryContext.Name(request, packages.Values.Select(p => p.Name));
        string url = RepositoryContext.Url(request, update.Root);

        List<RpmMetadataEntry> ordered = [.. packages.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Evr, RpmVersion.Comparer).ThenBy(p => p.Arch, StringComparer.Ordinal)];
        string count = ordered.Count.ToString(CultureInfo.InvariantCulture);
        var data = new List<XElement>();
        var published = new List<string>();
        foreach ((string type, XElement root) in (ReadOnlySpan<(string, XElement)>)
        [
            ("primary", new XElement(RpmMetadata.Common + "metadata", new XAttribute(XNamespace.Xmlns + "rpm", RpmMetadata.Rpm), new XAttribute("packages", count), ordered.Select(p => p.Primary))),
            ("filelists", new XElement(RpmMetadata.Filelists + "filelists", new XAttribute("packages", count), ordered.Select(p => p.Filelists))),
            ("other", new XElement(RpmMetadata.Other + "otherdata", new XAttribute("packages", count), ordered.Select(p => p.Other))),
        ])
        {
            byte[] open = XmlBytes(root);
            byte[] gzip = Compressor.GzipBytes(open);
            string checksum = Convert.ToHexStringLower(SHA256.HashData(gzip));
            string relative = $"{RepodataDirectory}/{checksum}-{type}.xml.gz";
            if (!File.Exists(update.PathOf(relative)))
            {
                update.Stage(relative, gzip);
            }

            published.Add(relative);
            data.Add(new XElement(
                s_repo + "data",
                new XAttribute("type", type),
                new XElement(s_repo + "checksum", new XAttribute("type", "sha256"), checksum),
                new XElement(s_repo + "open-checksum", new XAttribute("type", "sha256"), Convert.ToHexStringLower(SHA256.HashData(open))),
                new XElement(s_repo + "location", new XAttribute("href", relative)),
                new XElement(s_repo + "timestamp", RepositoryContext.Decimal(time)),
                new XElement(s_repo + "size", RepositoryContext.Decimal(gzip.Length)),
                new XElement(s_repo + "open-size", RepositoryContext.Decimal(open.Length))));
        }

        if (key is not null)
        {
            published.AddRange(RepositoryContext.StageKeys(update, key, name));
        }
        else
        {
            warnings.Add(Diagnostic.Warning(update.Root, 0, "the repository metadata is not signed, so the .repo file cannot ask dnf to check it (repo_gpgcheck=0)", $"sign it with {OptionRef.To("sign")} or {OptionRef.To(SigningKey.KeyOption)}", DiagnosticCode.Option));
        }

        string repoFile = name + ".repo";
        update.Stage(repoFile, Encoding.UTF8.GetBytes(RepoFile(name, url, key is not null)));
        published.Add(repoFile);

        byte[] repomd = XmlBytes(new XElement(s_repo + "repomd", new XAttribute(XNamespace.Xmlns + "rpm", RpmMetadata.Rpm), new XElement(s_repo + "revision", RepositoryContext.Decimal(time)), data));
        if (key is not null)
        {
            // The signature goes in just before repomd.xml: dnf reads repomd.xml first, then its .asc.
            using var signed = new MemoryStream(repomd, writable: false);
            update.Stage($"{RepodataDirectory}/{RepomdSignatureName}", Encoding.ASCII.GetBytes(key.SignDetachedArmored(time, signed)));
            published.Add($"{RepodataDirectory}/{RepomdSignatureName}");
        }

        update.Stage($"{RepodataDirectory}/{RepomdName}", repomd);
        published.Add($"{RepodataDirectory}/{RepomdName}");
        foreach (string location in added)
        {
            File.SetLastWriteTimeUtc(update.PathOf(location) + StagedUpdate.TemporarySuffix, DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime);
        }

        update.Publish();

        // Metadata files neither this repomd.xml nor the previous one names, and pruned or replaced packages.
        var keptMetadata = published.Concat(Locations(oldRepomd)).ToHashSet(StringComparer.Ordinal);
        string repodata = update.PathOf(RepodataDirectory);
        foreach (string file in Directory.EnumerateFiles(repodata).Select(Path.GetFileName).OfType<string>().Where(f => f.EndsWith(".xml.gz", StringComparison.Ordinal) || f.EndsWith(".sqlite.bz2", StringComparison.Ordinal) || f.EndsWith(".xml.zst", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!keptMetadata.Contains($"{RepodataDirectory}/{file}"))
            {
                update.DeleteUnreferenced($"{RepodataDirectory}/{file}");
            }
        }

        var removed = new List<string>();
        foreach (string file in pruned.Select(p => p.Location).Concat(replacedFiles).Where(f => !packages.Values.Any(p => p.Location == f)).Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(update.PathOf(file)))
            {
                update.DeleteUnreferenced(file);
            }

            removed.Add(file);
        }

        return new RepositoryOutcome(update.Root, added, unchanged, removed, published, warnings, key?.PrimaryFingerprint);
    }

    /// <summary>
    /// The dnf/yum repository file for users (dnf.conf(5)): package signatures (gpgcheck) and the metadata's
    /// signature (repo_gpgcheck) checked against the key served beside the repository.
    /// </summary>
    internal static string RepoFile(string name, string url, bool signed)
    {
        var text = new StringBuilder();
        text.Append('[').Append(name).Append("]\n");
        text.Append("name=").Append(name).Append('\n');
        text.Append("baseurl=").Append(url).Append('\n');
        text.Append("enabled=1\n");
        text.Append("gpgcheck=1\n");
        text.Append("repo_gpgcheck=").Append(signed ? '1' : '0').Append('\n');
        text.Append("gpgkey=").Append(url).Append('/').Append(name).Append(".asc\n");
        return text.ToString();
    }

    /// <summary>Packages/X/NAME-VERSION-RELEASE.ARCH.rpm, X the name's first character, lower-cased.</summary>
    private static string Location(RpmHeaderReader header)
    {
        string name = header.GetString(RpmTag.Name);
        string version = header.GetString(RpmTag.Version);
        string release = header.GetString(RpmTag.Release);
        string arch = header.Contains(RpmTag.SourcePackage) ? "src" : header.GetString(RpmTag.Arch);
        foreach ((string what, string value) in (ReadOnlySpan<(string, string)>)[("name", name), ("version", version), ("release", release), ("arch", arch)])
        {
            if (!RpmMetadata.IsPlainName(value) || value.StartsWith('.'))
            {
                throw new FormatException($"its {what} \"{value}\" has characters that a repository file name cannot carry");
            }
        }

        return $"{PackagesDirectory}/{char.ToLowerInvariant(name[0])}/{name}-{version}-{release}.{arch}.rpm";
    }

    private static byte[] XmlBytes(XElement root)
    {
        // The declaration as createrepo_c writes it (XmlWriter would spell the encoding in lower case).
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n", NewLineHandling = NewLineHandling.None, OmitXmlDeclaration = true };
        using var buffer = new MemoryStream();
        buffer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8);
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            root.Save(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static (XDocument? Repomd, Dictionary<(string, string, string, string, string), RpmMetadataEntry> Packages) ReadMetadata(StagedUpdate update)
    {
        var packages = new Dictionary<(string, string, string, string, string), RpmMetadataEntry>();
        string repomdPath = update.PathOf($"{RepodataDirectory}/{RepomdName}");
        if (!File.Exists(repomdPath))
        {
            return (null, packages);
        }

        XDocument repomd = LoadXml(repomdPath, compressed: false);
        XElement? Data(string type) => repomd.Root?.Elements(s_repo + "data").FirstOrDefault(d => (string?)d.Attribute("type") == type);
        XDocument Part(string type)
        {
            string? href = Data(type)?.Element(s_repo + "location")?.Attribute("href")?.Value;
            if (href is null || !RepositoryNames.IsInside(href, RepodataDirectory))
            {
                throw Damaged(repomdPath, $"names no usable {type} file");
            }

            return LoadXml(update.PathOf(href), compressed: href.EndsWith(".gz", StringComparison.Ordinal));
        }

        XDocument primary = Part("primary");
        var filelists = Part("filelists").Root!.Elements(RpmMetadata.Filelists + "package").ToDictionary(p => (string?)p.Attribute("pkgid") ?? string.Empty);
        var other = Part("other").Root!.Elements(RpmMetadata.Other + "package").ToDictionary(p => (string?)p.Attribute("pkgid") ?? string.Empty);
        foreach (XElement package in primary.Root!.Elements(RpmMetadata.Common + "package"))
        {
            try
            {
                string pkgId = package.Element(RpmMetadata.Common + "checksum")?.Value ?? string.Empty;
                RpmMetadataEntry entry = RpmMetadata.FromMetadata(
                    package,
                    filelists.GetValueOrDefault(pkgId) ?? throw new FormatException($"package {pkgId} is in primary but not in filelists"),
                    other.GetValueOrDefault(pkgId) ?? throw new FormatException($"package {pkgId} is in primary but not in other"));
                packages[entry.Key] = entry;
            }
            catch (FormatException ex)
            {
                throw Damaged(repomdPath, ex.Message);
            }
        }

        return (repomd, packages);
    }

    private static XDocument LoadXml(string path, bool compressed)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            using Stream input = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = XmlReader.Create(input, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader);
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException)
        {
            throw Damaged(path, $"is not readable XML ({ex.Message.TrimEnd('.')})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DkmsPackException.Input(path, $"cannot be read ({ex.Message.TrimEnd('.')})", "check the repository directory's permissions", inner: ex);
        }
    }

    private static IEnumerable<string> Locations(XDocument? repomd) =>
        repomd?.Root?.Elements(s_repo + "data").Select(d => d.Element(s_repo + "location")?.Attribute("href")?.Value).OfType<string>() ?? [];

    private static List<RpmMetadataEntry> Prune(Dictionary<(string, string, string, string, string), RpmMetadataEntry> packages, int keep)
    {
        var pruned = new List<RpmMetadataEntry>();
        foreach (var group in packages.Values.GroupBy(p => (p.Name, p.Arch)).ToList())
        {
            foreach (RpmMetadataEntry old in group.OrderByDescending(p => p.Evr, RpmVersion.Comparer).Skip(keep))
            {
                packages.Remove(old.Key);
                pruned.Add(old);
            }
        }

        return pruned;
    }

    private static Diagnostic Conflict(string file, RpmMetadataEntry existing, string where) =>
        Diagnostic.Error(file, 0, $"{existing.Name}-{existing.Version}-{existing.Release}.{existing.Arch} is already in {where} with other bytes", $"give it a new version (or release), or pass {OptionRef.To("replace")} to replace it");

    private static DkmsPackException Damaged(string path, string problem) =>
        new(Diagnostic.Error(path, 0, $"the repository's metadata {problem.TrimEnd('.')}", "repair or remove the repodata directory (edited by hand, or written by another tool?)"), ExitCode.InvalidInput);


}
