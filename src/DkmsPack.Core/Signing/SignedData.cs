using System.Buffers;
using DkmsPack.Archives;

namespace DkmsPack.Signing;

/// <summary>Feeds the data a signature covers, several streams read to their ends in order, to a signer or verifier.</summary>
internal static class SignedData
{
    public static void Feed(ReadOnlySpan<Stream> parts, Action<byte[], int, int> update)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamCopy.BufferSize);
        try
        {
            foreach (Stream part in parts)
            {
                ArgumentNullException.ThrowIfNull(part);
                int read;
                while ((read = part.Read(buffer, 0, buffer.Length)) > 0)
                {
                    update(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
