using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Revocation;
using Enigm.Keys.Storage;

namespace Enigm.Keys;

/// <summary>Lifecycle operations (NIST SP 800-57 Part 1 section 7); each one is a single transaction.</summary>
public sealed partial class KeyRing
{
    /// <summary>Generates a key for <paramref name="purpose"/> with the preferred suite's algorithm.</summary>
    public KeyRecord Generate(KeyPurpose purpose, bool activate = true, string? reason = null)
    {
        var suite = PurposeAlgorithms.RequireDefault(purpose, Options.SuitePolicy);
        return Generate(purpose, PurposeAlgorithms.For(purpose, suite), suite, activate, reason);
    }

    /// <summary>
    /// Generates a signature key for <paramref name="purpose"/> with a chosen <paramref name="algorithm"/>
    /// (for example Ed25519 for a TUF repository read by classical clients). Only the algorithms
    /// <see cref="PurposeAlgorithms.Choices"/> lists for the purpose are accepted, else
    /// <see cref="Enigm.Crypto.Errors.AlgorithmUnavailableException"/>; an algorithm the suite policy refuses
    /// throws <see cref="Enigm.Crypto.Errors.SuiteRefusedException"/>. The record keeps the algorithm, so
    /// rotations keep it too.
    /// </summary>
    public KeyRecord Generate(KeyPurpose purpose, SignatureAlgorithm algorithm, bool activate = true, string? reason = null)
    {
        var suite = PurposeAlgorithms.RequireChoice(purpose, algorithm, Options.SuitePolicy);
        return Generate(purpose, algorithm, suite, activate, reason);
    }

    private KeyRecord Generate(KeyPurpose purpose, CryptoAlgorithm algorithm, Suite suite, bool activate, string? reason)
    {
        var seriesId = "k_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var now = Now;
        var rule = RuleFor(purpose);
        using var key = NewPrivateKey(algorithm);
        var record = new KeyRecord
        {
            Id = KeyRecord.VersionId(seriesId, 1),
            SeriesId = seriesId,
            Version = 1,
            Purpose = purpose,
            SuiteId = suite.Id,
            Algorithm = algorithm.Name,
            State = activate ? KeyState.Active : KeyState.PreActivation,
            PublicKey = key.PublicKey,
            CreatedAt = now,
            ActivatedAt = activate ? now : null,
            ExpiresAt = activate ? now + rule.Cryptoperiod : null,
            Cryptoperiod = rule.Cryptoperiod,
            Reason = reason ?? "generated",
        };
        Commit(tx =>
        {
            InsertKey(tx, record, key);
            Audit(tx, "generated", record, $"purpose={purpose.ToName()} algorithm={algorithm.Name} suite={suite.Id}");
            if (activate) Audit(tx, "activated", record, null);
        });
        return record;
    }

    /// <summary>
    /// Generates <paramref name="count"/> active keys of one purpose in a single transaction (a batch of
    /// one-time prekeys, say): all or none are stored, with one audit entry per key and one checkpoint.
    /// </summary>
    public IReadOnlyList<KeyRecord> GenerateBatch(KeyPurpose purpose, int count, string? reason = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var suite = PurposeAlgorithms.RequireDefault(purpose, Options.SuitePolicy);
        var algorithm = PurposeAlgorithms.For(purpose, suite);
        var rule = RuleFor(purpose);
        var now = Now;
        var records = new List<KeyRecord>(count);
        Commit(tx =>
        {
            for (var i = 0; i < count; i++)
            {
                using var key = NewPrivateKey(algorithm);
                var seriesId = "k_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                var record = new KeyRecord
                {
                    Id = KeyRecord.VersionId(seriesId, 1),
                    SeriesId = seriesId,
                    Version = 1,
                    Purpose = purpose,
                    SuiteId = suite.Id,
                    Algorithm = algorithm.Name,
                    State = KeyState.Active,
                    PublicKey = key.PublicKey,
                    CreatedAt = now,
                    ActivatedAt = now,
                    ExpiresAt = now + rule.Cryptoperiod,
                    Cryptoperiod = rule.Cryptoperiod,
                    Reason = reason ?? "generated (batch)",
                };
                InsertKey(tx, record, key);
                Audit(tx, "generated", record, $"purpose={purpose.ToName()} algorithm={algorithm.Name} suite={suite.Id} batch={count}");
                records.Add(record);
            }
        });
        return records;
    }

