namespace DkmsPack.Archives.Rpm;

/// <summary>
/// Header tags, with the values and names of rpm's <c>include/rpm/rpmtag.h</c> (<c>rpmTag_e</c>); the
/// comment after each gives the rpmtag.h name and type (<c>s</c> string, <c>s[]</c> string array,
/// <c>s{}</c> i18n string, <c>i</c>/<c>i[]</c> INT32, <c>h[]</c> INT16, <c>l</c>/<c>l[]</c> INT64,
/// <c>x</c> binary). Only the tags dkmspack writes or checks are listed. Signature-header tags share this
/// numbering only below 1000; the signature tags at 1000+ (SIZE, MD5, PAYLOADSIZE...) are in
/// <see cref="RpmSignatureTag"/>.
/// </summary>
public enum RpmTag
{
    /// <summary>RPMTAG_HEADERIMAGE (61, 0x3d): legacy region tag.</summary>
    HeaderImage = 61,

    /// <summary>RPMTAG_HEADERSIGNATURES (62, 0x3e): region tag of the signature header (x, count 16).</summary>
    HeaderSignatures = 62,

    /// <summary>RPMTAG_HEADERIMMUTABLE (63, 0x3f): region tag of the main header (x, count 16).</summary>
    HeaderImmutable = 63,

    /// <summary>RPMTAG_HEADERI18NTABLE (100, 0x64) s[]: locales of the i18n strings, <c>["C"]</c>.</summary>
    HeaderI18nTable = 100,

    /// <summary>RPMTAG_DSAHEADER (267, 0x10b) x: OpenPGP DSA/ECDSA/EdDSA signature of the main header.</summary>
    DsaHeader = 267,

    /// <summary>RPMTAG_RSAHEADER (268, 0x10c) x: OpenPGP RSA signature of the main header.</summary>
    RsaHeader = 268,

    /// <summary>RPMTAG_SHA1HEADER (269, 0x10d) s: hex SHA-1 of the main header.</summary>
    Sha1Header = 269,

    /// <summary>RPMTAG_LONGSIGSIZE (270, 0x10e) l: header+payload size when 4 GiB or more.</summary>
    LongSigSize = 270,

    /// <summary>RPMTAG_LONGARCHIVESIZE (271, 0x10f) l: uncompressed payload size when 4 GiB or more.</summary>
    LongArchiveSize = 271,

    /// <summary>RPMTAG_SHA256HEADER (273, 0x111) s: hex SHA-256 of the main header (rpm &gt;= 4.14).</summary>
    Sha256Header = 273,

    /// <summary>RPMTAG_NAME (1000, 0x3e8) s.</summary>
    Name = 1000,

    /// <summary>RPMTAG_VERSION (1001, 0x3e9) s.</summary>
    Version = 1001,

    /// <summary>RPMTAG_RELEASE (1002, 0x3ea) s.</summary>
    Release = 1002,

    /// <summary>RPMTAG_EPOCH (1003, 0x3eb) i.</summary>
    Epoch = 1003,

    /// <summary>RPMTAG_SUMMARY (1004, 0x3ec) s{}.</summary>
    Summary = 1004,

    /// <summary>RPMTAG_DESCRIPTION (1005, 0x3ed) s{}.</summary>
    Description = 1005,

    /// <summary>RPMTAG_BUILDTIME (1006, 0x3ee) i.</summary>
    BuildTime = 1006,

    /// <summary>RPMTAG_BUILDHOST (1007, 0x3ef) s.</summary>
    BuildHost = 1007,

    /// <summary>RPMTAG_SIZE (1009, 0x3f1) i: installed size.</summary>
    Size = 1009,

    /// <summary>RPMTAG_DISTRIBUTION (1010, 0x3f2) s.</summary>
    Distribution = 1010,

    /// <summary>RPMTAG_VENDOR (1011, 0x3f3) s.</summary>
    Vendor = 1011,

    /// <summary>RPMTAG_LICENSE (1014, 0x3f6) s.</summary>
    License = 1014,

    /// <summary>RPMTAG_PACKAGER (1015, 0x3f7) s.</summary>
    Packager = 1015,

    /// <summary>RPMTAG_GROUP (1016, 0x3f8) s{}.</summary>
    Group = 1016,

    /// <summary>RPMTAG_URL (1020, 0x3fc) s.</summary>
    Url = 1020,

