namespace DkmsPack.Packaging;

/// <summary>How far a writer is: files and content bytes of the source tree written so far.</summary>
public readonly record struct PackagingProgress(string Format, int FilesDone, int FilesTotal, long BytesDone, long BytesTotal);
