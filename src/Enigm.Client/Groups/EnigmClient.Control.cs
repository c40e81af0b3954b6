using System.Security.Cryptography;
using Enigm.Client.Errors;
using Enigm.Client.Groups;
using Enigm.Messaging.FanOut;
using Enigm.Relay;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.States;

namespace Enigm.Client;

// Control messages (group rosters, sender keys, call signals) over the pairwise sessions: one sealed-sender envelope per
// trusted device of each account named, exactly like a text message, so they inherit the sessions' post-quantum
// protection. Unlike a text message, a control message may go to a group member who is not a contact: its device log is
// fetched, verified and pinned first (trust on first use, as the group roster vouches for the account).
public sealed partial class EnigmClient
{
    /// <summary>Sends one control message to every trusted device of each account (this account's other devices included).</summary>
    private async Task SendControlAsync(IEnumerable<AccountFingerprint> accounts, ControlKind kind, byte[] body, string? room, CancellationToken ct)
    {
        var certificate = kind == ControlKind.CallSignal ? _device.IdentityCertificate : null;
        foreach (var account in accounts.DistinctBy(a => a.Hex))
        {
            var messageId = RandomNumberGenerator.GetBytes(16);
            var plaintext = new ControlContent(messageId, kind, body, room, certificate).Encode();
            _records.Update(tx =>
            {
                _seen.Add(tx, Convert.ToHexStringLower(messageId));
                return 0;
            });
            await SendControlToAccountAsync(account, plaintext, messageId, ct);
        }
    }

    private async Task<int> SendControlToAccountAsync(AccountFingerprint account, byte[] plaintext, byte[] messageId, CancellationToken ct)
    {
        var isOwn = account.Equals(OwnAccount);
        var log = _tracker.Load(account) ?? await RefreshLogAsync(account, ct);
        for (var attempt = 0; ; attempt++)
        {
            var targets = ControlTargets(log, isOwn);
            if (targets.Count == 0) return 0;
            try
            {
                var plan = new FanOutPlan(targets, null);
                await PrefetchBundlesAsync(plan, ct);
                var encrypted = FanOutEncryptor.Encrypt(_cipher, plan, plaintext);
                var request = new SubmitRequest(account.Hex, [.. encrypted.Select(m => new OutgoingMessage(m.To.DeviceId, messageId, m.Envelope))]);
                var contact = isOwn ? null : _contacts.ByAccount(account.Hex);
                return contact is null
                    ? (await _relay.SubmitAsync(request, null, ct)).Stored
                    : (await SubmitWithRetryAsync(request, contact.DeliveryToken, contact.Name, ct)).Stored;
            }
            catch (DevicesMismatchException) when (attempt < MaxMismatchRetries)
            {
                log = await RefreshLogAsync(account, ct);
                if (isOwn) ObserveOwnDevices(log);
            }
        }
    }

    /// <summary>The account's trusted, unrevoked devices (this device left out), minus devices this side marked revoked.</summary>
    private List<FanOutTarget> ControlTargets(TrustedDeviceSet log, bool isOwn)
    {
        // The trust book names a contact's devices by the contact's name, anyone else's by the account in hex.
        var contactName = _contacts.ByAccount(log.Account.Hex)?.Name;
        var revokedHere = _trustStore.Devices()
            .Where(d => d.State == TrustState.Revoked && (d.Account == log.Account.Hex || d.Account == contactName || (isOwn && d.IsOwnDevice)))
            .Select(d => d.DeviceId)
            .ToHashSet(StringComparer.Ordinal);
        return [.. log.Devices
            .Where(d => !(isOwn && d.Id == _device.DeviceId))
            .Where(d => !log.RevokedDevices.Any(r => r.Id == d.Id) && !revokedHere.Contains(d.Id))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new FanOutTarget(log.Account, d.Id, d.PublicKey, isOwn))];
    }

    /// <summary>The pinned log of <paramref name="account"/>, fetched, verified and pinned when this device has none.</summary>
    private async Task<TrustedDeviceSet> PinnedLogAsync(AccountFingerprint account, CancellationToken ct) =>
        _tracker.Load(account) ?? await RefreshLogAsync(account, ct);
}
