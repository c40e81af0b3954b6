using Enigm.Crypto.Algorithms;
using Org.BouncyCastle.Crypto.Modes;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>RFC 8439 ChaCha20-Poly1305 from BouncyCastle (Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305).</summary>
internal sealed class BouncyCastleChaCha20Poly1305() : BouncyCastleAead(AeadAlgorithm.ChaCha20Poly1305)
{
    protected override IAeadCipher CreateCipher() => new ChaCha20Poly1305();
}
