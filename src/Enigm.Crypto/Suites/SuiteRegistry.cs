using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Suites;

/// <summary>The suites this build knows. Ids are never reused.</summary>
public static class SuiteRegistry
{
    /// <summary>Suite 1, the default (DESIGN.md table): hybrid everywhere, AES-256-GCM.</summary>
    public static readonly Suite Suite1 = new(
        Id: 1,
        Name: "ENIGM-PQ1-AES256GCM",
        SessionKeyAgreement: KeyAgreementAlgorithm.X25519,
        SessionKem: KemAlgorithm.MlKem1024,
        HybridKem: KemAlgorithm.XWing,
        RatchetKem: KemAlgorithm.MlKem768,
        DeviceSignature: SignatureAlgorithm.MlDsa65Ed25519,
        ReleaseSignature: SignatureAlgorithm.MlDsa87EcdsaP384,
        RootSignature: SignatureAlgorithm.SlhDsaSha2_256s,
        Aead: AeadAlgorithm.Aes256Gcm,
        Kdf: KdfAlgorithm.HkdfSha512,
        RatchetKdf: KdfAlgorithm.HkdfSha256,
        Hash: HashAlgorithm.Sha256,
        LongHash: HashAlgorithm.Sha512);

    /// <summary>Suite 2: suite 1 with ChaCha20-Poly1305, for platforms without AES hardware.</summary>
    public static readonly Suite Suite2 = Suite1 with { Id = 2, Name = "ENIGM-PQ1-CHACHA20POLY1305", Aead = AeadAlgorithm.ChaCha20Poly1305 };

    public static IReadOnlyList<Suite> All { get; } = [Suite1, Suite2];

    /// <summary>The suite with this id, or <see cref="UnknownSuiteException"/>.</summary>
    public static Suite Get(ushort id) =>
        All.FirstOrDefault(s => s.Id == id) ?? throw new UnknownSuiteException(id);
}