    /// <summary>RPMTAG_OS (1021, 0x3fd) s: <c>linux</c>.</summary>
    Os = 1021,

    /// <summary>RPMTAG_ARCH (1022, 0x3fe) s: <c>noarch</c> for DKMS sources.</summary>
    Arch = 1022,

    /// <summary>RPMTAG_PREIN (1023, 0x3ff) s.</summary>
    PreIn = 1023,

    /// <summary>RPMTAG_POSTIN (1024, 0x400) s.</summary>
    PostIn = 1024,

    /// <summary>RPMTAG_PREUN (1025, 0x401) s.</summary>
    PreUn = 1025,

    /// <summary>RPMTAG_POSTUN (1026, 0x402) s.</summary>
    PostUn = 1026,

    /// <summary>RPMTAG_FILESIZES (1028, 0x404) i[].</summary>
    FileSizes = 1028,

    /// <summary>RPMTAG_FILEMODES (1030, 0x406) h[]: INT16, full st_mode including the type bits.</summary>
    FileModes = 1030,

    /// <summary>RPMTAG_FILERDEVS (1033, 0x409) h[].</summary>
    FileRdevs = 1033,

    /// <summary>RPMTAG_FILEMTIMES (1034, 0x40a) i[].</summary>
    FileMtimes = 1034,

    /// <summary>RPMTAG_FILEDIGESTS (1035, 0x40b) s[] (formerly FILEMD5S).</summary>
    FileDigests = 1035,

    /// <summary>RPMTAG_FILELINKTOS (1036, 0x40c) s[].</summary>
    FileLinkTos = 1036,

    /// <summary>RPMTAG_FILEFLAGS (1037, 0x40d) i[].</summary>
    FileFlags = 1037,

    /// <summary>RPMTAG_FILEUSERNAME (1039, 0x40f) s[].</summary>
    FileUserName = 1039,

    /// <summary>RPMTAG_FILEGROUPNAME (1040, 0x410) s[].</summary>
    FileGroupName = 1040,

    /// <summary>RPMTAG_SOURCERPM (1044, 0x414) s: must exist in binary packages.</summary>
    SourceRpm = 1044,

    /// <summary>RPMTAG_FILEVERIFYFLAGS (1045, 0x415) i[].</summary>
    FileVerifyFlags = 1045,

    /// <summary>RPMTAG_ARCHIVESIZE (1046, 0x416) i: never together with signature PAYLOADSIZE.</summary>
    ArchiveSize = 1046,

    /// <summary>RPMTAG_PROVIDENAME (1047, 0x417) s[].</summary>
    ProvideName = 1047,

    /// <summary>RPMTAG_REQUIREFLAGS (1048, 0x418) i[].</summary>
    RequireFlags = 1048,

    /// <summary>RPMTAG_REQUIRENAME (1049, 0x419) s[].</summary>
    RequireName = 1049,

    /// <summary>RPMTAG_REQUIREVERSION (1050, 0x41a) s[].</summary>
    RequireVersion = 1050,

    /// <summary>RPMTAG_CONFLICTFLAGS (1053, 0x41d) i[].</summary>
    ConflictFlags = 1053,

    /// <summary>RPMTAG_CONFLICTNAME (1054, 0x41e) s[].</summary>
    ConflictName = 1054,

    /// <summary>RPMTAG_CONFLICTVERSION (1055, 0x41f) s[].</summary>
    ConflictVersion = 1055,

    /// <summary>RPMTAG_RPMVERSION (1064, 0x428) s.</summary>
    RpmVersion = 1064,

    /// <summary>RPMTAG_CHANGELOGTIME (1080, 0x438) i[].</summary>
    ChangelogTime = 1080,

    /// <summary>RPMTAG_CHANGELOGNAME (1081, 0x439) s[].</summary>
    ChangelogName = 1081,

    /// <summary>RPMTAG_CHANGELOGTEXT (1082, 0x43a) s[].</summary>
    ChangelogText = 1082,

    /// <summary>RPMTAG_PREINPROG (1085, 0x43d) s[] (STRING accepted).</summary>
    PreInProg = 1085,

    /// <summary>RPMTAG_POSTINPROG (1086, 0x43e) s[] (STRING accepted).</summary>
    PostInProg = 1086,

    /// <summary>RPMTAG_PREUNPROG (1087, 0x43f) s[] (STRING accepted).</summary>
    PreUnProg = 1087,

