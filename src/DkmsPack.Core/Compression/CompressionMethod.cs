namespace DkmsPack.Compression;

/// <summary>How archive members (deb) or the payload (rpm) are compressed.</summary>
public enum CompressionMethod
{
    Gzip,
    Zstd,
    Xz,
    None,
}