    public KeyRecord Activate(string id, string? reason = null)
    {
        var key = Get(id);
        KeyStateMachine.EnsureTransition(key, KeyState.Active);
        EnsureNoOtherActive(key, KeyState.Active);
        var now = Now;
        var updated = key with
        {
            State = KeyState.Active,
            ActivatedAt = now,
            ExpiresAt = now + key.Cryptoperiod,
            Reason = reason ?? "activated",
        };
        return Update("activated", updated);
    }

    public KeyRecord Suspend(string id, string reason) =>
        Transition(id, KeyState.Suspended, "suspended", reason);

    public KeyRecord Resume(string id, string? reason = null)
    {
        var key = Get(id);
        if (key.State != KeyState.Suspended)
            throw new IllegalKeyTransitionException(key.Id, key.State.ToName(), "active (resume)");
        EnsureNoOtherActive(key, KeyState.Active);
        return Update("resumed", key with { State = KeyState.Active, Reason = reason ?? "resumed" });
    }

    /// <summary>
    /// Scheduled rotation: a new version becomes active and the old one is deactivated, keeping
    /// verify/decrypt rights until its grace window ends. One transaction: a crash leaves either
    /// the old or the new version active, never none and never both (the store's unique index on
    /// active versions enforces "never both" as well).
    /// </summary>
    public KeyRecord Rotate(string id, string reason = "rotation", TimeSpan? grace = null) =>
        Successor(id, "rotated", reason, grace);

    /// <summary>Early rotation, for example after suspected exposure; the reason is mandatory.</summary>
    public KeyRecord Replace(string id, string reason, TimeSpan? grace = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("A replacement needs a reason.", nameof(reason));
        return Successor(id, "replaced", reason, grace);
    }

    /// <summary>
    /// Marks the key compromised (SP 800-57 7.5) and issues a revocation statement signed by an
    /// authorised key (default: the active root key, else the store's signing key), verifiable offline
    /// by anyone holding the authority's public key.
    /// </summary>
    public (KeyRecord Record, byte[] Statement) Revoke(string id, string reason, string? authorityId = null)
    {
        var key = Get(id);
        KeyStateMachine.EnsureTransition(key, KeyState.Compromised);
        var authority = authorityId is null ? DefaultAuthority(key) : Get(authorityId);
        if (authority.Id == key.Id)
            throw new KeyUsageDeniedException(authority.Id, "sign", "a key cannot authorise its own revocation");
        if (authority.Purpose is not (KeyPurpose.Root or KeyPurpose.Recovery or KeyPurpose.Storage or KeyPurpose.DeviceSigning))
            throw new KeyUsageDeniedException(authority.Id, "sign", $"a {authority.Purpose.ToName()} key is not authorised to revoke keys");
        KeyStateMachine.EnsureUsable(authority, KeyUsage.Sign, Now);

        var statement = new RevocationStatement(
            key.Id, key.Algorithm, SHA256.HashData(key.PublicKey), reason, Now,
            authority.Id, authority.Algorithm, authority.PublicKey, key.SuiteId);
        byte[] encoded;
        using (var authorityKey = LoadPrivateKey(Row(authority.Id)))
            encoded = RevocationStatements.Sign(statement, Options.Providers.Signature((SignatureAlgorithm)AlgorithmOf(authority)), authorityKey);

        var updated = key with { State = KeyState.Compromised, DeactivatedAt = key.DeactivatedAt ?? Now, GraceUntil = null, Reason = reason };
        Commit(tx =>
        {
            UpdateRecord(tx, updated);
            tx.AddRevocation(key.Id, encoded);
            Audit(tx, "revoked", updated, $"reason={reason} authority={authority.Id} statement-sha256={Convert.ToHexStringLower(SHA256.HashData(encoded))}");
        });
        return (updated, encoded);
    }

    /// <summary>
    /// Destroys the private material: overwritten in place, removed, then the file is rebuilt (VACUUM)
    /// so no copy survives in free pages or the journal. The public record stays, marked destroyed.
    /// </summary>
    public KeyRecord Destroy(string id, string reason = "destroyed")
    {
        var key = Get(id);
        KeyStateMachine.EnsureTransition(key, KeyState.Destroyed);
        var updated = key with { State = KeyState.Destroyed, Reason = reason, GraceUntil = null };
        Commit(tx =>
        {
            tx.EraseWrapped(key.Id);
            UpdateRecord(tx, updated);
            Audit(tx, "destroyed", updated, reason);
        });
        _store.Compact();
        return updated;
    }