    /// <summary>RPMTAG_POSTUNPROG (1088, 0x440) s[] (STRING accepted).</summary>
    PostUnProg = 1088,

    /// <summary>RPMTAG_OBSOLETENAME (1090, 0x442) s[].</summary>
    ObsoleteName = 1090,

    /// <summary>RPMTAG_FILEDEVICES (1095, 0x447) i[].</summary>
    FileDevices = 1095,

    /// <summary>RPMTAG_FILEINODES (1096, 0x448) i[].</summary>
    FileInodes = 1096,

    /// <summary>RPMTAG_FILELANGS (1097, 0x449) s[].</summary>
    FileLangs = 1097,

    /// <summary>RPMTAG_SOURCE (1018, 0x3fa) s[]: a source package's Source files.</summary>
    Source = 1018,

    /// <summary>RPMTAG_BUILDARCHS (1089, 0x441) s[]: a source package's BuildArch.</summary>
    BuildArchs = 1089,

    /// <summary>RPMTAG_SOURCEPACKAGE (1106, 0x452) i: present only in source packages.</summary>
    SourcePackage = 1106,

    /// <summary>RPMTAG_PROVIDEFLAGS (1112, 0x458) i[].</summary>
    ProvideFlags = 1112,

    /// <summary>RPMTAG_PROVIDEVERSION (1113, 0x459) s[].</summary>
    ProvideVersion = 1113,

    /// <summary>RPMTAG_OBSOLETEFLAGS (1114, 0x45a) i[].</summary>
    ObsoleteFlags = 1114,

    /// <summary>RPMTAG_OBSOLETEVERSION (1115, 0x45b) s[].</summary>
    ObsoleteVersion = 1115,

    /// <summary>RPMTAG_DIRINDEXES (1116, 0x45c) i[].</summary>
    DirIndexes = 1116,

    /// <summary>RPMTAG_BASENAMES (1117, 0x45d) s[].</summary>
    BaseNames = 1117,

    /// <summary>RPMTAG_DIRNAMES (1118, 0x45e) s[]: each ends with '/'.</summary>
    DirNames = 1118,

    /// <summary>RPMTAG_OPTFLAGS (1122, 0x462) s.</summary>
    OptFlags = 1122,

    /// <summary>RPMTAG_PAYLOADFORMAT (1124, 0x464) s: <c>cpio</c>.</summary>
    PayloadFormat = 1124,

    /// <summary>RPMTAG_PAYLOADCOMPRESSOR (1125, 0x465) s: <c>gzip</c>, <c>zstd</c>, <c>xz</c>...</summary>
    PayloadCompressor = 1125,

    /// <summary>RPMTAG_PAYLOADFLAGS (1126, 0x466) s: compression level, e.g. <c>9</c>.</summary>
    PayloadFlags = 1126,

    /// <summary>RPMTAG_PLATFORM (1132, 0x46c) s.</summary>
    Platform = 1132,

    /// <summary>RPMTAG_PRETRANS (1151, 0x47f) s.</summary>
    PreTrans = 1151,

    /// <summary>RPMTAG_POSTTRANS (1152, 0x480) s.</summary>
    PostTrans = 1152,

    /// <summary>RPMTAG_PRETRANSPROG (1153, 0x481) s[].</summary>
    PreTransProg = 1153,

    /// <summary>RPMTAG_POSTTRANSPROG (1154, 0x482) s[].</summary>
    PostTransProg = 1154,

    /// <summary>RPMTAG_LONGFILESIZES (5008, 0x1390) l[].</summary>
    LongFileSizes = 5008,

    /// <summary>RPMTAG_LONGSIZE (5009, 0x1391) l.</summary>
    LongSize = 5009,

    /// <summary>RPMTAG_FILECAPS (5010, 0x1392) s[].</summary>
    FileCaps = 5010,

    /// <summary>RPMTAG_FILEDIGESTALGO (5011, 0x1393) i: 8 = SHA-256 (absent means MD5).</summary>
    FileDigestAlgo = 5011,

    /// <summary>RPMTAG_RECOMMENDNAME (5046, 0x13b6) s[].</summary>
    RecommendName = 5046,

    /// <summary>RPMTAG_RECOMMENDVERSION (5047, 0x13b7) s[].</summary>
    RecommendVersion = 5047,

    /// <summary>RPMTAG_RECOMMENDFLAGS (5048, 0x13b8) i[].</summary>
    RecommendFlags = 5048,

