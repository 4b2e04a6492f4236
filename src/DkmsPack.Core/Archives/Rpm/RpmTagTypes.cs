namespace DkmsPack.Archives.Rpm;

/// <summary>
/// The registered type of each known tag. rpm &gt;= 4.15 (and 4.14.2) rejects a main header whose known
/// tags carry another type (hdrchkTagType in lib/header.cc; the string types are interchangeable for
/// string tags; docs/rpm-format.md, "Header structure"), and rpm &gt;= 4.16.1.3 rejects a package whose
/// signature tags differ in type or count from their main-header twins' registered ones
/// (headerMergeLegacySigs; docs/rpm-format.md, "Legacy signature tags in the main header"). The builder
/// checks both before writing.
/// </summary>
internal static class RpmTagTypes
{
    /// <summary>The registered type of a main-header tag, or null when dkmspack does not know the tag.</summary>
    public static RpmTagType? MainHeader(RpmTag tag) => tag switch
    {
        RpmTag.HeaderImage or RpmTag.HeaderSignatures or RpmTag.HeaderImmutable => RpmTagType.Bin,
        RpmTag.HeaderI18nTable => RpmTagType.StringArray,
        RpmTag.DsaHeader or RpmTag.RsaHeader => RpmTagType.Bin,
        RpmTag.Sha1Header or RpmTag.Sha256Header => RpmTagType.String,
        RpmTag.LongSigSize or RpmTag.LongArchiveSize => RpmTagType.Int64,

        RpmTag.Name or RpmTag.Version or RpmTag.Release or RpmTag.BuildHost or RpmTag.Distribution
            or RpmTag.Vendor or RpmTag.License or RpmTag.Packager or RpmTag.Url or RpmTag.Os or RpmTag.Arch
            or RpmTag.PreIn or RpmTag.PostIn or RpmTag.PreUn or RpmTag.PostUn or RpmTag.SourceRpm
            or RpmTag.RpmVersion or RpmTag.OptFlags or RpmTag.PayloadFormat or RpmTag.PayloadCompressor
            or RpmTag.PayloadFlags or RpmTag.Platform or RpmTag.PreTrans or RpmTag.PostTrans
            or RpmTag.Encoding => RpmTagType.String,

        RpmTag.Summary or RpmTag.Description or RpmTag.Group => RpmTagType.I18nString,

        RpmTag.FileDigests or RpmTag.FileLinkTos or RpmTag.FileUserName or RpmTag.FileGroupName
            or RpmTag.ProvideName or RpmTag.RequireName or RpmTag.RequireVersion or RpmTag.ConflictName
            or RpmTag.ConflictVersion or RpmTag.ChangelogName or RpmTag.ChangelogText or RpmTag.PreInProg
            or RpmTag.PostInProg or RpmTag.PreUnProg or RpmTag.PostUnProg or RpmTag.ObsoleteName
            or RpmTag.FileLangs or RpmTag.ProvideVersion or RpmTag.ObsoleteVersion or RpmTag.BaseNames
            or RpmTag.DirNames or RpmTag.PreTransProg or RpmTag.PostTransProg or RpmTag.FileCaps
            or RpmTag.RecommendName or RpmTag.RecommendVersion or RpmTag.SuggestName or RpmTag.SuggestVersion
            or RpmTag.PayloadDigest or RpmTag.PayloadDigestAlt or RpmTag.Source or RpmTag.BuildArchs => RpmTagType.StringArray,

        RpmTag.Epoch or RpmTag.BuildTime or RpmTag.Size or RpmTag.FileSizes or RpmTag.FileMtimes
            or RpmTag.FileFlags or RpmTag.FileVerifyFlags or RpmTag.ArchiveSize or RpmTag.RequireFlags
            or RpmTag.ConflictFlags or RpmTag.ChangelogTime or RpmTag.FileDevices or RpmTag.FileInodes
            or RpmTag.SourcePackage or RpmTag.ProvideFlags or RpmTag.ObsoleteFlags or RpmTag.DirIndexes
            or RpmTag.FileDigestAlgo or RpmTag.RecommendFlags or RpmTag.SuggestFlags
            or RpmTag.PayloadDigestAlgo => RpmTagType.Int32,

        // rpmtag.h h[]: FILEMODES is INT16 although st_mode is wider; rpm rejects INT32 here.
        RpmTag.FileModes or RpmTag.FileRdevs => RpmTagType.Int16,

        RpmTag.LongFileSizes or RpmTag.LongSize => RpmTagType.Int64,
        _ => null,
    };

    /// <summary>
    /// The type and count a signature-header tag must have (the count is null when any count is fine),
    /// or null for a tag dkmspack does not know.
    /// </summary>
    public static (RpmTagType Type, int? Count)? SignatureHeader(RpmTag tag) => tag switch
    {
        RpmSignatureTag.HeaderSignatures => (RpmTagType.Bin, RpmHeaderLayout.RegionTrailerLength),
        RpmSignatureTag.Dsa or RpmSignatureTag.Rsa => (RpmTagType.Bin, null),
        RpmSignatureTag.Sha1 or RpmSignatureTag.Sha256 => (RpmTagType.String, 1),
        RpmSignatureTag.LongSize or RpmSignatureTag.LongArchiveSize => (RpmTagType.Int64, 1),
        RpmSignatureTag.Size or RpmSignatureTag.PayloadSize => (RpmTagType.Int32, 1),
        RpmSignatureTag.Md5 => (RpmTagType.Bin, 16),
        RpmSignatureTag.Pgp or RpmSignatureTag.Gpg or RpmSignatureTag.ReservedSpace => (RpmTagType.Bin, null),
        _ => null,
    };

    /// <summary>Whether an entry of <paramref name="actual"/> type is acceptable where <paramref name="expected"/> is registered.</summary>
    public static bool Compatible(RpmTagType expected, RpmTagType actual) =>
        expected == actual || (RpmHeaderLayout.IsStringClass(expected) && RpmHeaderLayout.IsStringClass(actual));
}
