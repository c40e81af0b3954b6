using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>RFC 2104 HMAC-SHA-256 from BouncyCastle's <see cref="HMac"/> (a third implementation to cross-check the others).</summary>
internal sealed class BouncyCastleHmac : IMac
{
    public MacAlgorithm Algorithm => MacAlgorithm.HmacSha256;

    public string Provider => ProviderNames.BouncyCastle;

    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        SymmetricInputChecks.MacOutput(Algorithm, tag.Length);
        var hmac = new HMac(new Sha256Digest());
        hmac.Init(new KeyParameter(key));
        hmac.BlockUpdate(data);
        hmac.DoFinal(tag);
        hmac.Reset();
    }
}
