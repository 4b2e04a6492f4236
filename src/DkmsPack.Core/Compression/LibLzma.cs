using System.Runtime.InteropServices;

using DkmsPack.Diagnostics;

namespace DkmsPack.Compression;

/// <summary>
/// The few entry points of the system's liblzma (XZ Utils) that xz compression needs, bound at first use.
/// The library is loaded with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> and its functions are
/// called through unmanaged function pointers, so its absence is one clear error at the moment xz is asked
/// for, not a <see cref="DllNotFoundException"/> later, and gzip and zstd never load it. All arguments are
/// blittable (pointers and integers): nothing is marshalled, which keeps it Native AOT-clean.
/// API: https://github.com/tukaani-project/xz/blob/master/src/liblzma/api/lzma/base.h and container.h.
/// </summary>
internal static unsafe class LibLzma
{
    /// <summary>The soname of liblzma's stable ABI (XZ Utils 5.0 and later; lzma_stream_encoder_mt since 5.2).</summary>
    public const string LibraryName = "liblzma.so.5";

    /// <summary>
    /// Names another library to load instead of <see cref="LibraryName"/>. It exists so that the tests can make
    /// the load fail on a machine that has liblzma (a name that does not exist), as on one that lacks it.
    /// </summary>
    public const string LibraryOverrideVariable = "DKMSPACK_LIBLZMA";

    // lzma_ret (base.h).
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int UnsupportedCheck = 3;
    public const int MemError = 5;
    public const int MemLimitError = 6;
    public const int OptionsError = 8;
    public const int BufError = 10;
    public const int ProgError = 11;

    // lzma_action (base.h).
    public const int Run = 0;
    public const int Finish = 3;

    /// <summary>LZMA_PRESET_EXTREME (container.h): or-ed into the preset, xz's -e.</summary>
    public const uint PresetExtreme = 0x8000_0000;

    private static readonly Lazy<Api> s_api = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The bound functions; throws a one-line <see cref="DkmsPackException"/> when liblzma cannot be loaded.</summary>
    public static Api Functions => s_api.Value;

    private static Api Load()
    {
        string name = Environment.GetEnvironmentVariable(LibraryOverrideVariable) is { Length: > 0 } overridden ? overridden : LibraryName;
        if (!NativeLibrary.TryLoad(name, out IntPtr handle))
        {
            throw DkmsPackException.Options(
                $"xz compression needs the system's liblzma ({name}), which could not be loaded",
                "install it (Debian and Ubuntu: liblzma5; Fedora and RHEL: xz-libs; Arch: xz; openSUSE: liblzma5), or choose -Z gzip or -Z zstd");
        }

        try
        {
            return new Api(
                (delegate* unmanaged<LzmaStream*, LzmaMt*, int>)NativeLibrary.GetExport(handle, "lzma_stream_encoder_mt"),
                (delegate* unmanaged<LzmaStream*, int, int>)NativeLibrary.GetExport(handle, "lzma_code"),
                (delegate* unmanaged<LzmaStream*, void>)NativeLibrary.GetExport(handle, "lzma_end"),
                (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "lzma_version_string"));
        }
        catch (EntryPointNotFoundException e)
        {
            throw DkmsPackException.Options(
                $"{name} has no multi-threaded xz encoder (lzma_stream_encoder_mt, XZ Utils 5.2 or later): {e.Message}",
                "update liblzma (XZ Utils 5.2 or later), or choose -Z gzip or -Z zstd",
                e);
        }
    }

    /// <summary>liblzma's functions, as function pointers into the loaded library.</summary>
    internal sealed class Api(
        delegate* unmanaged<LzmaStream*, LzmaMt*, int> streamEncoderMt,
        delegate* unmanaged<LzmaStream*, int, int> code,
        delegate* unmanaged<LzmaStream*, void> end,
        delegate* unmanaged<byte*> versionString)
    {
        public int StreamEncoderMt(LzmaStream* stream, LzmaMt* options) => streamEncoderMt(stream, options);

        public int Code(LzmaStream* stream, int action) => code(stream, action);

        public void End(LzmaStream* stream) => end(stream);

        /// <summary>The library's version, as <c>xz --version</c> prints it ("5.4.1").</summary>
        public string Version => Marshal.PtrToStringUTF8((IntPtr)versionString()) ?? string.Empty;
    }

    /// <summary>lzma_stream (base.h): zero-initialised is LZMA_STREAM_INIT.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public IntPtr Allocator;
        public IntPtr Internal;
        public IntPtr ReservedPtr1;
        public IntPtr ReservedPtr2;
        public IntPtr ReservedPtr3;
        public IntPtr ReservedPtr4;
        public ulong SeekPos;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    /// <summary>lzma_mt (container.h): the multi-threaded encoder's options. Unused fields must be zero.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaMt
    {
        public uint Flags;
        public uint Threads;
        public ulong BlockSize;
        public uint Timeout;
        public uint Preset;
        public IntPtr Filters;
        public int Check;
        public int ReservedEnum1;
        public int ReservedEnum2;
        public int ReservedEnum3;
        public uint ReservedInt1;
        public uint ReservedInt2;
        public uint ReservedInt3;
        public uint ReservedInt4;
        public ulong MemlimitThreading;
        public ulong MemlimitStop;
        public ulong ReservedInt7;
        public ulong ReservedInt8;
        public IntPtr ReservedPtr1;
        public IntPtr ReservedPtr2;
        public IntPtr ReservedPtr3;
        public IntPtr ReservedPtr4;
    }
}
