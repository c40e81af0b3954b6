using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Keys.Audit;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="AuditExport.FromJson(string)"/> of a fuzzed export file, then <see cref="AuditVerifier.Verify"/>
/// of what it read against a fixed set of trusted checkpoint signers (an Ed25519 key and an
/// id-MLDSA65-Ed25519-SHA512 key, both from fixed seeds). Input: the file's bytes, read as UTF-8 the way
/// <c>File.ReadAllText</c> reads an export. Documented contracts: <c>FromJson</c> rejects with
/// <see cref="MalformedInputException"/> only; <c>Verify</c> never throws for bad data (it reports the first
/// bad position). Checked on accepted input: the verdict is self-consistent, a verdict of "intact" with
/// checkpoints only ever rests on checkpoint messages the fixed signers really signed (no forgery), and
/// <c>ToJson</c> of what was read reads back to the same entries, checkpoints and verdict.
/// </summary>
internal static class AuditExportTarget
{
    public const string Ed25519SignerId = "fuzz-audit-ed25519";

    public const string CompositeSignerId = "fuzz-audit-composite";

    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000); // 2026-01-01

    private static readonly byte[] ChainLabel = "enigm-keys/audit/v1"u8.ToArray();

    private static readonly byte[] CheckpointLabel = "enigm-keys/audit-checkpoint/v1"u8.ToArray();

    private static readonly Lazy<AuditFixture> Fixture = new(AuditFixture.Create);

    public static FuzzTarget Target { get; } = new(
        "audit-export",
        "AuditExport.FromJson (JSON text) then AuditVerifier.Verify with fixed trusted signers; MalformedInputException only, Verify never throws, no forged checkpoint, ToJson round trip.",
        static () => _ = Fixture.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var json = Encoding.UTF8.GetString(input);
        var (entries, checkpoints) = Read(json);

        var verdict = VerifyNeverThrows(entries, checkpoints, fixture);
        FuzzInvariantException.Check(verdict.Ok == (verdict.FirstBadPosition is null) && verdict.Ok == (verdict.Problem is null), $"inconsistent verdict {verdict}");
        FuzzInvariantException.Check(verdict.EntriesChecked >= 0 && verdict.EntriesChecked <= entries.Count, $"verdict checked {verdict.EntriesChecked} of {entries.Count} entries");
        FuzzInvariantException.Check(verdict.CheckpointsChecked >= 0 && verdict.CheckpointsChecked <= checkpoints.Count, $"verdict checked {verdict.CheckpointsChecked} of {checkpoints.Count} checkpoints");
        FuzzInvariantException.Check(verdict.NotYetCheckpointed >= 0 && verdict.NotYetCheckpointed <= entries.Count, $"verdict has {verdict.NotYetCheckpointed} entries not yet checkpointed of {entries.Count}");
        FuzzInvariantException.Check(verdict.FirstBadPosition is null or >= 1, $"first bad position {verdict.FirstBadPosition}");
        if (verdict.Ok)
        {
            FuzzInvariantException.Check(verdict.EntriesChecked == entries.Count, "an intact log whose entries were not all checked");
            foreach (var c in checkpoints)
            {
                var message = Convert.ToHexStringLower(CheckpointMessage(c.Sequence, c.Hash, c.Time.ToUnixTimeMilliseconds(), c.SignerKeyId, c.SignerAlgorithm));
                FuzzInvariantException.Check(fixture.SignedMessages.Contains(message), $"checkpoint at {c.Sequence} by '{c.SignerKeyId}' accepted, but the trusted signer never signed it (forgery)");
            }
        }

        // What was read is written back and read again: same records (compared through their export), same verdict.
        var json2 = AuditExport.ToJson(entries, checkpoints);
        var (entries2, checkpoints2) = Read(json2);
        FuzzInvariantException.Check(AuditExport.ToJson(entries2, checkpoints2) == json2, "ToJson/FromJson round trip changed the records");
        var verdict2 = VerifyNeverThrows(entries2, checkpoints2, fixture);
        FuzzInvariantException.Check(verdict2 == verdict, $"re-exported log verifies differently: {verdict} vs {verdict2}");
    }

    private static (IReadOnlyList<AuditEntry> Entries, IReadOnlyList<AuditCheckpoint> Checkpoints) Read(string json)
    {
        try
        {
            return AuditExport.FromJson(json);
        }
        catch (EnigmException e) when (e is not MalformedInputException)
        {
            throw new FuzzInvariantException($"AuditExport.FromJson is documented to reject with MalformedInputException only; threw {e.GetType().Name}", e);
        }
    }

    private static AuditVerification VerifyNeverThrows(IReadOnlyList<AuditEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints, AuditFixture fixture)
    {
        try
        {
            return AuditVerifier.Verify(entries, checkpoints, fixture.TrustedSigners, Fixtures.Providers);
        }
        catch (EnigmException e)
        {
            throw new FuzzInvariantException($"AuditVerifier.Verify is documented never to throw for bad data; threw {e.GetType().Name}", e);
        }
    }

    /// <summary>
    /// docs/keys-audit.md: Hash_n = SHA-256("enigm-keys/audit/v1" ‖ Hash_{n-1} ‖ CBOR [sequence, unix ms,
    /// event, key id or null, detail]). Written here from the document (only to build seeds); the replay
    /// test checks that the valid seed verifies, so a drift from Enigm.Keys shows up.
    /// </summary>
    private static byte[] EntryHash(byte[] previousHash, long sequence, long unixMs, string eventKind, string? keyId, string detail)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt64(sequence);
        writer.WriteInt64(unixMs);
        writer.WriteTextString(eventKind);
        if (keyId is null) writer.WriteNull();
        else writer.WriteTextString(keyId);
        writer.WriteTextString(detail);
        writer.WriteEndArray();
        return SHA256.HashData([.. ChainLabel, .. previousHash, .. writer.Encode()]);
    }

    /// <summary>docs/keys-audit.md: "enigm-keys/audit-checkpoint/v1" ‖ CBOR [version, suite 1, type AuditCheckpoint, sequence, hash, unix ms, signer key id, signer algorithm].</summary>
    private static byte[] CheckpointMessage(long sequence, byte[] hash, long unixMs, string signerKeyId, string signerAlgorithm)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(8);
        new FormatHeader(FormatHeader.CurrentVersion, 1, ObjectType.AuditCheckpoint).WriteTo(writer);
        writer.WriteInt64(sequence);
        writer.WriteByteString(hash);
        writer.WriteInt64(unixMs);
        writer.WriteTextString(signerKeyId);
        writer.WriteTextString(signerAlgorithm);
        writer.WriteEndArray();
        return [.. CheckpointLabel, .. writer.Encode()];
    }

    private static List<AuditEntry> Chain(params (string Event, string? KeyId, string Detail)[] events)
    {
        var entries = new List<AuditEntry>();
        var previous = new byte[32];
        for (var i = 0; i < events.Length; i++)
        {
            var sequence = i + 1L;
            var time = Epoch.AddSeconds(i * 61);
            var hash = EntryHash(previous, sequence, time.ToUnixTimeMilliseconds(), events[i].Event, events[i].KeyId, events[i].Detail);
            entries.Add(new AuditEntry(sequence, time, events[i].Event, events[i].KeyId, events[i].Detail, previous, hash));
            previous = hash;
        }

        return entries;
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var fixture = Fixture.Value;
        foreach (var (label, json) in fixture.Exports)
            yield return new FuzzSeed(label, Encoding.UTF8.GetBytes(json));

        // Near misses of the strict reader.
        var small = fixture.Exports[1].Json;
        yield return new FuzzSeed("duplicate-property", Encoding.UTF8.GetBytes(small.Replace("\"format\": ", "\"format\": \"x\", \"format\": ", StringComparison.Ordinal)));
        yield return new FuzzSeed("comment", Encoding.UTF8.GetBytes("/* c */" + small));
        yield return new FuzzSeed("exponent-sequence", Encoding.UTF8.GetBytes(small.Replace("\"sequence\": 1,", "\"sequence\": 1e0,", StringComparison.Ordinal)));
        yield return new FuzzSeed("lone-surrogate-detail", Encoding.UTF8.GetBytes(small.Replace("\"detail\": \"", "\"detail\": \"\\ud800", StringComparison.Ordinal)));
        yield return new FuzzSeed("uppercase-hash", Encoding.UTF8.GetBytes(small.ToUpperInvariant()));
        yield return new FuzzSeed("empty-object", "{}"u8.ToArray());
    }

    private sealed class AuditFixture
    {
        public required Dictionary<string, byte[]> TrustedSigners { get; init; }

        public required HashSet<string> SignedMessages { get; init; }

        public required List<(string Label, string Json)> Exports { get; init; }

        public static AuditFixture Create()
        {
            var signers = new[] { (Id: Ed25519SignerId, Algorithm: SignatureAlgorithm.Ed25519), (Id: CompositeSignerId, Algorithm: SignatureAlgorithm.MlDsa65Ed25519) }
                .Where(s => Fixtures.IsAvailable(s.Algorithm))
                .ToList();
            var trusted = signers.ToDictionary(s => s.Id, s => Fixtures.Signature(s.Algorithm).Key.PublicKey.ToArray(), StringComparer.Ordinal);
            var signed = new HashSet<string>(StringComparer.Ordinal);

            AuditCheckpoint Checkpoint(AuditEntry at, string signerId, SignatureAlgorithm algorithm, int offsetSeconds = 5)
            {
                var (scheme, key) = Fixtures.Signature(algorithm);
                var time = at.Time.AddSeconds(offsetSeconds);
                var message = CheckpointMessage(at.Sequence, at.Hash, time.ToUnixTimeMilliseconds(), signerId, algorithm.Name);
                signed.Add(Convert.ToHexStringLower(message));
                return new AuditCheckpoint(at.Sequence, at.Hash, time, signerId, algorithm.Name, key.PublicKey.ToArray(), scheme.Sign(key, message));
            }

            var log = Chain(
                ("store-created", null, "suite 1"),
                ("key-created", "k1", "purpose=signing algorithm=ML-DSA-65"),
                ("key-rotated", "k1", "version 2"),
                ("key-revoked", "k1", "reason: compromised laptop, clé perdue"));
            var exports = new List<(string, string)>
            {
                ("empty-log", AuditExport.ToJson([], [])),
                ("no-checkpoints", AuditExport.ToJson(log, [])),
            };
            if (signers.Count > 0)
            {
                var (edId, edAlgorithm) = signers[0];
                exports.Add(("checkpointed-ed25519", AuditExport.ToJson(log[..3], [Checkpoint(log[1], edId, edAlgorithm), Checkpoint(log[2], edId, edAlgorithm)])));
                exports.Add(("checkpoint-then-unsigned-tail", AuditExport.ToJson(log, [Checkpoint(log[1], edId, edAlgorithm)])));
                var tampered = log.ToList();
                tampered[1] = tampered[1] with { Detail = "purpose=signing algorithm=Ed25519" };
                exports.Add(("tampered-detail", AuditExport.ToJson(tampered, [Checkpoint(log[2], edId, edAlgorithm)])));
                exports.Add(("truncated-after-checkpoint", AuditExport.ToJson(log[..2], [Checkpoint(log[3], edId, edAlgorithm)])));
                var untrusted = Checkpoint(log[1], edId, edAlgorithm) with { SignerKeyId = "someone-else" };
                exports.Add(("untrusted-signer", AuditExport.ToJson(log, [untrusted])));
            }

            if (signers.Count > 1)
            {
                var (id, algorithm) = signers[1];
                exports.Add(("checkpointed-composite", AuditExport.ToJson(log, [Checkpoint(log[3], id, algorithm)])));
            }

            return new AuditFixture { TrustedSigners = trusted, SignedMessages = signed, Exports = exports };
        }
    }
}
