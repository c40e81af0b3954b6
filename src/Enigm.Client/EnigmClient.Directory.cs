using Enigm.Client.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.Transparency;

namespace Enigm.Client;

// Device logs from the relay, always verified: from genesis, against the pinned head (fork and rollback refused), and
// against the transparency log (inclusion of the head under a signed tree head consistent with the remembered one).
public sealed partial class EnigmClient
{
    /// <summary>Fetches an account's device log, checks it and pins it; returns the verified set.</summary>
    private async Task<TrustedDeviceSet> RefreshLogAsync(AccountFingerprint account, CancellationToken ct)
    {
        var response = await _relay.DeviceLogAsync(account.Hex, ct);
        return await AcceptLogAsync(response, account, ct);
    }

    /// <summary>
    /// Checks a <see cref="DeviceLogResponse"/>: the log verifies from genesis and is the expected account's; its head
    /// is the leaf the relay says, included under the signed tree head, which must extend the remembered tree head
    /// (RFC 9162 §2.1.3 and §2.1.4); then the tracker pins it, refusing a fork or rollback of what was pinned before.
    /// </summary>
    private async Task<TrustedDeviceSet> AcceptLogAsync(DeviceLogResponse response, AccountFingerprint account, CancellationToken ct)
    {
        if (response.Account != account.Hex) throw new DeviceLogForkException(0, $"the relay answered with the log of {response.Account}, not {account.Hex}");
        var entries = DeviceLogFile.Decode(response.DeviceLog);
        var served = DeviceLogVerifier.Verify(entries);
        if (!served.Account.Equals(account)) throw new DeviceLogForkException(0, $"the genesis entry is not that of account {account.Hex}");
        await CheckInclusionAsync(account, served.Head, response.LeafIndex, response.SignedTreeHead, response.InclusionPath, ct);
        return _tracker.Accept(entries, account);
    }

    private async Task CheckInclusionAsync(AccountFingerprint account, DeviceLogHead head, long leafIndex, byte[] treeHeadBytes, byte[][] path, CancellationToken ct)
    {
        if (leafIndex < 0) throw new TransparencyProofException($"The relay gave no transparency proof for the device log of {account.Hex}.");
        var treeHead = SignedTreeHead.Parse(treeHeadBytes);
        var consistency = await ConsistencyFromRememberedAsync(treeHead, ct);
        _transparency.VerifyDeviceLogHead(account, head.Hash, (ulong)head.Sequence, new InclusionProof(leafIndex, treeHead.TreeSize, path), treeHead, consistency);
    }

    /// <summary>The consistency proof from the remembered tree head to <paramref name="treeHead"/>, when it is larger.</summary>
    private async Task<ConsistencyProof?> ConsistencyFromRememberedAsync(SignedTreeHead treeHead, CancellationToken ct)
    {
        var remembered = _transparency.Current;
        if (remembered is null || remembered.TreeSize == 0 || treeHead.TreeSize <= remembered.TreeSize) return null;
        var response = await _relay.ConsistencyAsync(remembered.TreeSize, treeHead.TreeSize, ct);
        return new ConsistencyProof(response.From, response.To, response.Path);
    }

    /// <summary>Records this account's devices in the trust book (own devices; revoked ones marked revoked).</summary>
    private void ObserveOwnDevices(TrustedDeviceSet own) => ObserveDevices(own, isOwn: true);

    private void ObserveDevices(TrustedDeviceSet log, bool isOwn)
    {
        foreach (var device in log.Devices)
        {
            if (_trust.Device(log.Account.Hex, device.Id) is null)
                _trust.ObserveDevice(log.Account.Hex, device.Id, isOwn, _options.Time.GetUtcNow());
        }

        foreach (var revoked in log.RevokedDevices)
        {
            var known = _trust.Device(log.Account.Hex, revoked.Id);
            if (known is null) _trust.ObserveDevice(log.Account.Hex, revoked.Id, isOwn, _options.Time.GetUtcNow());
            if (known?.State != Trust.States.TrustState.Revoked) _trust.RevokeDevice(log.Account.Hex, revoked.Id, revoked.Reason);
        }
    }

