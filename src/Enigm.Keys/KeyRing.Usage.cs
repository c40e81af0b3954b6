using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Keys;

/// <summary>Using keys: every use is checked against the key's state and windows first.</summary>
public sealed partial class KeyRing
{
    public byte[] Sign(string id, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        var row = Row(id);
        KeyStateMachine.EnsureUsable(row.Record, KeyUsage.Sign, Now);
        using var key = LoadPrivateKey(row);
        return Options.Providers.Signature(SignatureAlgorithmOf(row.Record)).Sign(key, message, context);
    }

    public bool Verify(string id, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        var record = Get(id);
        KeyStateMachine.EnsureUsable(record, KeyUsage.Verify, Now);
        return Options.Providers.Signature(SignatureAlgorithmOf(record)).Verify(record.PublicKey, message, signature, context);
    }

    /// <summary>The public key to encrypt or encapsulate to; refused unless the key may protect new data.</summary>
    public byte[] PublicKeyForEncryption(string id)
    {
        var record = Get(id);
        KeyStateMachine.EnsureUsable(record, KeyUsage.Encrypt, Now);
        return record.PublicKey;
    }

    public SecretBytes Decapsulate(string id, ReadOnlySpan<byte> ciphertext)
    {
        var row = Row(id);
        KeyStateMachine.EnsureUsable(row.Record, KeyUsage.Decrypt, Now);
        if (AlgorithmOf(row.Record) is not KemAlgorithm kem) throw new KeyUsageDeniedException(row.Record.Id, "decapsulate", "it is not a KEM key");
        using var key = LoadPrivateKey(row);
        return Options.Providers.Kem(kem).Decapsulate(key, ciphertext);
    }

    public SecretBytes Agree(string id, ReadOnlySpan<byte> peerPublicKey)
    {
        var row = Row(id);
        KeyStateMachine.EnsureUsable(row.Record, KeyUsage.Decrypt, Now);
        if (AlgorithmOf(row.Record) is not KeyAgreementAlgorithm agreement) throw new KeyUsageDeniedException(row.Record.Id, "agree", "it is not a key-agreement key");
        using var key = LoadPrivateKey(row);
        return Options.Providers.KeyAgreement(agreement).Agree(key, peerPublicKey);
    }

    /// <summary>
    /// Checks the whole audit log — hash chain and checkpoints signed by this store's storage keys — and
    /// then the key rows against it: a key the log names whose row is gone, or a key set that no longer
    /// matches its commitment, fails verification too (docs/keys-audit.md, "Deleted rows").
    /// </summary>
    public AuditVerification VerifyAudit()
    {
        var entries = _store.AuditEntries();
        var result = AuditVerifier.Verify(entries, _store.AuditCheckpoints(), TrustedCheckpointSigners(), Options.Providers);
        if (!result.Ok) return result;
        var missing = CheckKeySet(_store.Keys());
        if (missing.Count == 0) return result;
        var first = missing[0];
        var position = entries.FirstOrDefault(e => e.KeyId == first.KeyId)?.Sequence ?? entries.Count;
        return result with { Ok = false, FirstBadPosition = position, Problem = $"{first.KeyId}: {first.Problem}" };
    }

    /// <summary>Public keys allowed to sign this store's audit checkpoints: every storage key it ever had.</summary>
    public IReadOnlyDictionary<string, byte[]> TrustedCheckpointSigners() =>
        List().Where(k => k.Purpose == KeyPurpose.Storage).ToDictionary(k => k.Id, k => k.PublicKey);

    public IReadOnlyList<AuditEntry> AuditEntries() => _store.AuditEntries();

    public IReadOnlyList<AuditCheckpoint> AuditCheckpoints() => _store.AuditCheckpoints();

    private SignatureAlgorithm SignatureAlgorithmOf(KeyRecord record) =>
        AlgorithmOf(record) as SignatureAlgorithm
        ?? throw new KeyUsageDeniedException(record.Id, "sign", "it is not a signature key");

    private PrivateKey NewPrivateKey(CryptoAlgorithm algorithm) => algorithm switch
    {
        SignatureAlgorithm s => Options.Providers.Signature(s).GenerateKey(),
        KemAlgorithm k => Options.Providers.Kem(k).GenerateKeyPair(),
        KeyAgreementAlgorithm a => Options.Providers.KeyAgreement(a).GenerateKey(),
        _ => throw new AlgorithmUnavailableException($"{algorithm.Name} keys are not kept in the key store."),
    };

    /// <summary>Unwraps a row's private key and checks it matches the stored public key.</summary>
    private PrivateKey LoadPrivateKey(KeyRow row)
    {
        var record = row.Record;
        if (row.Wrapped is not { } wrapped) throw new KeyUsageDeniedException(record.Id, "load", "its private material is destroyed");
        using var encoded = KeyWrapping.Unwrap(_kek, wrapped, ContextOf(record));
        if (encoded.Length < 2 || !Enum.IsDefined((PrivateKeyFormat)encoded.Span[0]))
            throw new KeyIntegrityException(record.Id, "unknown private key format");
        var format = (PrivateKeyFormat)encoded.Span[0];
        var material = encoded.Span[1..];
        PrivateKey key;
        try
        {
            key = AlgorithmOf(record) switch
            {
                SignatureAlgorithm s => Options.Providers.Signature(s).ImportPrivateKey(material, format),
                KemAlgorithm k when format == PrivateKeyFormat.Seed => Options.Providers.Kem(k).DeriveKeyPair(material),
                KemAlgorithm k => Options.Providers.Kem(k).ImportExpandedPrivateKey(material),
                KeyAgreementAlgorithm a => Options.Providers.KeyAgreement(a).ImportPrivateKey(material),
                var other => throw new KeyIntegrityException(record.Id, $"{other.Name} is not a stored key type"),
            };
        }
        catch (EnigmException e) when (e is InvalidKeyException or MalformedInputException)
        {
            throw new KeyIntegrityException(record.Id, "the unwrapped material is not a valid key");
        }

        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(key.PublicKey, record.PublicKey))
        {
            key.Dispose();
            throw new KeyIntegrityException(record.Id, "the private key does not match the stored public key");
        }

        return key;
    }
}
