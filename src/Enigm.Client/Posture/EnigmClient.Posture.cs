using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Client.Posture;
using Enigm.Crypto.Providers;
using Enigm.Keys.Model;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Enigm.Trust.States;

namespace Enigm.Client;

// Security posture and organisation policy (issue 14, docs/policy.md): publish a signed posture statement, fetch and
// verify the organisation key, policy and admin audit log, and compare the relay's claimed state with our own.
public sealed partial class EnigmClient
{
    /// <summary>How often the sync loop publishes posture (and at its start).</summary>
    public static readonly TimeSpan PosturePublishInterval = TimeSpan.FromHours(6);

    /// <summary>A key is due for rotation from this fraction of its cryptoperiod on (NIST SP 800-57 part 1, 5.3).</summary>
    private const double KeyDueFraction = 0.9;

    private DateTimeOffset _postureDueAt = DateTimeOffset.MinValue;

    /// <summary>Records the installed release and a verified update check, for the next posture statement.</summary>
    public void RecordUpdateCheck(string installedRelease, DateTimeOffset checkedAt)
    {
        ArgumentNullException.ThrowIfNull(installedRelease);
        var bytes = new byte[8 + System.Text.Encoding.UTF8.GetByteCount(installedRelease)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, checkedAt.ToUnixTimeMilliseconds());
        System.Text.Encoding.UTF8.GetBytes(installedRelease, bytes.AsSpan(8));
        _records.Put(PostureRecords.UpdateCheck, bytes);
    }

    /// <summary>This device's posture now (not yet signed): versions, protector, key ages, audit check, contact counts.</summary>
    public PostureStatement CurrentPosture(PostureFacts? facts = null)
    {
        facts ??= new PostureFacts();
        var now = _options.Time.GetUtcNow();
        var keys = _ring.List().Where(k => k.State == KeyState.Active).Take(PostureEncoding.MaxKeys).Select(k =>
        {
            var age = now - (k.ActivatedAt ?? k.CreatedAt);
            if (age < TimeSpan.Zero) age = TimeSpan.Zero;
            var overdue = k.Cryptoperiod > TimeSpan.Zero && age > k.Cryptoperiod;
            var due = k.Cryptoperiod > TimeSpan.Zero && age >= k.Cryptoperiod * KeyDueFraction;
            return new KeyAgeReport(k.Purpose.ToName(), age, k.Cryptoperiod, due, overdue);
        }).ToList();
        var unverified = 0;
        var changed = 0;
        foreach (var contact in _contacts.All())
        {
            switch (_trust.Contact(contact.Name)?.State ?? TrustState.Unverified)
            {
                case TrustState.Unverified: unverified++; break;
                case TrustState.Changed: changed++; break;
            }
        }

        var (release, checkedAt) = UpdateCheck();
        var clientVersion = facts.ClientVersion ?? InstalledClientRelease()?.Version ?? ClientVersion();
        return new PostureStatement(
            _device.Account, _device.DeviceId, now, clientVersion, facts.OsVersion ?? OsVersion(), Protector(_ring.ProtectorKind), keys,
            facts.InstalledRelease ?? release ?? "", facts.LastUpdateCheck ?? checkedAt,
            _ring.VerifyAudit().Ok ? AuditLogCheck.Verified : AuditLogCheck.Failed, unverified, changed);
    }

    /// <summary>Signs this device's posture with its device key and uploads it; returns the relay's evaluation.</summary>
    public Task<ComplianceResponse> PublishPostureAsync(PostureFacts? facts = null, CancellationToken cancellation = default) =>
        Serialised(() => PublishPostureCoreAsync(facts, cancellation), cancellation);

    /// <summary>
    /// Fetches and verifies the organisation key (pinned on first use), the policy (never below a version accepted
    /// before: <see cref="PolicyRollbackException"/>; never signed by another key: <see cref="PolicyNotSignedByOrganisationException"/>)
    /// and the admin audit log (<see cref="AdminAuditLogInvalidException"/>, <see cref="AdminActionForgedException"/>), then
    /// evaluates this device's last published posture and compares with the relay's claim.
    /// </summary>
    public Task<OrganisationStatus> CheckOrganisationAsync(CancellationToken cancellation = default) =>
        Serialised(() => CheckOrganisationCoreAsync(cancellation), cancellation);