    /// <summary>RPMTAG_SUGGESTNAME (5049, 0x13b9) s[].</summary>
    SuggestName = 5049,

    /// <summary>RPMTAG_SUGGESTVERSION (5050, 0x13ba) s[].</summary>
    SuggestVersion = 5050,

    /// <summary>RPMTAG_SUGGESTFLAGS (5051, 0x13bb) i[].</summary>
    SuggestFlags = 5051,

    /// <summary>RPMTAG_ENCODING (5062, 0x13c6) s: <c>utf-8</c>.</summary>
    Encoding = 5062,

    /// <summary>RPMTAG_PAYLOADDIGEST (5092, 0x13e4) s[]: hex SHA-256 of the compressed payload.</summary>
    PayloadDigest = 5092,

    /// <summary>RPMTAG_PAYLOADDIGESTALGO (5093, 0x13e5) i: 8 = SHA-256.</summary>
    PayloadDigestAlgo = 5093,

    /// <summary>RPMTAG_PAYLOADDIGESTALT (5097, 0x13e9) s[]: hex SHA-256 of the uncompressed cpio (rpm &gt;= 4.16).</summary>
    PayloadDigestAlt = 5097,
}

/// <summary>
/// Tags of the signature header (rpmtag.h <c>rpmSigTag_e</c>, docs/rpm-format.md, "Signature header").
/// Below 1000 they equal their <see cref="RpmTag"/> twins; from 1000 on they reuse numbers that mean
/// something else in the main header (1000 is NAME there), so they are typed constants rather than enum
/// members. When rpm reads a package it copies them into the main header (SIZE to SIGSIZE 257, MD5 to
/// SIGMD5 261, PAYLOADSIZE to ARCHIVESIZE 1046) and, since rpm 4.16.1.3/4.17, rejects the package if a
/// type or count differs from the header twin's registered one, or if the main header already has the
/// twin (lib/package.cc headerMergeLegacySigs; docs/rpm-format.md, "Legacy signature tags in the main
/// header").
/// </summary>
public static class RpmSignatureTag
{
    /// <summary>62: region tag of the signature header.</summary>
    public const RpmTag HeaderSignatures = RpmTag.HeaderSignatures;

    /// <summary>RPMSIGTAG_DSA (267) x.</summary>
    public const RpmTag Dsa = RpmTag.DsaHeader;

    /// <summary>RPMSIGTAG_RSA (268) x.</summary>
    public const RpmTag Rsa = RpmTag.RsaHeader;

    /// <summary>RPMSIGTAG_SHA1 (269) s: hex SHA-1 of the main header, 40 digits.</summary>
    public const RpmTag Sha1 = RpmTag.Sha1Header;

    /// <summary>RPMSIGTAG_LONGSIZE (270) l.</summary>
    public const RpmTag LongSize = RpmTag.LongSigSize;

    /// <summary>RPMSIGTAG_LONGARCHIVESIZE (271) l.</summary>
    public const RpmTag LongArchiveSize = RpmTag.LongArchiveSize;

    /// <summary>RPMSIGTAG_SHA256 (273) s: hex SHA-256 of the main header, 64 digits.</summary>
    public const RpmTag Sha256 = RpmTag.Sha256Header;

    /// <summary>RPMSIGTAG_SIZE (1000, 0x3e8) INT32 count 1: main header + compressed payload length.</summary>
    public const RpmTag Size = (RpmTag)1000;

    /// <summary>RPMSIGTAG_PGP (1002, 0x3ea) x: legacy RSA signature of header+payload.</summary>
    public const RpmTag Pgp = (RpmTag)1002;

    /// <summary>RPMSIGTAG_MD5 (1004, 0x3ec) BIN count 16: MD5 of main header + compressed payload.</summary>
    public const RpmTag Md5 = (RpmTag)1004;

    /// <summary>RPMSIGTAG_GPG (1005, 0x3ed) x: legacy DSA signature of header+payload.</summary>
    public const RpmTag Gpg = (RpmTag)1005;

    /// <summary>RPMSIGTAG_PAYLOADSIZE (1007, 0x3ef) INT32 count 1: uncompressed cpio size.</summary>
    public const RpmTag PayloadSize = (RpmTag)1007;

    /// <summary>RPMSIGTAG_RESERVEDSPACE (1008, 0x3f0) x: zeros rpmsign can replace with a signature.</summary>
    public const RpmTag ReservedSpace = (RpmTag)1008;
}
