using Enigm.Trust.Policy;

namespace Enigm.Server.Storage.Policy;

/// <summary>
/// The relay's organisation state (docs/policy.md, "What the relay stores"): the organisation key it was given, the
/// current signed policy, the admin audit log (Enigm.Keys' chain format with the signed action of each entry) and each
/// managed device's latest signed posture with its last evaluated state. Separate from <see cref="IRelayStore"/>, with
/// its own tables; one implementation per engine (<see cref="SqlitePolicyStore"/>, <see cref="PostgresPolicyStore"/>)
/// held to one contract test.
/// </summary>
public interface IPolicyStore
{
    /// <summary>The organisation key (encoded public key), or null before <c>org init</c> registered one.</summary>
    Task<byte[]?> GetOrganisationKeyAsync(CancellationToken ct = default);

    /// <summary>
    /// Registers the organisation key once: true when stored or when the same key is already stored, false when another
    /// key is (an organisation key is never replaced through the admin API: that would let a relay admin take over).
    /// </summary>
    Task<bool> SetOrganisationKeyAsync(byte[] encodedKey, CancellationToken ct = default);

    /// <summary>The current signed policy and its version, or null.</summary>
    Task<StoredPolicy?> GetPolicyAsync(CancellationToken ct = default);

    /// <summary>The last audit record, or null when the log is empty.</summary>
    Task<AdminAuditRecord?> GetAuditHeadAsync(CancellationToken ct = default);

    /// <summary>Audit records with sequence above <paramref name="after"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AdminAuditRecord>> ReadAuditAsync(long after, int limit, CancellationToken ct = default);

    /// <summary>The signed actions recorded for one device, in log order.</summary>
    Task<IReadOnlyList<byte[]>> ReadDeviceActionsAsync(string account, string device, CancellationToken ct = default);

    /// <summary>
    /// Appends <paramref name="record"/> if the log's head is still the one it links to, in one transaction; with a
    /// <paramref name="policy"/>, the policy replaces the current one only if its version is higher. Returns the outcome;
    /// nothing is written unless it is <see cref="AppendOutcome.Appended"/>.
    /// </summary>
    Task<AppendOutcome> AppendAsync(AdminAuditRecord record, string? account, string? device, StoredPolicy? policy, CancellationToken ct = default);

    /// <summary>Stores a device's latest posture unless a newer one is stored; false when <paramref name="issuedAt"/> is not newer.</summary>
    Task<bool> PutPostureAsync(string account, string device, byte[] posture, DateTimeOffset issuedAt, DateTimeOffset receivedAt, CancellationToken ct = default);

    Task<StoredPosture?> GetPostureAsync(string account, string device, CancellationToken ct = default);

    /// <summary>Records the last evaluated state of a device (a cache for listing; the relay re-evaluates before it acts).</summary>
    Task SetComplianceAsync(string account, string device, ComplianceState state, string reasonsJson, DateTimeOffset evaluatedAt, CancellationToken ct = default);

    /// <summary>Every device with a posture, an action or an evaluated state, ordered by account and device.</summary>
    Task<IReadOnlyList<StoredCompliance>> ListComplianceAsync(int limit, CancellationToken ct = default);
}

public sealed record StoredPolicy(byte[] Signed, ulong Version);

public sealed record StoredPosture(string Account, string Device, byte[] Signed, DateTimeOffset IssuedAt, DateTimeOffset ReceivedAt);

public sealed record StoredCompliance(string Account, string Device, ComplianceState? State, string? ReasonsJson, DateTimeOffset? EvaluatedAt, DateTimeOffset? PostureAt);

public enum AppendOutcome
{
    Appended,

    /// <summary>The log moved on since the action was signed (it links to an older head): sign again on the new head.</summary>
    HeadMoved,

    /// <summary>The policy's version is not above the current one.</summary>
    PolicyNotNewer,
}
