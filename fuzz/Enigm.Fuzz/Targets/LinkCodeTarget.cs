using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Verification;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The two Enigm.Trust parsers of bytes that arrive by camera or clipboard (docs/trust-verification.md):
/// the enrollment link code (<see cref="LinkCode.Parse"/>, <see cref="LinkCode.ParseText"/>) and the
/// safety-number QR payload (<see cref="SafetyNumberQr.Parse"/>, <see cref="SafetyNumberQr.ParseText"/>).
/// Input: one mode byte (even: binary form, odd: the rest read as UTF-8 text) then the payload.
/// Documented rejections are <c>EnigmException</c>s only (malformed input, unsupported version,
/// unknown or refused suite, invalid KEM key). Checked on accepted input: the object re-encodes to exactly
/// its input (one encoding per value: no second spelling of a code).
/// </summary>
internal static class LinkCodeTarget
{
    private static readonly DateTimeOffset Expiry = DateTimeOffset.FromUnixTimeSeconds(1_767_225_900);

    private static readonly Lazy<byte[]> ValidCode = new(() =>
    {
        var suite = SuiteRegistry.Suite1;
        using var key = Fixtures.Providers.Kem(suite.HybridKem).DeriveKeyPair(Fixtures.Pattern(KemAlgorithm.XWing.SeedSize, 40));
        using var code = new LinkCode(suite, Fixtures.Pattern(LinkCode.CodeIdSize, 41), Expiry, key.PublicKey, SecretBytes.CopyFrom(Fixtures.Pattern(32, 42)));
        return code.ToBytes();
    });

    public static FuzzTarget Code { get; } = new(
        "link-code",
        "LinkCode.Parse / ParseText (mode byte: even binary, odd text) under SuitePolicy.Default; typed rejections only, accepted codes re-encode to their input.",
        static () => _ = ValidCode.Value,
        RunLinkCode,
        LinkCodeSeeds);

    public static FuzzTarget Qr { get; } = new(
        "safety-number-qr",
        "SafetyNumberQr.Parse / ParseText (mode byte: even binary, odd text); typed rejections only, accepted payloads re-encode to their input.",
        static () => { },
        RunQr,
        QrSeeds);

    private static void RunLinkCode(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw HarnessReject.Empty();
        if ((input[0] & 1) == 0)
        {
            using var code = LinkCode.Parse(input[1..]);
            FuzzInvariantException.Check(code.ToBytes().AsSpan().SequenceEqual(input[1..]), "accepted link code does not re-encode to its input");
        }
        else
        {
            var text = System.Text.Encoding.UTF8.GetString(input[1..]);
            using var code = LinkCode.ParseText(text);
            FuzzInvariantException.Check(code.ToText() == text, "accepted link-code text does not re-encode to its input");
        }
    }

    private static void RunQr(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw HarnessReject.Empty();
        if ((input[0] & 1) == 0)
        {
            var qr = SafetyNumberQr.Parse(input[1..]);
            FuzzInvariantException.Check(qr.ToBytes().AsSpan().SequenceEqual(input[1..]), "accepted safety-number payload does not re-encode to its input");
        }
        else
        {
            var text = System.Text.Encoding.UTF8.GetString(input[1..]);
            var qr = SafetyNumberQr.ParseText(text);
            FuzzInvariantException.Check(qr.ToText() == text, "accepted safety-number text does not re-encode to its input");
        }
    }

    private static IEnumerable<FuzzSeed> LinkCodeSeeds()
    {
        var valid = ValidCode.Value;
        var text = System.Text.Encoding.UTF8.GetBytes(LinkCode.TextPrefix + System.Buffers.Text.Base64Url.EncodeToString(valid));
        yield return new FuzzSeed("binary-valid", [0, .. valid]);
        yield return new FuzzSeed("text-valid", [1, .. text]);
        yield return new FuzzSeed("binary-truncated", [0, .. valid.AsSpan(0, valid.Length - 1)]);
        yield return new FuzzSeed("binary-suite-2", [0, .. valid.AsSpan(0, 6), 2, .. valid.AsSpan(7)]);
        yield return new FuzzSeed("binary-negative-expiry", [0, .. valid.AsSpan(0, 23), 0xFF, .. valid.AsSpan(24)]);
        yield return new FuzzSeed("text-padded", [1, .. text, .. "=="u8]);
    }

    private static IEnumerable<FuzzSeed> QrSeeds()
    {
        var qr = new SafetyNumberQr(new AccountFingerprint(Fixtures.Pattern(32, 50)), new AccountFingerprint(Fixtures.Pattern(32, 51)));
        yield return new FuzzSeed("binary-valid", [0, .. qr.ToBytes()]);
        yield return new FuzzSeed("text-valid", [1, .. System.Text.Encoding.UTF8.GetBytes(qr.ToText())]);
        yield return new FuzzSeed("binary-version-2", [0, .. qr.ToBytes().AsSpan(0, 4), 2, .. qr.ToBytes().AsSpan(5)]);
        yield return new FuzzSeed("binary-short", [0, .. qr.ToBytes().AsSpan(0, 40)]);
    }
}