    /// <summary>Active keys whose cryptoperiod ends within <paramref name="within"/> (or has ended).</summary>
    public IReadOnlyList<(KeyRecord Key, bool Overdue)> Due(TimeSpan within)
    {
        var now = Now;
        return
        [
            .. List()
                .Where(k => k.State == KeyState.Active && k.ExpiresAt is { } end && end <= now + within)
                .OrderBy(k => k.ExpiresAt)
                .Select(k => (k, k.ExpiresAt <= now)),
        ];
    }

    /// <summary>Rewraps every key under a new protector's KEK in one transaction; no plaintext is written.</summary>
    public void ChangeProtector(IKeyProtector protector)
    {
        // The policy's MAC is keyed from the KEK too: check it now, re-key it below.
        var policyJson = _store.Setting(PolicySetting);
        if (policyJson is not null) _ = StoredOverrides();
        var (descriptor, newKek) = protector.Create();
        var newRows = new RowAuthenticator(newKek, StoreId);
        try
        {
            Commit(tx =>
            {
                if (policyJson is not null)
                    tx.SetSetting(PolicyMacSetting, Convert.ToBase64String(newRows.ComputeSetting(PolicySetting, policyJson)));

                foreach (var row in _store.Keys())
                {
                    if (!_rows.Verify(row)) throw new KeyIntegrityException(row.Record.Id, "the row was modified outside Enigm");
                    WrappedKey? rewrapped = null;
                    if (row.Wrapped is { } wrapped)
                    {
                        using var material = KeyWrapping.Unwrap(_kek, wrapped, ContextOf(row.Record));
                        rewrapped = KeyWrapping.Wrap(newKek, material.Span, ContextOf(row.Record));
                    }

                    tx.ReplaceWrapped(row.Record.Id, rewrapped, newRows.Compute(row.Record, rewrapped));
                }

                global::Enigm.Keys.Records.ProtectedRecords.Reseal(tx, _kek, newKek, StoreId);
                tx.SetSetting("protector_kind", descriptor.Kind);
                tx.SetSetting("protector_params", Convert.ToBase64String(descriptor.Parameters));
                tx.AppendAudit("protector-changed", null, $"protector={descriptor.Kind}", Now);
            }, checkpoint: false, keySetAuthenticator: newRows);
        }
        catch
        {
            newRows.Dispose();
            newKek.Dispose();
            throw;
        }

        _rows.Dispose();
        _kek.Dispose();
        _rows = newRows;
        _kek = newKek;
        Checkpoint();
    }

    private KeyRecord Successor(string id, string auditEvent, string reason, TimeSpan? grace)
    {
        if (grace is { } g && (g < TimeSpan.Zero || g > RotationPolicy.MaxGrace))
            throw new ArgumentOutOfRangeException(nameof(grace), $"The grace window must be between 0d and {RotationPolicy.FormatDuration(RotationPolicy.MaxGrace)}.");
        var old = Get(id);
        if (old.State != KeyState.Active)
            throw new IllegalKeyTransitionException(old.Id, old.State.ToName(), "deactivated (rotation needs an active key)");
        var algorithm = AlgorithmOf(old);
        RequireSuccessorAllowed(old, algorithm);
        var now = Now;
        var rule = RuleFor(old.Purpose);
        using var key = NewPrivateKey(algorithm);
        var next = old with
        {
            Id = KeyRecord.VersionId(old.SeriesId, old.Version + 1),
            Version = old.Version + 1,
            State = KeyState.Active,
            PublicKey = key.PublicKey,
            CreatedAt = now,
            ActivatedAt = now,
            DeactivatedAt = null,
            ExpiresAt = now + rule.Cryptoperiod,
            Cryptoperiod = rule.Cryptoperiod,
            GraceUntil = null,
            PredecessorId = old.Id,
            SuccessorId = null,
            Reason = reason,
        };
        var retired = old with
        {
            State = KeyState.Deactivated,
            DeactivatedAt = now,
            GraceUntil = now + (grace ?? rule.Grace),
            SuccessorId = next.Id,
            Reason = reason,
        };
        Commit(tx =>
        {
            UpdateRecord(tx, retired);
            InsertKey(tx, next, key);
            Audit(tx, auditEvent, retired, $"successor={next.Id} grace-until={retired.GraceUntil:O} reason={reason}");
            Audit(tx, "activated", next, $"predecessor={old.Id} algorithm={next.Algorithm}");
        });
        return next;
    }

