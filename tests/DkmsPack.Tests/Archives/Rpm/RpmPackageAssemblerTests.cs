using DkmsPack.IO;
using DkmsPack.Archives;
using System.Security.Cryptography;
using DkmsPack.Archives.Rpm;
using Xunit;

namespace DkmsPack.Tests.Archives.Rpm;

public class RpmPackageAssemblerTests
{
    private static readonly byte[] Payload = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7 % 256))];

    private static byte[] MainHeader() => new RpmHeaderBuilder()
        .AddString(RpmTag.Name, "n")
        .AddString(RpmTag.Version, "1")
        .AddString(RpmTag.Release, "1")
        .Build(RpmTag.HeaderImmutable);

    [Fact]
    public void BuildSignatureHeader_HasDigestsSizesInRpmbuildOrderAndTypes()
    {
        byte[] header = MainHeader();

        byte[] signature = RpmPackageAssembler.BuildSignatureHeader(header, new MemoryStream(Payload), uncompressedPayloadSize: 4242);

        RpmHeaderReader reader = RpmHeaderReader.Parse(signature, RpmTag.HeaderSignatures);
        Assert.Equal(
            [
                new RpmHeaderEntry(RpmSignatureTag.Sha1, RpmTagType.String, 0, 1, 41),     // 40 hex digits + NUL
                new RpmHeaderEntry(RpmSignatureTag.Sha256, RpmTagType.String, 41, 1, 65),  // 64 hex digits + NUL
                new RpmHeaderEntry(RpmSignatureTag.Size, RpmTagType.Int32, 108, 1, 4),     // aligned from 106
                new RpmHeaderEntry(RpmSignatureTag.Md5, RpmTagType.Bin, 112, 16, 16),
                new RpmHeaderEntry(RpmSignatureTag.PayloadSize, RpmTagType.Int32, 128, 1, 4),
            ],
            reader.Entries);
#pragma warning disable CA5350, CA5351 // checking the format's SHA1 (269) and MD5 (1004) tags, not using them for security
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(header)), reader.GetString(RpmSignatureTag.Sha1));
        Assert.Equal(MD5.HashData([.. header, .. Payload]), reader.GetBinary(RpmSignatureTag.Md5));
#pragma warning restore CA5350, CA5351
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(header)), reader.GetString(RpmSignatureTag.Sha256));
        Assert.Equal((uint)(header.Length + Payload.Length), reader.GetInt32(RpmSignatureTag.Size));
        Assert.Equal(4242u, reader.GetInt32(RpmSignatureTag.PayloadSize));
    }

    [Fact]
    public void Write_LaysOutLeadSignaturePaddingHeaderPayload()
    {
        byte[] header = MainHeader();
        var output = new MemoryStream();

        RpmPackageAssembler.Write(output, "n-1-1", header, new MemoryStream(Payload), 4242);

        byte[] file = output.ToArray();
        byte[] signature = RpmPackageAssembler.BuildSignatureHeader(header, new MemoryStream(Payload), 4242);
        int padding = RpmHeaderBuilder.SignaturePadding(signature.Length);
        Assert.Equal(RpmLead.Create("n-1-1"), file[..96]);
        Assert.Equal(signature, file[96..(96 + signature.Length)]);
        Assert.All(file[(96 + signature.Length)..(96 + signature.Length + padding)], b => Assert.Equal(0, b));
        int headerOffset = 96 + signature.Length + padding;
        Assert.Equal(0, headerOffset % 8);
        Assert.Equal(header, file[headerOffset..(headerOffset + header.Length)]);
        Assert.Equal(Payload, file[(headerOffset + header.Length)..]);
    }

    [Fact]
    public void Write_PayloadNotAtPositionZero_UsesTheRestOfTheStream()
    {
        var payload = new MemoryStream([0xEE, 0xEE, .. Payload]) { Position = 2 };
        var output = new MemoryStream();

        RpmPackageAssembler.Write(output, "n-1-1", MainHeader(), payload, 1);

        output.Position = 0;
        RpmPackageReader rpm = RpmPackageReader.Read(output);
        Assert.Equal(Payload, output.ToArray()[(int)rpm.PayloadOffset..]);
        Assert.Equal((uint)(MainHeader().Length + Payload.Length), rpm.Signature.GetInt32(RpmSignatureTag.Size));
    }

    [Fact]
    public void Write_UnseekableOutput_Works()
    {
        var sink = new MemoryStream();
        using (var unseekable = new HashingWriteStream(sink, leaveOpen: true))
        {
            RpmPackageAssembler.Write(unseekable, "n-1-1", MainHeader(), new MemoryStream(Payload), 1);
        }

        sink.Position = 0;
        Assert.Equal("n", RpmPackageReader.Read(sink).Header.GetString(RpmTag.Name));
    }

    [Fact]
    public void BuildSignatureHeader_RestoresThePayloadPosition()
    {
        var payload = new MemoryStream(Payload) { Position = 10 };

        RpmPackageAssembler.BuildSignatureHeader(MainHeader(), payload, 1);

        Assert.Equal(10, payload.Position);
    }

    [Fact]
    public void BuildSignatureHeader_UncompressedPayloadOf4GiB_ThrowsLimitException()
    {
        var error = Assert.Throws<ArchiveLimitException>(() => RpmPackageAssembler.BuildSignatureHeader(MainHeader(), new MemoryStream(Payload), 1L << 32));
        Assert.Contains("4 GiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildSignatureHeader_NotAHeader_Throws() =>
        Assert.Throws<ArgumentException>(() => RpmPackageAssembler.BuildSignatureHeader(new byte[32], new MemoryStream(Payload), 1));

    [Fact]
    public void BuildSignatureHeader_TruncatedHeader_Throws() =>
        Assert.Throws<ArgumentException>(() => RpmPackageAssembler.BuildSignatureHeader(MainHeader().AsSpan(0, MainHeader().Length - 1), new MemoryStream(Payload), 1));

    [Fact]
    public void BuildSignatureHeader_UnseekablePayload_Throws()
    {
        using var unseekable = new HashingWriteStream(new MemoryStream());

        Assert.Throws<ArgumentException>(() => RpmPackageAssembler.BuildSignatureHeader(MainHeader(), unseekable, 1));
    }
}
