using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>RFC 2104 HMAC-SHA-256 through System.Security.Cryptography (OpenSSL on Linux).</summary>
internal sealed class BclHmac : IMac
{
    public MacAlgorithm Algorithm => MacAlgorithm.HmacSha256;

    public string Provider => ProviderNames.Bcl;

    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        SymmetricInputChecks.MacOutput(Algorithm, tag.Length);
        HMACSHA256.HashData(key, data, tag);
    }
}
