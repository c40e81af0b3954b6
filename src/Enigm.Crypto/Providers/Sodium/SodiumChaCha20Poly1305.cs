using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>RFC 8439 ChaCha20-Poly1305 from libsodium (crypto_aead_chacha20poly1305_ietf).</summary>
internal sealed class SodiumChaCha20Poly1305() : SodiumAead(AeadAlgorithm.ChaCha20Poly1305, NSec.Cryptography.AeadAlgorithm.ChaCha20Poly1305);
