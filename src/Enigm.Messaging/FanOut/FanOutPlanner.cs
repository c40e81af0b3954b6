using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.States;

namespace Enigm.Messaging.FanOut;

/// <summary>One device a message is encrypted to: whose, which, with which device key, and whether it is one of the sender's own.</summary>
public sealed record FanOutTarget(AccountFingerprint Account, string DeviceId, byte[] DevicePublicKey, bool IsOwnDevice);

/// <summary>The devices to encrypt one message to, and a warning the caller must show when the policy let a changed contact through.</summary>
public sealed record FanOutPlan(IReadOnlyList<FanOutTarget> Targets, string? Warning)
{
    public IEnumerable<FanOutTarget> RecipientDevices => Targets.Where(t => !t.IsOwnDevice);

    public IEnumerable<FanOutTarget> OwnDevices => Targets.Where(t => t.IsOwnDevice);
}

/// <summary>
/// Multi-device fan-out (DESIGN.md "Messaging"): one plaintext is encrypted separately to every trusted device of
/// the recipient and to the sender's own other devices. A pure function of verified inputs: the device sets come
/// only from verified device logs (never from what a server lists), revoked devices get nothing, and a contact in
/// the <see cref="TrustState.Changed"/> state is refused under the trust policy, as <see cref="TrustBook.CheckSend"/> decides.
/// </summary>
public static class FanOutPlanner
{
    /// <param name="recipientLog">The recipient account's device log, verified (<see cref="DeviceLogTracker.Accept"/>).</param>
    /// <param name="recipientTrust">What this side knows of the recipient contact; its fingerprint must be the log's account.</param>
    /// <param name="ownLog">The sender's own account's verified device log.</param>
    /// <param name="ownDeviceId">The sending device, which is left out.</param>
    /// <param name="policy">The trust policy (its changed-contact rule).</param>
    /// <param name="deviceStates">Known device trust states (optional): a device this side marked revoked is left out even while a log still lists it.</param>
    public static FanOutPlan Plan(
        TrustedDeviceSet recipientLog,
        ContactTrust recipientTrust,
        TrustedDeviceSet ownLog,
        string ownDeviceId,
        TrustPolicy policy,
        IReadOnlyCollection<DeviceTrust>? deviceStates = null)
    {
        ArgumentNullException.ThrowIfNull(recipientLog);
        ArgumentNullException.ThrowIfNull(recipientTrust);
        ArgumentNullException.ThrowIfNull(ownLog);
        ArgumentException.ThrowIfNullOrEmpty(ownDeviceId);
        ArgumentNullException.ThrowIfNull(policy);
        if (!ownLog.IsTrusted(ownDeviceId))
            throw new Errors.UntrustedDeviceException(ownLog.Account.Hex, ownDeviceId, "the sending device is not trusted by its own account's log");

        // The contact's state is about the fingerprint it was verified with; a log of another account is a change.
        if (!recipientTrust.Fingerprint.Equals(recipientLog.Account))
            throw new ContactChangedException(recipientTrust.Contact);
        string? warning = null;
        if (recipientTrust.State == TrustState.Changed)
        {
            if (policy.ChangedContacts != ChangedContactPolicy.WarnOnly) throw new ContactChangedException(recipientTrust.Contact);
            warning = $"Contact {recipientTrust.Contact} changed keys since it was verified; sending anyway (policy WarnOnly).";
        }

        // Device trust states name accounts as the trust book does: the contact's name (or the fingerprint in hex);
        // own devices are flagged as such.
        var revoked = (deviceStates ?? []).Where(d => d.State == TrustState.Revoked).ToList();
        var revokedOfRecipient = revoked
            .Where(d => !d.IsOwnDevice && (d.Account == recipientTrust.Contact || d.Account == recipientLog.Account.Hex))
            .Select(d => d.DeviceId)
            .ToHashSet(StringComparer.Ordinal);
        var revokedOwn = revoked
            .Where(d => d.IsOwnDevice || d.Account == ownLog.Account.Hex)
            .Select(d => d.DeviceId)
            .ToHashSet(StringComparer.Ordinal);

        var targets = new List<FanOutTarget>();
        var selfSend = recipientLog.Account.Equals(ownLog.Account);
        if (!selfSend) targets.AddRange(TrustedDevices(recipientLog, isOwn: false, revokedOfRecipient, exclude: null));
        targets.AddRange(TrustedDevices(ownLog, isOwn: true, revokedOwn, exclude: ownDeviceId));
        return new FanOutPlan(targets, warning);
    }

    private static IEnumerable<FanOutTarget> TrustedDevices(TrustedDeviceSet log, bool isOwn, HashSet<string> locallyRevoked, string? exclude) =>
        log.Devices
            .Where(d => d.Id != exclude)
            .Where(d => !log.RevokedDevices.Any(r => r.Id == d.Id))
            .Where(d => !locallyRevoked.Contains(d.Id))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new FanOutTarget(log.Account, d.Id, d.PublicKey, isOwn));
}
