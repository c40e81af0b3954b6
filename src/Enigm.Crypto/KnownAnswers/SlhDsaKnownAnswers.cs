using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// ACVP SLH-DSA (FIPS 205) keyGen and sigVer, and a sign-then-verify sample. ACVP tests the internal
/// interface (slh_keygen_internal from explicit seeds, slh_verify_internal), which a provider offers through
/// <see cref="ISlhDsaInternalInterface"/>. The files hold all twelve parameter sets, and each group belongs
/// to exactly one of Enigm's two sets (see <see cref="Owner"/>), so that across both every case is counted
/// once: a set runs its own parameter set through the provider under test and, when that provider is
/// BouncyCastle, the parameter sets Enigm does not offer through the same BouncyCastle code
/// (<see cref="BouncyCastleSlhDsaFunctions"/>). For other providers those count as unsupported.
/// </summary>
internal static class SlhDsaKnownAnswers
{
    public const string KeyGenPrompt = "acvp/SLH-DSA-keyGen-FIPS205/prompt.json";
    public const string KeyGenExpected = "acvp/SLH-DSA-keyGen-FIPS205/expectedResults.json";
    public const string SigVerPrompt = "acvp/SLH-DSA-sigVer-FIPS205/prompt.json";
    public const string SigVerExpected = "acvp/SLH-DSA-sigVer-FIPS205/expectedResults.json";

    /// <summary>
    /// Signatures made per parameter set by the sign-then-verify run unless <see cref="KnownAnswerContext.Full"/>:
    /// the first keys of the ACVP keyGen group, in file order. Each costs one to three seconds.
    /// </summary>
    public const int SignSample = 2;

    /// <summary>
    /// keyGen cases run per small-signature ("s") parameter set that Enigm does not offer, unless
    /// <see cref="KnownAnswerContext.Full"/> (the first in file order): each such key generation costs a
    /// quarter of a second in BouncyCastle. The "f" sets and Enigm's own two sets always run every case.
    /// </summary>
    public const int OtherParameterSetKeyGenSample = 3;

    public static void RunKeyGen(KnownAnswerContext context, KnownAnswerReport report, SignatureAlgorithm algorithm)
    {
        var scheme = context.Primitive<ISignatureScheme>(algorithm);
        using var prompt = context.Load(KeyGenPrompt);
        using var expected = context.Load(KeyGenExpected);
        var runPerOtherSet = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (group, testCase, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            var parameterSet = group.Str("parameterSet");
            if (Owner(parameterSet) != algorithm) continue;
            var caseId = $"{parameterSet} tcId {testCase.GetProperty("tcId").GetInt32()}";
            var skSeed = testCase.Hex("skSeed");
            var skPrf = testCase.Hex("skPrf");
            var pkSeed = testCase.Hex("pkSeed");
            var sk = answer.Hex("sk");
            var pk = answer.Hex("pk");

            if (parameterSet == algorithm.Name)
            {
                if (scheme is not ISlhDsaInternalInterface internalInterface)
                {
                    report.RecordUnsupported();
                    continue;
                }

                var (ok, detail) = SymmetricVerdicts.MustSucceed(
                    () =>
                    {
                        using var key = internalInterface.GenerateKeyFromSeeds(skSeed, skPrf, pkSeed);
                        using var material = key.ExportPrivateMaterial();
                        return material.FixedTimeEquals(sk) && key.PublicKey.AsSpan().SequenceEqual(pk);
                    },
                    "sk or pk differs");
                report.Record(ok, caseId, detail);
            }
            else if (context.Provider == ProviderNames.BouncyCastle && BouncyCastleSlhDsaFunctions.Parameters(parameterSet) is { } parameters)
            {
                var alreadyRun = runPerOtherSet.GetValueOrDefault(parameterSet);
                if (!context.Full && parameterSet.EndsWith('s') && alreadyRun >= OtherParameterSetKeyGenSample) continue;
                runPerOtherSet[parameterSet] = alreadyRun + 1;
                var (ok, detail) = SymmetricVerdicts.MustSucceed(
                    () =>
                    {
                        var (actualSk, actualPk) = BouncyCastleSlhDsaFunctions.KeyGenInternal(parameters, skSeed, skPrf, pkSeed);
                        var same = actualSk.AsSpan().SequenceEqual(sk) && actualPk.AsSpan().SequenceEqual(pk);
                        CryptographicOperations.ZeroMemory(actualSk);
                        return same;
                    },
                    "sk or pk differs");
                report.Record(ok, caseId, detail);
            }
            else
            {
                report.RecordUnsupported();
            }
        }
    }