    /// <summary>
    /// Pins an organisation key obtained out of band (safer than trusting the relay's on first use). A key that does not
    /// match a fingerprint pinned before (<see cref="PinOrganisationFingerprint"/>) is refused.
    /// </summary>
    public void PinOrganisationKey(byte[] encodedKey)
    {
        var key = OrganisationKey.FromEncoded(encodedKey);
        if (_records.Get(PostureRecords.OrganisationKey) is { } pinned && !pinned.AsSpan().SequenceEqual(key.Encoded))
            throw new OrganisationKeyException($"Another organisation key is already pinned ({OrganisationKey.IdOf(pinned)}).");
        if (_records.Get(OrganisationView.FingerprintRecord) is { } fingerprint && !CryptographicOperations.FixedTimeEquals(fingerprint, SHA256.HashData(key.Encoded)))
        {
            throw new OrganisationKeyException(
                $"The organisation key {key.Id} (fingerprint {key.Fingerprint}) is not the one pinned out of band ({Convert.ToHexStringLower(fingerprint)}).");
        }

        _records.Put(PostureRecords.OrganisationKey, key.Encoded);
    }

    private async Task<ComplianceResponse> PublishPostureCoreAsync(PostureFacts? facts, CancellationToken ct)
    {
        var signed = PostureEncoding.Sign(CurrentPosture(facts), Sign);
        using var relay = new PolicyRelay(_relay, _options.HttpHandler, _options.RequestTimeout);
        var response = await relay.PutBytesAsync(PolicyRoutes.Posture, signed, PolicyJson.Default.ComplianceResponse, ct);
        _records.Put(PostureRecords.LastPosture, signed);
        PostureChanged(signed);
        _postureDueAt = _options.Time.GetUtcNow() + PosturePublishInterval;
        return response;
    }

    /// <summary>The sync loop's call: publishes when due; a relay without the route or unreachable is not an error here.</summary>
    private async Task PublishPostureIfDueAsync(CancellationToken ct)
    {
        if (_options.Time.GetUtcNow() < _postureDueAt) return;
        _postureDueAt = _options.Time.GetUtcNow() + PosturePublishInterval;
        try
        {
            await Serialised(() => PublishPostureCoreAsync(null, ct), ct);
        }
        catch (Errors.RelayException)
        {
            // Retried at the next interval; sending and receiving do not depend on it.
        }
    }

    private async Task<OrganisationStatus> CheckOrganisationCoreAsync(CancellationToken ct)
    {
        using var relay = new PolicyRelay(_relay, _options.HttpHandler, _options.RequestTimeout);
        var verified = await VerifyOrganisationAsync(relay, ct);
        _orgCheckedAt = _options.Time.GetUtcNow();
        var compliance = await relay.GetJsonAsync(PolicyRoutes.Compliance, PolicyJson.Default.ComplianceResponse, ct);
        var lastPosture = _records.Get(PostureRecords.LastPosture) is { } p ? PostureEncoding.ReadUnverified(p) : null;
        if (verified is null)
        {
            return new OrganisationStatus(null, null, [], 0, lastPosture, new ComplianceDecision(ComplianceState.Compliant, []),
                compliance.State, [.. compliance.Reasons.Select(r => r.Text)]);
        }

        var (organisation, policy, actions, entries) = verified.Value;
        var mine = actions.Where(a => a.Account == _device.Account && a.Device == _device.DeviceId).ToList();
        var expected = ComplianceEvaluator.Evaluate(lastPosture, policy, mine, _options.Time.GetUtcNow());
        return new OrganisationStatus(organisation.Id, policy, actions, entries, lastPosture, expected,
            compliance.State, [.. compliance.Reasons.Select(r => r.Text)]);
    }

