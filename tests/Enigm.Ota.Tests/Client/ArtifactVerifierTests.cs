using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class ArtifactVerifierTests
{
    private static readonly byte[] Data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

    private static Dictionary<string, string> Hashes(byte[] data) => new()
    {
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
        ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(data)),
    };

    [Fact]
    public void Accepts_and_copies_data_matching_length_and_both_hashes()
    {
        using var copy = new MemoryStream();
        long last = 0;
        ArtifactVerifier.Verify(new MemoryStream(Data), copy, "a", Data.Length, Hashes(Data), new UpdaterTests.SyncProgress(v => last = v));
        Assert.Equal(Data, copy.ToArray());
        Assert.Equal(Data.Length, last);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public void Rejects_data_whose_single_listed_hash_differs(string algorithm)
    {
        var tampered = (byte[])Data.Clone();
        tampered[1_500_000] ^= 0x80;
        var hashes = Hashes(Data).Where(h => h.Key == algorithm).ToDictionary();
        var e = Assert.Throws<HashMismatchException>(() => ArtifactVerifier.Verify(new MemoryStream(tampered), null, "a", Data.Length, hashes));
        Assert.Equal(algorithm, e.Algorithm);
    }

    [Fact]
    public void Rejects_more_data_than_the_trusted_length()
    {
        Assert.Throws<LengthExceededException>(() =>
            ArtifactVerifier.Verify(new MemoryStream(Data), null, "a", Data.Length - 1, Hashes(Data)));
    }

    [Fact]
    public void Rejects_truncated_data_as_a_mismatch()
    {
        Assert.Throws<HashMismatchException>(() =>
            ArtifactVerifier.Verify(new MemoryStream(Data, 0, 100), null, "a", Data.Length, Hashes(Data)));
    }

    [Fact]
    public void Rejects_targets_without_a_supported_hash()
    {
        Assert.Throws<MalformedInputException>(() =>
            ArtifactVerifier.Verify(new MemoryStream(Data), null, "a", Data.Length, new Dictionary<string, string> { ["md5"] = "00" }));
    }
}