    public static void RunSigVer(KnownAnswerContext context, KnownAnswerReport report, SignatureAlgorithm algorithm)
    {
        var scheme = context.Primitive<ISignatureScheme>(algorithm);
        using var prompt = context.Load(SigVerPrompt);
        using var expected = context.Load(SigVerExpected);
        foreach (var (group, testCase, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            var parameterSet = group.Str("parameterSet");
            if (Owner(parameterSet) != algorithm) continue;
            var caseId = $"{parameterSet} tcId {testCase.GetProperty("tcId").GetInt32()}";
            var message = testCase.Hex("message");
            if (testCase.TryGetProperty("messageLength", out var bits) && bits.GetInt32() != 8 * message.Length)
            {
                report.RecordUnsupported(); // a message that is not whole bytes
                continue;
            }

            var publicKey = testCase.Hex("pk");
            var signature = testCase.Hex("signature");
            var mustAccept = answer.Flag("testPassed");

            bool? verdict = null;
            string? error = null;
            try
            {
                if (parameterSet == algorithm.Name && scheme is ISlhDsaInternalInterface internalInterface)
                    verdict = internalInterface.VerifyInternal(publicKey, message, signature);
                else if (parameterSet != algorithm.Name && context.Provider == ProviderNames.BouncyCastle
                    && BouncyCastleSlhDsaFunctions.Parameters(parameterSet) is { } parameters)
                    verdict = BouncyCastleSlhDsaFunctions.VerifyInternal(parameters, publicKey, message, signature);
            }
            catch (Exception e)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }

            if (error is not null)
                report.Record(false, caseId, error);
            else if (verdict is null)
                report.RecordUnsupported();
            else
                report.Record(verdict == mustAccept, caseId, $"verify returned {verdict}, expected {mustAccept}");
        }
    }

    /// <summary>
    /// Imports ACVP keyGen keys (checking the derived public key), signs with a context and checks: the
    /// signature has the standard length; it verifies with this provider and every other available one;
    /// it fails under another context, another message or with one bit flipped; and, where the internal
    /// interface exists, it verifies as slh_verify_internal on M' = 0 ‖ |ctx| ‖ ctx ‖ M (FIPS 205 Algorithm 24).
    /// </summary>
    public static void RunSignThenVerify(KnownAnswerContext context, KnownAnswerReport report, SignatureAlgorithm algorithm)
    {
        var scheme = context.Primitive<ISignatureScheme>(algorithm);
        var verifiers = context.Providers.Available(algorithm)
            .Select(c => context.Providers.Create<ISignatureScheme>(algorithm, c.Provider))
            .ToList();
        using var prompt = context.Load(KeyGenPrompt);
        using var expected = context.Load(KeyGenExpected);
        var signed = 0;
        foreach (var (group, testCase, answer) in VectorJson.AcvpCases(prompt, expected))
        {
            if (group.Str("parameterSet") != algorithm.Name) continue;
            if (!context.Full && signed >= SignSample) break;
            signed++;

            var tcId = testCase.GetProperty("tcId").GetInt32();
            var message = System.Text.Encoding.UTF8.GetBytes($"Enigm SLH-DSA sign-then-verify, ACVP keyGen tcId {tcId}");
            byte[] ctx = [.. System.Text.Encoding.UTF8.GetBytes("enigm-kat-"), (byte)tcId];
            string why;
            bool ok;
            try
            {
                ok = SignAndCheck(scheme, verifiers, answer, message, ctx, out why);
            }
            catch (Exception e)
            {
                (ok, why) = (false, $"{e.GetType().Name}: {e.Message}");
            }

            report.Record(ok, $"{algorithm.Name} tcId {tcId}", why);
        }
    }

    private static bool SignAndCheck(ISignatureScheme scheme, List<ISignatureScheme> verifiers, JsonElement answer, byte[] message, byte[] ctx, out string why)
    {
        var publicKey = answer.Hex("pk");
        using var sk = SecretBytes.TakeOwnership(answer.Hex("sk"));
        using var key = scheme.ImportPrivateKey(sk.Span, PrivateKeyFormat.Expanded);
        why = "imported key has a different public key";
        if (!key.PublicKey.AsSpan().SequenceEqual(publicKey)) return false;

        var signature = scheme.Sign(key, message, ctx);
        why = $"signature is {signature.Length} bytes";
        if (signature.Length != scheme.Algorithm.MaxSignatureSize) return false;

        foreach (var verifier in verifiers)
        {
            why = $"{verifier.Provider} rejects the signature";
            if (!verifier.Verify(publicKey, message, signature, ctx)) return false;
            why = $"{verifier.Provider} accepts it under another context";
            if (verifier.Verify(publicKey, message, signature, [.. ctx, 0])) return false;
            why = $"{verifier.Provider} accepts it for another message";
            if (verifier.Verify(publicKey, [.. message, 0], signature, ctx)) return false;
            var flipped = (byte[])signature.Clone();
            flipped[^1] ^= 0x01;
            why = $"{verifier.Provider} accepts a signature with a flipped bit";
            if (verifier.Verify(publicKey, message, flipped, ctx)) return false;
        }

        if (scheme is ISlhDsaInternalInterface internalInterface)
        {
            byte[] prefixed = [0, (byte)ctx.Length, .. ctx, .. message];
            why = "slh_verify_internal rejects M' = 0 ‖ |ctx| ‖ ctx ‖ M";
            if (internalInterface.VerifyInternal(publicKey, prefixed, signature) == false) return false;
        }

        why = string.Empty;
        return true;
    }

    /// <summary>
    /// Which of Enigm's two SLH-DSA sets accounts for an ACVP group: each its own parameter set; of the ten
    /// others, the security-category-5 (256-bit) ones go with SLH-DSA-SHA2-256s and the rest with -128s.
    /// </summary>
    private static SignatureAlgorithm Owner(string parameterSet) =>
        parameterSet == SignatureAlgorithm.SlhDsaSha2_128s.Name ? SignatureAlgorithm.SlhDsaSha2_128s
        : parameterSet.Contains("-256", StringComparison.Ordinal) ? SignatureAlgorithm.SlhDsaSha2_256s
        : SignatureAlgorithm.SlhDsaSha2_128s;
}
