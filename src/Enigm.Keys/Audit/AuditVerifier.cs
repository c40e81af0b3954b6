using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;

namespace Enigm.Keys.Audit;

/// <summary>
/// Verifies a copy of the audit log with no access to the store: every entry's hash is recomputed and
/// linked, sequences must run 1, 2, 3… without gaps, and every checkpoint must be signed by a trusted
/// signer over the hash the chain actually has at its sequence. Reports the first position that cannot
/// be trusted. Never throws for bad data; only for null arguments.
/// </summary>
public static class AuditVerifier
{
    /// <param name="trustedSigners">Public keys, by key id, allowed to sign checkpoints; a checkpoint by anyone else fails.</param>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyDictionary<string, byte[]> trustedSigners, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(trustedSigners);
        ArgumentNullException.ThrowIfNull(providers);

        var chainBreak = AuditChain.FirstBreak(entries, 0, 1, AuditFormat.ZeroHash());
        var failures = new List<AuditChain.Break>();
        if (chainBreak is { } b) failures.Add(b);

        // Checkpoints in sequence order, so that a mismatch can be blamed on the span since the last good one.
        long lastGood = 0;
        long checkpointsChecked = 0;
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            // Past a chain break the stored hashes mean nothing, so only the signature is judged there.
            var comparable = chainBreak is not { } cb || checkpoint.Sequence < cb.Position;
            var problem = CheckpointProblem(checkpoint, entries, comparable, trustedSigners, providers);
            if (problem is null)
            {
                if (!comparable) continue;
                checkpointsChecked++;
                lastGood = Math.Max(lastGood, checkpoint.Sequence);
                continue;
            }

