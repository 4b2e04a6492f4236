using DkmsPack.IO;

namespace DkmsPack.Compression;

/// <summary>Pass-through for "no compression", so callers can dispose every compressor alike.</summary>
internal sealed class NonClosingStream(Stream inner) : WriteOnlyStream
{
    public override void Flush() => inner.Flush();

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
}
