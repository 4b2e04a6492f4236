namespace DkmsPack.IO;

/// <summary>A temporary file that is deleted when disposed, for payloads measured before their headers are written.</summary>
public sealed class ScratchFile : IDisposable
{
    public ScratchFile(string directory, string suffix)
    {
        Path = System.IO.Path.Combine(directory, $"{Source.ExclusionRules.ScratchPrefix}{Guid.NewGuid():N}{suffix}");
        Stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.DeleteOnClose);
    }

    public string Path { get; }

    /// <summary>Open for writing, then rewound for reading with <see cref="Rewind"/>.</summary>
    public FileStream Stream { get; }

    public Stream Rewind()
    {
        Stream.Flush();
        Stream.Position = 0;
        return Stream;
    }

    public void Dispose() => Stream.Dispose();
}
