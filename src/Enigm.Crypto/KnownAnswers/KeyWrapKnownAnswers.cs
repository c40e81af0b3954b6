using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Wycheproof aes_kwp_test (RFC 5649). Valid cases must wrap msg to ct and unwrap ct to msg; invalid ones
/// (modified IV or padding, impossible lengths) must fail to unwrap. 256-bit KEKs go through the public
/// <see cref="IKeyWrap"/> API, 128/192-bit ones through <see cref="IKeyWrapAnyKek"/> where available.
/// </summary>
internal static class KeyWrapKnownAnswers
{
    public static void RunWycheproof(KnownAnswerContext context, KnownAnswerReport report, KeyWrapAlgorithm algorithm, string file)
    {
        var keyWrap = context.Primitive<IKeyWrap>(algorithm);
        using var document = context.Load(file);
        foreach (var (_, testCase) in document.WycheproofCases())
        {
            var kek = testCase.Hex("key");
            var message = testCase.Hex("msg");
            var wrapped = testCase.Hex("ct");

            Func<byte[], byte[]> wrap;
            Func<byte[], byte[]> unwrap;
            if (kek.Length == 32)
            {
                wrap = m => keyWrap.Wrap(kek, m);
                unwrap = c => keyWrap.Unwrap(kek, c);
            }
            else if (keyWrap is IKeyWrapAnyKek anyKek)
            {
                wrap = m => anyKek.WrapAnyKek(kek, m);
                unwrap = c => anyKek.UnwrapAnyKek(kek, c);
            }
            else
            {
                report.RecordUnsupported();
                continue;
            }

            SymmetricVerdicts.Record(report, SymmetricVerdicts.CaseId(testCase), testCase.Result(),
                () => wrap(message).AsSpan().SequenceEqual(wrapped) && unwrap(wrapped).AsSpan().SequenceEqual(message),
                () => unwrap(wrapped));
        }
    }
}
