using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Enigm.Crypto.Hybrid;

/// <summary>
/// The two FIPS 202 functions the KEM code needs: SHA3-256 (X-Wing combiner, FIPS 203 H) and SHAKE256
/// (X-Wing key expansion). The BCL is used where the platform has it (OpenSSL 1.1.1+, Windows 11);
/// otherwise BouncyCastle's managed Keccak.
/// </summary>
internal static class Fips202
{
    public static void Sha3_256(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (SHA3_256.IsSupported)
        {
            SHA3_256.HashData(data, digest);
            return;
        }

        var sha3 = new Sha3Digest(256);
        sha3.BlockUpdate(data);
        sha3.DoFinal(digest);
    }

    public static void Shake256(ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (System.Security.Cryptography.Shake256.IsSupported)
        {
            System.Security.Cryptography.Shake256.HashData(data, output);
            return;
        }

        var shake = new ShakeDigest(256);
        shake.BlockUpdate(data);
        shake.OutputFinal(output);
    }
}
