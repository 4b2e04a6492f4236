using DkmsPack.Archives.Ar;
using DkmsPack.Verification;
using Xunit;

namespace DkmsPack.Tests.Verification;

/// <summary>
/// The engine on damaged input, in-process so that many variants run quickly: every prefix (at a stride) of a
/// signed .rpm, .deb, Arch package and its .sig, and copies with one byte changed at many places, are bad with one diagnostic, never an
/// exception; the unchanged files are good. And the ar reader reads what <see cref="ArWriter"/> writes.
/// </summary>
public sealed class VerifyRobustnessTests(SignedBuilds builds) : SignedBuildsTests(builds)
{
    [Theory]
    [InlineData("rpm")]
    [InlineData("deb")]
    [InlineData("arch")]
    [InlineData("arch.sig")]
    public void EveryPrefix_IsBad_WithOneDiagnostic(string format)
    {
        byte[] bytes = File.ReadAllBytes(Changed(format));
        VerificationKeys keys = Keys();
        string file = Copy(format, "prefix");
        Assert.True(PackageVerifier.Verify(Original(format), keys).IsGood);

        for (int length = 0; length < bytes.Length; length += length < 256 ? 1 : 97)
        {
            File.WriteAllBytes(Changed(format, file), bytes[..length]);
            AssertBad(PackageVerifier.Verify(file, keys), length);
        }
    }

    [Theory]
    [InlineData("rpm")]
    [InlineData("deb")]
    [InlineData("arch")]
    [InlineData("arch.sig")]
    public void AnyByteChanged_IsBad_WithOneDiagnostic(string format)
    {
        byte[] original = File.ReadAllBytes(Changed(format));
        VerificationKeys keys = Keys();
        string file = Copy(format, "flipped");
        var random = new Random(format.Length);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            int index = trial < 200 && trial < bytes.Length ? trial : random.Next(bytes.Length);
            bytes[index] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(Changed(format, file), bytes);

            FileVerification result = PackageVerifier.Verify(file, keys);

            // A changed byte may fall where no check reaches (the rpm lead's name, an ar header's date): then good.
            if (!result.IsGood)
            {
                AssertBad(result, index);
            }
        }
    }

    [Fact]
    public void A256MiBPayloadOrDataTar_IsStreamed_NotReadIntoMemory()
    {
        const long Large = 256L << 20;
        VerificationKeys keys = Keys();
        string rpm = Builds.Gpg.Combine("large.rpm");
        File.Copy(Builds.Rpm("ed25519"), rpm);
        using (FileStream stream = File.OpenWrite(rpm))
        {
            stream.SetLength(stream.Length + Large); // a payload 256 MiB longer than the one signed
        }

        // The signed deb's own origin signature, over a data.tar.gz that is now 256 MiB of zeros.
        byte[] origin;
        using (FileStream signed = File.OpenRead(Builds.Deb("ed25519")))
        {
            ArReader members = ArReader.Read(signed, maxMembers: 4);
            using Stream member = members.Open(members.Members.Single(m => m.Name == "_gpgorigin"));
            origin = new byte[member.Length];
            member.ReadExactly(origin);
        }

        string deb = Builds.Gpg.Combine("large.deb");
        using (FileStream output = File.Create(deb))
        using (var writer = new ArWriter(output))
        {
            writer.WriteMember("debian-binary", 0, "2.0\n"u8);
            writer.WriteMember("control.tar.gz", 0, "not signed"u8);
            using var zeros = new FileStream(rpm, FileMode.Open, FileAccess.Read);
            zeros.Position = zeros.Length - Large;
            writer.WriteMember("data.tar.gz", 0, Large, zeros);
            writer.WriteMember("_gpgorigin", 0, origin);
        }

        foreach (string file in (string[])[rpm, deb])
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            FileVerification result = PackageVerifier.Verify(file, keys);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.False(result.IsGood);
            Assert.Contains(file.EndsWith(".rpm", StringComparison.Ordinal) ? "payload SHA256 does not match" : "BAD signature", result.Problem!.Message, StringComparison.Ordinal);
            Assert.True(allocated < 16 << 20, $"{file}: {allocated} bytes allocated");
        }
    }

    [Fact]
    public void ArReader_ReadsWhatArWriterWrites_AndRefusesAMemberLongerThanTheFile()
    {
        using var archive = new MemoryStream();
        using (var writer = new ArWriter(archive))
        {
            writer.WriteMember("debian-binary", 1, "2.0\n"u8);
            writer.WriteMember("odd", 2, "abc"u8);
            writer.WriteMember("last", 3, "xy"u8);
        }

        ArReader reader = ArReader.Read(archive, maxMembers: 3);

        Assert.Equal(["debian-binary", "odd", "last"], reader.Members.Select(m => m.Name));
        Assert.Equal([4L, 3L, 2L], reader.Members.Select(m => m.Size));
        using var content = new MemoryStream();
        reader.Open(reader.Members[1]).CopyTo(content);
        Assert.Equal("abc"u8.ToArray(), content.ToArray());
        Assert.Throws<InvalidDataException>(() => ArReader.Read(archive, maxMembers: 2));

        archive.SetLength(archive.Length - 1);
        Assert.Throws<InvalidDataException>(() => ArReader.Read(archive, maxMembers: 3));
    }

    private static void AssertBad(FileVerification result, int where)
    {
        Assert.False(result.IsGood, $"at {where}: {result.Checked}");
        Assert.NotNull(result.Problem);
        Assert.DoesNotContain('\n', result.Problem.ToString());
    }

    private string Original(string format) => format switch
    {
        "rpm" => Builds.Rpm("ed25519"),
        "deb" => Builds.Deb("ed25519"),
        _ => Builds.Arch("ed25519"),
    };

    /// <summary>The file a test changes: the package, or for "arch.sig" the Arch package's detached signature.</summary>
    private string Changed(string format, string? package = null) =>
        (package ?? Original(format)) + (format == "arch.sig" ? ".sig" : string.Empty);

    /// <summary>A copy of the package (an Arch one with its .sig beside it) under a name the verifier dispatches on.</summary>
    private string Copy(string format, string name)
    {
        string file = Builds.Gpg.Combine(name + (format.StartsWith("arch", StringComparison.Ordinal) ? ".pkg.tar.zst" : "." + format));
        File.Copy(Original(format), file, overwrite: true);
        if (format.StartsWith("arch", StringComparison.Ordinal))
        {
            File.Copy(Original(format) + ".sig", file + ".sig", overwrite: true);
        }

        return file;
    }

    private VerificationKeys Keys() => VerificationKeys.Load([(Builds.PublicKeys["ed25519"], File.ReadAllBytes(Builds.PublicKeys["ed25519"]))]);
}
