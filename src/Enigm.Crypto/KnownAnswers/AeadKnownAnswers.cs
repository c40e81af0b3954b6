using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Wycheproof AEAD files (aes_gcm_test, chacha20_poly1305_test). Cases with Enigm's sizes (256-bit key,
/// 96-bit nonce, 128-bit tag) run through the public <see cref="IAead"/> API. Other sizes run through
/// <see cref="IAeadAnySize"/> when the provider's library honestly supports them; cases that are invalid
/// because of their nonce size must be refused by the public API; the rest count as unsupported.
/// </summary>
internal static class AeadKnownAnswers
{
    public static void RunWycheproof(KnownAnswerContext context, KnownAnswerReport report, AeadAlgorithm algorithm, string file)
    {
        var aead = context.Primitive<IAead>(algorithm);
        using var document = context.Load(file);
        foreach (var (_, testCase) in document.WycheproofCases())
        {
            var key = testCase.Hex("key");
            var nonce = testCase.Hex("iv");
            var aad = testCase.Hex("aad");
            var message = testCase.Hex("msg");
            var ciphertext = testCase.Hex("ct");
            var tag = testCase.Hex("tag");
            var caseId = SymmetricVerdicts.CaseId(testCase);
            var result = testCase.Result();

            if (key.Length == algorithm.KeySize && nonce.Length == algorithm.NonceSize && tag.Length == algorithm.TagSize)
            {
                byte[] sealedBytes = [.. ciphertext, .. tag];
                SymmetricVerdicts.Record(report, caseId, result,
                    () =>
                    {
                        var encrypted = new byte[message.Length + algorithm.TagSize];
                        aead.Encrypt(key, nonce, message, aad, encrypted);
                        var decrypted = new byte[message.Length];
                        aead.Decrypt(key, nonce, sealedBytes, aad, decrypted);
                        return encrypted.AsSpan().SequenceEqual(sealedBytes) && decrypted.AsSpan().SequenceEqual(message);
                    },
                    () => aead.Decrypt(key, nonce, sealedBytes, aad, new byte[ciphertext.Length]));
            }
            else if (aead is IAeadAnySize anySize && anySize.Supports(key.Length, nonce.Length, tag.Length))
            {
                SymmetricVerdicts.Record(report, caseId, result,
                    () =>
                    {
                        var encrypted = new byte[message.Length];
                        var computedTag = new byte[tag.Length];
                        anySize.EncryptAnySize(key, nonce, message, aad, encrypted, computedTag);
                        var decrypted = new byte[ciphertext.Length];
                        var authentic = anySize.DecryptAnySize(key, nonce, ciphertext, tag, aad, decrypted);
                        return authentic && encrypted.AsSpan().SequenceEqual(ciphertext) && computedTag.AsSpan().SequenceEqual(tag)
                            && decrypted.AsSpan().SequenceEqual(message);
                    },
                    () =>
                    {
                        if (!anySize.DecryptAnySize(key, nonce, ciphertext, tag, aad, new byte[ciphertext.Length]))
                            throw new DecryptionFailedException("tag mismatch");
                    });
            }
            else if (result == "invalid" && InvalidBecauseOfNonceSize(testCase))
            {
                // The vector's point is that this nonce length must be refused; Enigm's API refuses it.
                byte[] sealedBytes = [.. ciphertext, .. tag];
                var (ok, detail) = SymmetricVerdicts.MustReject(() => aead.Decrypt(key, nonce, sealedBytes, aad, new byte[ciphertext.Length]));
                report.Record(ok, caseId, detail);
            }
            else
            {
                report.RecordUnsupported();
            }
        }
    }

    private static bool InvalidBecauseOfNonceSize(System.Text.Json.JsonElement testCase) =>
        testCase.GetProperty("flags").EnumerateArray().Any(f => f.GetString() is "ZeroLengthIv" or "InvalidNonceSize");
}
