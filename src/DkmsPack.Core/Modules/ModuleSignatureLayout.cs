using System.Buffers.Binary;

namespace DkmsPack.Modules;

/// <summary>
/// The layout of the signature the kernel appends to a module (docs/module-signing.md): the module's bytes, then
/// a CMS SignedData in DER, then a 12-byte <c>struct module_signature</c> and the 28-byte magic string. The
/// struct is declared in the kernel's include/linux/module_signature.h
/// (https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/linux/module_signature.h);
/// for a CMS signature every field but <c>id_type</c> and <c>sig_len</c> is zero, as the kernel's
/// mod_check_sig() requires.
/// </summary>
public static class ModuleSignatureLayout
{
    /// <summary><c>MODULE_SIG_STRING</c>: the last bytes of every signed module.</summary>
    public static ReadOnlySpan<byte> Magic => "~Module signature appended~\n"u8;

    /// <summary><c>sizeof(struct module_signature)</c>.</summary>
    public const int TrailerLength = 12;

    /// <summary>The struct and the magic together: what follows the CMS message.</summary>
    public static int SuffixLength => TrailerLength + Magic.Length;

    /// <summary><c>algo</c>: unused for CMS signatures (the CMS names the algorithm), must be 0.</summary>
    public const byte AlgorithmUnspecified = 0;

    /// <summary><c>hash</c>: unused for CMS signatures, must be 0.</summary>
    public const byte HashUnspecified = 0;

    /// <summary><c>enum pkey_id_type</c>'s <c>PKEY_ID_PKCS7</c>: the signature data is a PKCS#7/CMS message.</summary>
    public const byte IdTypePkcs7 = 2;

    // Offsets of the fields within struct module_signature.
    private const int AlgorithmOffset = 0;
    private const int HashOffset = 1;
    private const int IdTypeOffset = 2;
    private const int SignerLengthOffset = 3;
    private const int KeyIdLengthOffset = 4;
    private const int PaddingOffset = 5;
    private const int PaddingLength = 3;
    private const int SignatureLengthOffset = 8; // __be32 sig_len

    /// <summary>True when <paramref name="module"/> ends with the magic string (whatever precedes it).</summary>
    public static bool EndsWithMagic(ReadOnlySpan<byte> module) => module.EndsWith(Magic);

    /// <summary>The struct for a CMS message of <paramref name="cmsLength"/> bytes.</summary>
    public static void WriteTrailer(Span<byte> destination, int cmsLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cmsLength);
        Span<byte> trailer = destination[..TrailerLength];
        trailer.Clear();
        trailer[AlgorithmOffset] = AlgorithmUnspecified;
        trailer[HashOffset] = HashUnspecified;
        trailer[IdTypeOffset] = IdTypePkcs7;
        trailer[SignerLengthOffset] = 0;
        trailer[KeyIdLengthOffset] = 0;
        trailer.Slice(PaddingOffset, PaddingLength).Clear();
        BinaryPrimitives.WriteUInt32BigEndian(trailer[SignatureLengthOffset..], (uint)cmsLength);
    }

    /// <summary>
    /// Reads the struct and magic at the end of <paramref name="module"/>. Returns false when there is no magic;
    /// otherwise the fields, and whether they describe a CMS signature that fits in the file (what the kernel's
    /// mod_check_sig() accepts).
    /// </summary>
    public static bool TryReadSuffix(ReadOnlySpan<byte> module, out AppendedSignature signature)
    {
        signature = default;
        return module.Length >= SuffixLength && TryReadSuffix(module[^SuffixLength..], module.Length, out signature);
    }

    /// <summary>
    /// As <see cref="TryReadSuffix(ReadOnlySpan{byte}, out AppendedSignature)"/>, from the last
    /// <see cref="SuffixLength"/> bytes of a file of <paramref name="fileLength"/> bytes (so a reader need not hold
    /// the whole file).
    /// </summary>
    public static bool TryReadSuffix(ReadOnlySpan<byte> suffix, long fileLength, out AppendedSignature signature)
    {
        signature = default;
        if (suffix.Length != SuffixLength || fileLength < SuffixLength || !EndsWithMagic(suffix))
        {
            return false;
        }

        ReadOnlySpan<byte> trailer = suffix[..TrailerLength];
        uint cmsLength = BinaryPrimitives.ReadUInt32BigEndian(trailer[SignatureLengthOffset..]);
        long contentLength = fileLength - SuffixLength - cmsLength;
        bool wellFormed = trailer[IdTypeOffset] == IdTypePkcs7
            && trailer[AlgorithmOffset] == AlgorithmUnspecified
            && trailer[HashOffset] == HashUnspecified
            && trailer[SignerLengthOffset] == 0
            && trailer[KeyIdLengthOffset] == 0
            && cmsLength > 0
            && contentLength >= 0;
        signature = new AppendedSignature(trailer[IdTypeOffset], cmsLength, wellFormed ? contentLength : -1, wellFormed);
        return true;
    }

    /// <summary>
    /// The module without its appended signature (for re-signing a module that DKMS or a kernel build signed
    /// already); <paramref name="module"/> itself when it carries none. A malformed suffix is returned unchanged:
    /// the caller decides whether that is an error.
    /// </summary>
    public static ReadOnlySpan<byte> WithoutSignature(ReadOnlySpan<byte> module) =>
        TryReadSuffix(module, out AppendedSignature signature) && signature.IsWellFormed
            ? module[..checked((int)signature.ContentLength)]
            : module;
}

/// <summary>
/// What the suffix of a signed module says: the <c>id_type</c>, the CMS message's length, and the length of
/// the signed content before it (-1 when the suffix is malformed).
/// </summary>
public readonly record struct AppendedSignature(byte IdType, uint CmsLength, long ContentLength, bool IsWellFormed);