    // A successor keeps its series' algorithm: under a policy that refuses it, refuse the rotation (before
    // anything is generated or stored) rather than make a fresh key of a refused algorithm, or change the
    // algorithm of a series its verifiers know by key type (docs/keys.md, "Rotation under a suite policy").
    private void RequireSuccessorAllowed(KeyRecord old, CryptoAlgorithm algorithm)
    {
        try
        {
            PurposeAlgorithms.RequireSuccessor(old.Purpose, old.SuiteId, algorithm, Options.SuitePolicy);
        }
        catch (SuiteRefusedException e)
        {
            var remedy = $"Key {old.Id} is not rotated: its successor would be {algorithm.Name} (suite {old.SuiteId}), which this policy refuses. " +
                $"Generate a {old.Purpose.ToName()} key with an accepted algorithm and suspend this one.";
            throw e.RefusedAlgorithm is { } refused
                ? new SuiteRefusedException(e.SuiteId, refused, $"{remedy} ({e.Message})")
                : new SuiteRefusedException(e.SuiteId, $"{SuiteRegistry.Get(e.SuiteId).Name}; {remedy}");
        }
    }

    private KeyRecord Transition(string id, KeyState to, string auditEvent, string reason)
    {
        var key = Get(id);
        KeyStateMachine.EnsureTransition(key, to);
        var updated = key with
        {
            State = to,
            DeactivatedAt = to == KeyState.Deactivated ? Now : key.DeactivatedAt,
            Reason = reason,
        };
        return Update(auditEvent, updated);
    }

    private KeyRecord Update(string auditEvent, KeyRecord updated)
    {
        Commit(tx =>
        {
            UpdateRecord(tx, updated);
            Audit(tx, auditEvent, updated, updated.Reason);
        });
        return updated;
    }

    private void EnsureNoOtherActive(KeyRecord key, KeyState target)
    {
        var other = List().FirstOrDefault(k => k.SeriesId == key.SeriesId && k.Id != key.Id && k.State == KeyState.Active);
        if (other is not null)
            throw new IllegalKeyTransitionException(key.Id, key.State.ToName(), $"{target.ToName()} (version {other.Id} is active)");
    }

    private KeyRecord DefaultAuthority(KeyRecord target)
    {
        var candidates = List().Where(k => k.State == KeyState.Active && k.Id != target.Id).ToList();
        return candidates.FirstOrDefault(k => k.Purpose == KeyPurpose.Root)
            ?? candidates.FirstOrDefault(k => k.Purpose == KeyPurpose.Storage)
            ?? throw new KeyUsageDeniedException(target.Id, "revoke", "no active root or storage key can authorise the revocation");
    }

    private void InsertKey(IKeyStoreTransaction tx, KeyRecord record, PrivateKey key)
    {
        using var material = PrivateMaterial.Encode(key);
        var wrapped = KeyWrapping.Wrap(_kek, material.Span, ContextOf(record));
        tx.InsertKey(new KeyRow(record, wrapped, _rows.Compute(record, wrapped)));
    }

    private void UpdateRecord(IKeyStoreTransaction tx, KeyRecord record)
    {
        // The MAC covers the wrapped material too, so read what is stored now (inside this transaction).
        var wrapped = tx.Wrapped(record.Id);
        tx.UpdateKey(record, _rows.Compute(record, wrapped));
    }

    private void Audit(IKeyStoreTransaction tx, string auditEvent, KeyRecord key, string? detail) =>
        tx.AppendAudit(auditEvent, key.Id, detail ?? string.Empty, Now);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, re-commits the key set (<see cref="CommitKeySet"/>)
    /// inside it, commits, and then checkpoints the audit log.
    /// </summary>
    private void Commit(Action<IKeyStoreTransaction> work, bool checkpoint = true, RowAuthenticator? keySetAuthenticator = null)
    {
        using (var tx = _store.Begin())
        {
            work(tx);
            CommitKeySet(tx, keySetAuthenticator ?? _rows);
            tx.Commit();
        }

        if (checkpoint) Checkpoint();
    }

    /// <summary>Signs the audit log's head with the store's active storage key (none yet: nothing to do).</summary>
    private void Checkpoint()
    {
        // Only the active storage key is read, not the whole store: this runs after every operation.
        var signer = _store.ActiveKeys(KeyPurpose.Storage).FirstOrDefault(_rows.Verify);
        if (signer is null) return;
        using var key = LoadPrivateKey(signer);
        using var tx = _store.Begin();
        tx.WriteCheckpoint(Options.Providers.Signature((SignatureAlgorithm)AlgorithmOf(signer.Record)), key, signer.Record.Id, Now);
        tx.Commit();
    }
}
