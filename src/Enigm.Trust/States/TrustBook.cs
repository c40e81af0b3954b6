using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.States;

/// <summary>The answer of <see cref="TrustBook.CheckSend"/> when sending may go ahead.</summary>
/// <param name="Warning">Non-null when the caller must show a warning (policy <see cref="ChangedContactPolicy.WarnOnly"/>).</param>
public sealed record SendDecision(TrustState State, string? Warning);

/// <summary>
/// Owns the trust-state machine for contacts and devices (one owner per state machine): every
/// transition is checked here, stamped with the clock and appended to the subject's history, and the
/// store only persists. Transitions: new → unverified; unverified/changed → verified (by comparing the
/// safety number for the current fingerprint); verified → changed (fingerprint differs);
/// changed → unverified (change accepted, if the policy allows); device → revoked (final).
/// </summary>
public sealed class TrustBook(ITrustStateStore store, TrustPolicy policy, TimeProvider time)
{
    public TrustPolicy Policy { get; } = policy;

    public ContactTrust? Contact(string contact) => store.GetContact(contact);

    public DeviceTrust? Device(string account, string deviceId) => store.GetDevice(account, deviceId);

    /// <summary>
    /// Records the fingerprint currently published for a contact. A first sighting starts unverified;
    /// a different fingerprint than the one held turns a verified contact <see cref="TrustState.Changed"/>.
    /// </summary>
    public ContactTrust ObserveContact(string contact, AccountFingerprint fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(contact);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var now = time.GetUtcNow();
        var known = store.GetContact(contact);
        if (known is null)
        {
            var created = new ContactTrust(contact, fingerprint, null, TrustState.Unverified, now,
                [new TrustChange(now, null, TrustState.Unverified, $"first seen with fingerprint {fingerprint.Hex}")]);
            store.PutContact(created);
            return created;
        }

        if (known.Fingerprint.Equals(fingerprint)) return known;

        // Only a contact that was verified (or already changed) has something to lose: it turns changed.
        // A never-verified contact stays unverified, with the change in its history (as in Signal).
        var to = known.State is TrustState.Verified or TrustState.Changed ? TrustState.Changed : TrustState.Unverified;
        var changed = Transition(known with { Fingerprint = fingerprint }, to, $"fingerprint changed from {known.Fingerprint.Hex} to {fingerprint.Hex}", now);
        store.PutContact(changed);
        return changed;
    }

    /// <summary>
    /// Marks the contact verified after the user compared the safety number (or scanned the QR code)
    /// computed from <paramref name="comparedFingerprint"/>. Throws <see cref="ContactChangedException"/>
    /// when that is not the fingerprint currently held: the user compared something else.
    /// </summary>
    public ContactTrust MarkVerified(string contact, AccountFingerprint comparedFingerprint, string how)
    {
        ArgumentNullException.ThrowIfNull(comparedFingerprint);
        var known = RequireContact(contact);
        if (!known.Fingerprint.Equals(comparedFingerprint)) throw new ContactChangedException(contact);
        var verified = Transition(known with { VerifiedFingerprint = comparedFingerprint }, TrustState.Verified, $"verified ({how})", time.GetUtcNow());
        store.PutContact(verified);
        return verified;
    }

    /// <summary>
    /// The user accepts a changed fingerprint without comparing it: the contact becomes unverified.
    /// Refused with <see cref="ContactChangedException"/> under <see cref="ChangedContactPolicy.BlockUntilReverified"/>.
    /// </summary>
    public ContactTrust AcknowledgeChange(string contact)
    {
        var known = RequireContact(contact);
        if (known.State != TrustState.Changed) return known;
        if (Policy.ChangedContacts == ChangedContactPolicy.BlockUntilReverified) throw new ContactChangedException(contact);
        var accepted = Transition(known with { VerifiedFingerprint = null }, TrustState.Unverified, "change accepted without verification", time.GetUtcNow());
        store.PutContact(accepted);
        return accepted;
    }