    /// <summary>
    /// Fetches and verifies the organisation key, policy and admin audit log, remembers the accepted policy version and
    /// audit head, and stores the verified view the send check uses. Null when the relay has no organisation and none
    /// was pinned.
    /// </summary>
    private async Task<(OrganisationKey Key, OrganisationPolicy? Policy, IReadOnlyList<AdminAction> Actions, long Entries)?> VerifyOrganisationAsync(PolicyRelay relay, CancellationToken ct)
    {
        var served = await relay.GetBytesAsync(PolicyRoutes.OrganisationKey, PolicyProblem.NoOrganisation, OrgAdminLimits.MaxKeyBytes, ct);
        var pinnedBytes = _records.Get(PostureRecords.OrganisationKey);
        if (served is null && pinnedBytes is null) return null;

        // Trust on first use unless pinned out of band (the key, or its fingerprint); a different key later is refused.
        if (pinnedBytes is null) PinOrganisationKey(served!);
        var organisation = OrganisationKey.FromEncoded(pinnedBytes ?? served!);
        if (served is not null && !served.AsSpan().SequenceEqual(organisation.Encoded))
            throw new OrganisationKeyException($"The relay serves organisation key {OrganisationKey.IdOf(served)}, not the pinned {organisation.Id}.");

        OrganisationPolicy? policy = null;
        var signedPolicy = await relay.GetBytesAsync(PolicyRoutes.OrganisationPolicy, PolicyProblem.NoPolicy, Trust.Policy.PolicyEncoding.MaxBytes, ct);
        if (signedPolicy is not null)
        {
            var accepted = _records.Get(PostureRecords.PolicyVersion) is { Length: 8 } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : (ulong?)null;
            policy = PolicyEncoding.Verify(signedPolicy, organisation, accepted);
            var version = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(version, policy.Version);
            _records.Put(PostureRecords.PolicyVersion, version);
        }
        else if (_records.Get(PostureRecords.PolicyVersion) is { Length: 8 } seen)
        {
            // A policy was accepted before and the relay now serves none: as much a rollback as an older version.
            throw new PolicyRollbackException(BinaryPrimitives.ReadUInt64BigEndian(seen), 0);
        }

        var log = await relay.GetBytesAsync(PolicyRoutes.OrganisationAudit, "", AdminAuditEncoding.MaxBytes, ct) ?? [];
        var records = AdminAuditEncoding.Decode(log);
        var actions = AdminAuditVerifier.Verify(records, organisation, AcceptedAuditHead(), CryptoProviders.Default);
        if (records.Count > 0)
        {
            var head = new byte[8 + records[^1].Hash.Length];
            BinaryPrimitives.WriteInt64BigEndian(head, records[^1].Sequence);
            records[^1].Hash.CopyTo(head, 8);
            _records.Put(PostureRecords.AuditHead, head);
        }

        var own = records.Zip(actions).Where(p => p.Second.Account == _device.Account && p.Second.Device == _device.DeviceId)
            .Select(p => (p.Second, p.First.Action)).ToList();
        var revoked = actions.Where(a => a.Kind == AdminActionKind.Revoke).Select(a => new OrganisationRevokedDevice(a.Account, a.Device, a.Reason)).ToList();
        StoreOrganisationView(new OrganisationView(records.Count > 0 ? records[^1].Sequence : 0,
            records.Count > 0 ? records[^1].Hash : Keys.Audit.AuditChainLink.GenesisPreviousHash(), signedPolicy, OrganisationView.Deciding(own), revoked));
        return (organisation, policy, actions, records.Count);
    }

    private AdminAuditHead? AcceptedAuditHead() =>
        _records.Get(PostureRecords.AuditHead) is { Length: > 8 } head
            ? new AdminAuditHead(BinaryPrimitives.ReadInt64BigEndian(head), head[8..])
            : null;

    private (string? Release, DateTimeOffset? CheckedAt) UpdateCheck()
    {
        if (_records.Get(PostureRecords.UpdateCheck) is not { Length: >= 8 } bytes) return (null, null);
        var release = System.Text.Encoding.UTF8.GetString(bytes.AsSpan(8));
        return (VersionNumber.IsValid(release) ? release : null, DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes)));
    }

    private static string ClientVersion()
    {
        var v = typeof(EnigmClient).Assembly.GetName().Version;
        return v is null ? "0.0.0" : $"{v.Major}.{v.Minor}.{Math.Max(0, v.Build)}";
    }

    private static string OsVersion()
    {
        var v = Environment.OSVersion.Version;
        var text = $"{v.Major}.{v.Minor}.{Math.Max(0, v.Build)}";
        return VersionNumber.IsValid(text) ? text : "0";
    }

    private static KeyProtectorKind Protector(string kind) => kind switch
    {
        "passphrase" => KeyProtectorKind.Passphrase,
        "tpm" => KeyProtectorKind.Tpm,
        _ => KeyProtectorKind.Unknown,
    };

    /// <summary>Limits of the organisation key as served.</summary>
    private static class OrgAdminLimits
    {
        public const int MaxKeyBytes = Crypto.Encoding.CryptoObject.MaxEncodedSize;
    }
}