            failures.Add(problem.Value.Kind switch
            {
                CheckpointFailure.Truncated => new AuditChain.Break(entries.Count + 1, problem.Value.Text),
                CheckpointFailure.Rewritten => new AuditChain.Break(lastGood + 1, problem.Value.Text),
                _ => new AuditChain.Break(Math.Max(checkpoint.Sequence, 1), problem.Value.Text),
            });
        }

        if (failures.Count == 0)
        {
            return new AuditVerification(true, entries.Count, checkpointsChecked, null, null)
            {
                NotYetCheckpointed = entries.Count - lastGood,
            };
        }

        // The chain failure comes first on a tie: it is the more precise statement.
        var first = failures.OrderBy(f => f.Position).First();
        var entriesChecked = Math.Min(entries.Count, (chainBreak?.Position ?? entries.Count + 1) - 1);
        return new AuditVerification(false, entriesChecked, checkpointsChecked, first.Position, first.Problem)
        {
            NotYetCheckpointed = Math.Max(0, entries.Count - lastGood),
        };
    }

    /// <summary>
    /// Verifies an exported log offline with public keys alone (<c>keys audit verify --file F --audit-key
    /// PUB</c>, no store needed). Besides <see cref="Verify"/>'s checks, the export must end at a trusted
    /// checkpoint: Enigm checkpoints after every operation, so an export whose tail no trusted checkpoint
    /// covers (or that carries none) was cut or stripped and fails.
    /// </summary>
    public static AuditVerification VerifyExport(IReadOnlyList<AuditEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyList<byte[]> publicKeys, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var result = Verify(entries, checkpoints, TrustedSignersFrom(checkpoints, publicKeys), providers);
        if (!result.Ok) return result;
        if (result.CheckpointsChecked == 0 || result.NotYetCheckpointed > 0)
        {
            return result with
            {
                Ok = false,
                FirstBadPosition = entries.Count - result.NotYetCheckpointed + 1,
                Problem = "no checkpoint signed by the given key covers the end of the log (checkpoints stripped or the log extended)",
            };
        }

        return result;
    }

    /// <summary>
    /// Trusted signers for verifying an export offline with public keys alone (<c>keys audit verify --file
    /// F --audit-key PUB</c>): each checkpoint signer id whose carried public key is one of
    /// <paramref name="publicKeys"/>. A checkpoint by any other key stays untrusted and fails verification,
    /// so every storage-key version that signed checkpoints must be given.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> TrustedSignersFrom(IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyList<byte[]> publicKeys)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(publicKeys);
        var trusted = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.SignerKeyId is null || trusted.ContainsKey(checkpoint.SignerKeyId)) continue;
            var key = publicKeys.FirstOrDefault(k => AuditFormat.SameBytes(k, checkpoint.SignerPublicKey));
            if (key is not null) trusted[checkpoint.SignerKeyId] = key;
        }

        return trusted;
    }

    private enum CheckpointFailure
    {
        Invalid,
        Truncated,
        Rewritten,
    }

    private static (CheckpointFailure Kind, string Text)? CheckpointProblem(AuditCheckpoint checkpoint, IReadOnlyList<AuditEntry> entries, bool comparable, IReadOnlyDictionary<string, byte[]> trustedSigners, CryptoProviders providers)
    {
        var at = $"checkpoint at entry {checkpoint.Sequence}";
        if (checkpoint.Sequence < 1 || checkpoint.Hash.Length != AuditFormat.HashSize)
            return (CheckpointFailure.Invalid, $"{at} is malformed");
        if (checkpoint.SignerKeyId is null || !trustedSigners.TryGetValue(checkpoint.SignerKeyId, out var trustedKey))
            return (CheckpointFailure.Invalid, $"{at} is signed by untrusted key '{AuditFormat.Printable(checkpoint.SignerKeyId)}'");
        if (!AuditFormat.SameBytes(checkpoint.SignerPublicKey, trustedKey))
            return (CheckpointFailure.Invalid, $"{at} names key '{AuditFormat.Printable(checkpoint.SignerKeyId)}' but carries a different public key");
        if (!SignatureVerifies(checkpoint, trustedKey, providers))
            return (CheckpointFailure.Invalid, $"{at}: signature does not verify (forged or edited checkpoint)");
        if (!comparable)
            return null;

        if (checkpoint.Sequence > entries.Count)
        {
            return (CheckpointFailure.Truncated,
                $"log truncated: it ends at entry {entries.Count} but a signed checkpoint covers entry {checkpoint.Sequence} " +
                "(a cut tail is only detectable against a checkpoint beyond it)");
        }

        var entry = entries[(int)(checkpoint.Sequence - 1)];
        if (!AuditFormat.SameBytes(entry.Hash, checkpoint.Hash))
        {
            return (CheckpointFailure.Rewritten,
                $"the chain up to entry {checkpoint.Sequence} was rewritten and re-hashed: it no longer reaches the hash signed at that checkpoint " +
                "(the change lies between the previous valid checkpoint and this one)");
        }

        return null;
    }

    private static bool SignatureVerifies(AuditCheckpoint checkpoint, byte[] trustedKey, CryptoProviders providers)
    {
        if (AuditFormat.TextProblem("signer algorithm", checkpoint.SignerAlgorithm, 64, allowEmpty: false) is not null
            || AuditFormat.TextProblem("signer key id", checkpoint.SignerKeyId, AuditFormat.MaxKeyIdLength, allowEmpty: false) is not null)
            return false;
        if (CryptoAlgorithm.Find(AlgorithmKind.Signature, checkpoint.SignerAlgorithm) is not SignatureAlgorithm algorithm)
            return false;
        var message = AuditFormat.CheckpointMessage(
            checkpoint.Sequence, checkpoint.Hash, checkpoint.Time.ToUnixTimeMilliseconds(), checkpoint.SignerKeyId, checkpoint.SignerAlgorithm);
        try
        {
            return providers.Signature(algorithm).Verify(trustedKey, message, checkpoint.Signature);
        }
        catch (EnigmException)
        {
            // An unusable trusted key or an algorithm with no provider here: the checkpoint is not verified.
            return false;
        }
    }
}
