using System.Buffers;

namespace DkmsPack.Archives;

/// <summary>Copying helpers shared by the archive writers.</summary>
internal static class StreamCopy
{
    /// <summary>Large enough that per-call overhead vanishes; small enough to stay in L2.</summary>
    public const int BufferSize = 128 * 1024;

    /// <summary>
    /// Copies exactly <paramref name="size"/> bytes, failing if the source is shorter or longer: a file that
    /// changes while it is packaged must not produce a header that lies about its size.
    /// </summary>
    /// <exception cref="InvalidDataException">The source is shorter or longer than <paramref name="size"/>.</exception>
    public static void CopyExactly(Stream source, Stream destination, long size, ReadOnlySpan<char> what)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long remaining = size;
            while (remaining > 0)
            {
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                {
                    throw new InvalidDataException($"{what.ToString()}: the file is shorter than the {size} bytes measured; did it change while being packaged?");
                }

                destination.Write(buffer, 0, read);
                remaining -= read;
            }

            if (source.Read(buffer, 0, 1) != 0)
            {
                throw new InvalidDataException($"{what.ToString()}: the file is longer than the {size} bytes measured; did it change while being packaged?");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
