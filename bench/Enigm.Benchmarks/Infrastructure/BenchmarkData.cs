using System.Security.Cryptography;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>Inputs and fixtures shared by the benchmark classes.</summary>
internal static class BenchmarkData
{
    public const int KiB = 1024;

    public const int MiB = 1024 * 1024;

    /// <summary>Random bytes; contents do not affect the speed of any primitive measured here.</summary>
    public static byte[] Bytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>
    /// A scheme, a fresh key and a signature over <paramref name="message"/>, checked to verify so that a
    /// broken provider fails the run instead of producing a fast, meaningless number.
    /// </summary>
    public static (ISignatureScheme Scheme, PrivateKey Key, byte[] Signature) SignatureFixture(ProviderCase impl, byte[] message)
    {
        var scheme = impl.Create<ISignatureScheme>();
        var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, message);
        if (!scheme.Verify(key.PublicKey, message, signature))
            throw new InvalidOperationException($"{impl}: a fresh signature does not verify.");
        return (scheme, key, signature);
    }
}
