using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.KnownAnswers;

public static partial class KnownAnswerCatalog
{
    // The SLH-DSA sets live here too: they belong to this work package, and KnownAnswerCatalog.cs, which
    // lists the family methods, is shared; SignatureSets() in KnownAnswerCatalog.Signature.cs is another's.
    private static IEnumerable<KnownAnswerSet> SymmetricSets() =>
    [
        new("wycheproof aes_gcm_test", AeadAlgorithm.Aes256Gcm, ["wycheproof/aes_gcm_test.json"],
            (c, r) => AeadKnownAnswers.RunWycheproof(c, r, AeadAlgorithm.Aes256Gcm, "wycheproof/aes_gcm_test.json")),
        new("wycheproof chacha20_poly1305_test", AeadAlgorithm.ChaCha20Poly1305, ["wycheproof/chacha20_poly1305_test.json"],
            (c, r) => AeadKnownAnswers.RunWycheproof(c, r, AeadAlgorithm.ChaCha20Poly1305, "wycheproof/chacha20_poly1305_test.json")),
        new("wycheproof hkdf_sha256_test", KdfAlgorithm.HkdfSha256, ["wycheproof/hkdf_sha256_test.json"],
            (c, r) => HkdfKnownAnswers.RunWycheproof(c, r, KdfAlgorithm.HkdfSha256, "wycheproof/hkdf_sha256_test.json")),
        new("wycheproof hkdf_sha512_test", KdfAlgorithm.HkdfSha512, ["wycheproof/hkdf_sha512_test.json"],
            (c, r) => HkdfKnownAnswers.RunWycheproof(c, r, KdfAlgorithm.HkdfSha512, "wycheproof/hkdf_sha512_test.json")),
        new("wycheproof aes_kwp_test", KeyWrapAlgorithm.AesKwp256, ["wycheproof/aes_kwp_test.json"],
            (c, r) => KeyWrapKnownAnswers.RunWycheproof(c, r, KeyWrapAlgorithm.AesKwp256, "wycheproof/aes_kwp_test.json")),
        .. HashAlgorithm.All.Select(h => new KnownAnswerSet(
            $"published examples {h.Name}", h, [], (c, r) => HashKnownAnswers.RunPublishedExamples(c, r, h))),
        new("RFC 4231 HMAC-SHA-256", MacAlgorithm.HmacSha256, [],
            (c, r) => HmacKnownAnswers.RunRfc4231(c, r, MacAlgorithm.HmacSha256)),
        .. SlhDsaSets(SignatureAlgorithm.SlhDsaSha2_128s),
        .. SlhDsaSets(SignatureAlgorithm.SlhDsaSha2_256s),
    ];

    private static IEnumerable<KnownAnswerSet> SlhDsaSets(SignatureAlgorithm algorithm) =>
    [
        new($"acvp SLH-DSA keyGen {algorithm.Name}", algorithm, [SlhDsaKnownAnswers.KeyGenPrompt, SlhDsaKnownAnswers.KeyGenExpected],
            (c, r) => SlhDsaKnownAnswers.RunKeyGen(c, r, algorithm)),
        new($"acvp SLH-DSA sigVer {algorithm.Name}", algorithm, [SlhDsaKnownAnswers.SigVerPrompt, SlhDsaKnownAnswers.SigVerExpected],
            (c, r) => SlhDsaKnownAnswers.RunSigVer(c, r, algorithm)),
        new($"SLH-DSA sign-then-verify {algorithm.Name}", algorithm, [SlhDsaKnownAnswers.KeyGenPrompt, SlhDsaKnownAnswers.KeyGenExpected],
            (c, r) => SlhDsaKnownAnswers.RunSignThenVerify(c, r, algorithm)),
    ];
}