    /// <summary>Uploads a new own log (after an append) and checks the relay's answer like any served log.</summary>
    private async Task<TrustedDeviceSet> UploadOwnLogAsync(IReadOnlyList<byte[]> entries, CancellationToken ct)
    {
        var response = await _relay.AppendDeviceLogAsync(_device.Account, DeviceLogFile.Encode(entries), ct);
        var own = await AcceptLogAsync(response, OwnAccount, ct);
        ObserveOwnDevices(own);
        return own;
    }

    /// <summary>A peer device's bundle from the relay, reassembled from the stored base and the one-time keys handed out.</summary>
    private async Task<byte[]> FetchBundleAsync(string account, string device, CancellationToken ct)
    {
        var response = await _relay.BundleAsync(account, device, ct);
        if (response.Account != account || response.Device != device)
            throw new RelayUnavailableException($"The relay answered with the bundle of {response.Account}/{response.Device}, not {account}/{device}.");
        return PrekeyUpload.Reassemble(response.Bundle,
            response.OneTimePrekey is { } otp ? new PublicPrekey(otp.Id, otp.Key) : null,
            response.OneTimeKemPrekey is { } kem ? new PublicPrekey(kem.Id, kem.Key) : null);
    }

    /// <summary>Publishes this device's bundle: the base bundle and its one-time keys as the relay stores them.</summary>
    private async Task<PrekeyCountResponse> UploadBundleAsync(CancellationToken ct)
    {
        var upload = PrekeyUpload.FromPublished(_devicePrekeys.PublishBundle());
        var request = new UploadPrekeysRequest(upload.BaseBundle,
            [.. upload.OneTimePrekeys.Take(RelayLimits.MaxOneTimePrekeysPerUpload).Select(k => new OneTimePrekey(k.Id, k.Key))],
            [.. upload.OneTimeKemPrekeys.Take(RelayLimits.MaxOneTimePrekeysPerUpload).Select(k => new OneTimePrekey(k.Id, k.Key))]);
        return await _relay.UploadPrekeysAsync(request, ct);
    }

    private async Task<IReadOnlyList<DeviceSummary>> ListDevicesCoreAsync(CancellationToken ct)
    {
        var own = await RefreshLogAsync(OwnAccount, ct);
        ObserveOwnDevices(own);
        return Summaries(own);
    }

    private IReadOnlyList<DeviceSummary> Summaries(TrustedDeviceSet log)
    {
        // The log names entries by sequence; their timestamps say when.
        var entries = _logStore.ReadEntries(log.Account);
        DateTimeOffset At(long sequence) =>
            sequence >= 0 && sequence < entries.Count
                ? DeviceLogEncoding.Decode(entries[(int)sequence], Crypto.Suites.SuitePolicy.Default, DeviceLogLimits.Default.MaxEntryBytes).Timestamp
                : DateTimeOffset.UnixEpoch;
        return
        [
            .. log.Devices.Select(d => new DeviceSummary(d.Id, d.Name, d.KeyFingerprint, At(d.AddedAt), d.Id == _device.DeviceId, false, null)),
            .. log.RevokedDevices.Select(d => new DeviceSummary(d.Id, d.Name, d.KeyFingerprint, At(d.AddedAt), d.Id == _device.DeviceId, true, At(d.RevokedAt))),
        ];
    }

    private async Task<DeviceSummary> RevokeDeviceCoreAsync(string deviceId, string reason, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(reason);
        if (deviceId == _device.DeviceId) throw new ClientStateException("A device does not revoke itself here; revoke it from another device of the account.");
        var own = await RefreshLogAsync(OwnAccount, ct);
        if (!own.IsTrusted(deviceId)) throw new ClientStateException($"The account's device log lists no trusted device '{deviceId}'.");
        var writer = DeviceLogWriter.Open(_logStore.ReadEntries(OwnAccount));
        writer.RevokeDevice(deviceId, reason, _device.DeviceId, _deviceKey);
        var after = await UploadOwnLogAsync(writer.Entries, ct);
        // Sessions with the revoked device stay stored but are never used again: fan-out follows the log.
        return Summaries(after).Single(d => d.DeviceId == deviceId);
    }
}