    /// <summary>
    /// Checks that a message may be sent to the contact under the policy. Throws
    /// <see cref="ContactChangedException"/> for a changed contact unless the policy is <see cref="ChangedContactPolicy.WarnOnly"/>.
    /// </summary>
    public SendDecision CheckSend(string contact)
    {
        var known = RequireContact(contact);
        if (known.State != TrustState.Changed) return new SendDecision(known.State, null);
        return Policy.ChangedContacts == ChangedContactPolicy.WarnOnly
            ? new SendDecision(known.State, $"Contact {contact} changed keys since it was verified; sending anyway (policy WarnOnly).")
            : throw new ContactChangedException(contact);
    }

    /// <summary>Records a device (own or a contact's) with the creation time of its current key; a first sighting is unverified.</summary>
    public DeviceTrust ObserveDevice(string account, string deviceId, bool isOwnDevice, DateTimeOffset keyCreatedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var known = store.GetDevice(account, deviceId);
        if (known is not null) return known;
        var now = time.GetUtcNow();
        var created = new DeviceTrust(account, deviceId, isOwnDevice, TrustState.Unverified, now, keyCreatedAt, false,
            [new TrustChange(now, null, TrustState.Unverified, "first seen")]);
        store.PutDevice(created);
        return created;
    }

    /// <summary>Marks a device verified (for example after enrollment with a confirmed SAS). A revoked device stays revoked.</summary>
    public DeviceTrust MarkDeviceVerified(string account, string deviceId, string how)
    {
        var known = RequireLiveDevice(account, deviceId);
        var verified = Transition(known, TrustState.Verified, $"verified ({how})", time.GetUtcNow());
        store.PutDevice(verified);
        return verified;
    }

    /// <summary>Records that the device's key was rotated (the key age restarts); the trust state is kept.</summary>
    public DeviceTrust RecordKeyRotation(string account, string deviceId, DateTimeOffset keyCreatedAt)
    {
        var known = RequireLiveDevice(account, deviceId);
        var now = time.GetUtcNow();
        var rotated = known with
        {
            KeyCreatedAt = keyCreatedAt,
            History = [.. known.History, new TrustChange(now, known.State, known.State, "device key rotated")],
        };
        store.PutDevice(rotated);
        return rotated;
    }

    /// <summary>Revokes a device (final: it is never trusted again).</summary>
    public DeviceTrust RevokeDevice(string account, string deviceId, string reason)
    {
        var known = RequireLiveDevice(account, deviceId);
        var revoked = Transition(known, TrustState.Revoked, $"revoked: {reason}", time.GetUtcNow()) with { RevocationReviewed = false };
        store.PutDevice(revoked);
        return revoked;
    }

    /// <summary>The user has looked at a revocation; the review stops listing it as pending.</summary>
    public DeviceTrust MarkRevocationReviewed(string account, string deviceId)
    {
        var known = store.GetDevice(account, deviceId) ?? throw new InvalidOperationException($"Device {deviceId} of {account} is not known.");
        if (known.State != TrustState.Revoked) throw new InvalidOperationException($"Device {deviceId} of {account} is not revoked.");
        var reviewed = known with
        {
            RevocationReviewed = true,
            History = [.. known.History, new TrustChange(time.GetUtcNow(), TrustState.Revoked, TrustState.Revoked, "revocation reviewed")],
        };
        store.PutDevice(reviewed);
        return reviewed;
    }

    private ContactTrust RequireContact(string contact) =>
        store.GetContact(contact) ?? throw new InvalidOperationException($"Contact {contact} is not known; observe its fingerprint first.");

    private DeviceTrust RequireLiveDevice(string account, string deviceId)
    {
        var known = store.GetDevice(account, deviceId) ?? throw new InvalidOperationException($"Device {deviceId} of {account} is not known.");
        return known.State == TrustState.Revoked
            ? throw new InvalidOperationException($"Device {deviceId} of {account} is revoked; revocation is final.")
            : known;
    }

    private static ContactTrust Transition(ContactTrust c, TrustState to, string reason, DateTimeOffset now) =>
        c with { State = to, Since = c.State == to ? c.Since : now, History = [.. c.History, new TrustChange(now, c.State, to, reason)] };

    private static DeviceTrust Transition(DeviceTrust d, TrustState to, string reason, DateTimeOffset now) =>
        d with { State = to, Since = d.State == to ? d.Since : now, History = [.. d.History, new TrustChange(now, d.State, to, reason)] };
}
