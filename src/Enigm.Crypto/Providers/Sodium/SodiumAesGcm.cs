using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// AES-256-GCM from libsodium (crypto_aead_aes256gcm). libsodium implements it only with AES-NI and
/// PCLMUL, so <see cref="IsSupported"/> depends on the CPU.
/// </summary>
internal sealed class SodiumAesGcm() : SodiumAead(AeadAlgorithm.Aes256Gcm, NSec.Cryptography.AeadAlgorithm.Aes256Gcm)
{
    public static bool IsSupported => NSec.Cryptography.Aes256Gcm.IsSupported;
}
