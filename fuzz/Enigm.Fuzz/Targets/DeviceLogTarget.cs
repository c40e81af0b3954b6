using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Recovery;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="DeviceLogFile.Decode"/> of a fuzzed device-log file, then <see cref="DeviceLogVerifier.Verify"/>
/// of its entries under <c>SuitePolicy.Default</c> with small limits (64 entries, 1 MiB) so executions stay
/// fast. Input: the file's bytes. Documented rejections: <c>MalformedInputException</c>, the device-log
/// family (<c>DeviceLogGapException</c>, <c>DeviceLogSignatureException</c>, <c>UntrustedSignerException</c>,
/// <c>DeviceLogTooLargeException</c>…), suite-policy and key errors — all <c>EnigmException</c>s.
/// Checked on accepted input: every entry says what one of the fixture's entries says (no forgery), the
/// file re-encodes to the same bytes (one encoding per log), and the head is the last entry.
/// </summary>
internal static class DeviceLogTarget
{
    private static readonly DeviceLogLimits Limits = DeviceLogLimits.Default with { MaxEntries = 64, MaxLogBytes = 1 << 20 };

    private static readonly Lazy<DeviceLogFixture> Fixture = new(DeviceLogFixture.Create);

    public static FuzzTarget Target { get; } = new(
        "device-log",
        "DeviceLogFile.Decode then DeviceLogVerifier.Verify with small limits and SuitePolicy.Default; typed rejections only, never accepts an entry the fixture's devices did not sign.",
        static () => _ = Fixture.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        var entries = DeviceLogFile.Decode(bytes, Limits);
        var set = DeviceLogVerifier.Verify(entries, null, Limits, null, Fixtures.Providers);
        foreach (var entry in entries)
            FuzzInvariantException.Check(fixture.Signed.Contains(SignedContent(entry)), "accepted an entry the fixture never signed (forgery)");
        FuzzInvariantException.Check(DeviceLogFile.Encode(entries).AsSpan().SequenceEqual(bytes), "an accepted file does not re-encode to the same bytes");
        FuzzInvariantException.Check(set.Head.Sequence == entries.Count - 1, $"head {set.Head.Sequence} is not the last of {entries.Count} entries");
    }

    private static IEnumerable<FuzzSeed> Seeds() => Fixture.Value.Seeds;

    /// <summary>
    /// What an entry says, without its signatures and previous-entry hash: ML-DSA signing is hedged
    /// (randomised), so a log made in another process has other signature bytes and so other links.
    /// An accepted entry must say something the fixture's devices said.
    /// </summary>
    private static string SignedContent(byte[] encoded)
    {
        var e = DeviceLogEncoding.Decode(encoded, Crypto.Suites.SuitePolicy.Default, Limits.MaxEntryBytes);
        return string.Join(
            '\u0001',
            e.SuiteId,
            e.Sequence,
            e.Kind,
            e.Timestamp.ToUnixTimeMilliseconds(),
            e.SubjectId,
            e.SubjectName,
            Convert.ToHexStringLower(e.SubjectPublicKey),
            e.Reason,
            string.Join(',', e.Signatures.Select(s => s.SignerId)));
    }

    private sealed class DeviceLogFixture
    {
        public required HashSet<string> Signed { get; init; }

        public required List<FuzzSeed> Seeds { get; init; }

        public static DeviceLogFixture Create()
        {
            var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
            if (!Fixtures.IsAvailable(algorithm))
                return new DeviceLogFixture { Signed = [], Seeds = [new FuzzSeed("no-provider", DeviceLogFile.Encode([]))] };

            var scheme = Fixtures.Providers.Signature(algorithm);
            PrivateKey Key(byte n) => scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, n), PrivateKeyFormat.Seed);
            var options = new DeviceLogWriterOptions { Time = new FixedTime(), Limits = Limits, Providers = Fixtures.Providers };
            using var phone = Key(1);
            using var laptop = Key(2);
            using var tablet = Key(3);
            using var laptop2 = Key(4);
            using var desk = Key(6);
            using var recovery = RecoveryKey.Parse(RecoveryKeyText.Format(Fixtures.Pattern(RecoveryKey.SecretLength, 5)), Fixtures.Providers);

            var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", phone, options);
            var genesisOnly = DeviceLogFile.Encode(writer.Entries);
            writer.AddDevice("laptop", "Laptop", laptop, "phone", phone);
            writer.AddDevice("tablet", "Tablet", tablet, "laptop", laptop);
            writer.RotateDeviceKey("laptop", laptop, laptop2);
            writer.RevokeDevice("tablet", "lost", "phone", phone);
            writer.AddRecoveryKey(recovery, "paper", "phone", phone);
            var unsigned = writer.PrepareAddDevice("desk", "Desk", desk.PublicKey);
            writer.CompleteAddDevice(unsigned, recovery, DeviceLogWriter.SignAsNewDevice(unsigned, desk, Fixtures.Providers));
            writer.RevokeRecoveryKey(recovery.Id, "used", "laptop", laptop2);
            var entries = writer.Entries;

            var badSignature = entries.Select(e => (byte[])e.Clone()).ToList();
            badSignature[2][^7] ^= 0x10;
            var seeds = new List<FuzzSeed>
            {
                new("genesis-only", genesisOnly),
                new("all-kinds", DeviceLogFile.Encode(entries)),
                new("first-three", DeviceLogFile.Encode([.. entries.Take(3)])),
                new("gap", DeviceLogFile.Encode([entries[0], entries[2]])),
                new("bad-signature", DeviceLogFile.Encode(badSignature)),
                new("empty", DeviceLogFile.Encode([])),
            };
            return new DeviceLogFixture { Signed = [.. entries.Select(SignedContent)], Seeds = seeds };
        }
    }

    /// <summary>A clock stopped at 2026-01-01, so the seeds are the same bytes on every run.</summary>
    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    }
}
