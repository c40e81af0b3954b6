using System.Security.Cryptography;
using Enigm.Client.Posture;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Client;

// The device's own policy check (issue 14; docs/policy.md "The device's own check"). The relay refuses a restricted
// device's identified submits, but a sealed-sender submit names no sender, so the relay cannot refuse it: the honest
// client refuses locally. Before every send it evaluates its latest published posture against the policy and the
// org-signed admin actions it verified, with the evaluator the relay uses (ComplianceEvaluator), and a recipient in the
// organisation drops what a device the organisation revoked still sends. The verified inputs are re-fetched and
// re-verified only when the admin audit head moves (every policy change and action moves it), so a send costs one
// small GET of the head, and the verdict is cached until the head, the posture or the minute changes.
public sealed partial class EnigmClient
{
    /// <summary>How long an unmanaged device waits before asking the relay again whether an organisation was set up.</summary>
    public static readonly TimeSpan OrganisationDiscoveryInterval = TimeSpan.FromMinutes(10);

    /// <summary>Incoming messages re-check the head at most this often (a burst of messages costs one request a second).</summary>
    private static readonly TimeSpan ReceiveHeadCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Time alone can change a verdict (an update check grows stale), so a cached one is re-evaluated this often.</summary>
    private static readonly TimeSpan VerdictLifetime = TimeSpan.FromMinutes(1);

    private OrganisationView? _orgView;
    private bool _orgViewLoaded;
    private DateTimeOffset _orgCheckedAt = DateTimeOffset.MinValue;
    private byte[]? _verdictPosture;
    private bool _verdictPostureLoaded;
    private (OrganisationView View, byte[]? Posture, DateTimeOffset At, ComplianceDecision Decision)? _verdict;

    /// <summary>
    /// This device's own verdict (docs/policy.md, "The device's own check"): its latest published posture against the
    /// policy and admin actions it verified, refreshed from the relay when the admin audit head moved. Null when the
    /// device belongs to no organisation. Sends throw <see cref="DeviceRestrictedException"/> or
    /// <see cref="DeviceRevokedByOrganisationException"/> when it does not allow sending.
    /// </summary>
    public Task<ComplianceDecision?> OwnComplianceAsync(CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            await RefreshOrganisationViewAsync(TimeSpan.Zero, cancellation);
            return OwnVerdict();
        }, cancellation);

    /// <summary>
    /// Pins the organisation key by its fingerprint (lowercase hex SHA-256 of the encoded public key, as <c>enigm org
    /// init</c> prints it), obtained out of band, before first use: a relay that then serves another key gets
    /// <see cref="OrganisationKeyException"/> instead of being trusted on first use. Pinning the fingerprint of the key
    /// already pinned changes nothing; another one is refused.
    /// </summary>
    public void PinOrganisationFingerprint(string fingerprint) => Serialised(() =>
    {
        var wanted = OrganisationKey.ParseFingerprint(fingerprint);
        if (_records.Get(PostureRecords.OrganisationKey) is { } pinned)
        {
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(pinned), wanted))
                throw new OrganisationKeyException($"Organisation key {OrganisationKey.IdOf(pinned)} (fingerprint {OrganisationKey.FingerprintOf(pinned)}) is already pinned.");
            return 0;
        }

        if (_records.Get(OrganisationView.FingerprintRecord) is { } earlier && !CryptographicOperations.FixedTimeEquals(earlier, wanted))
            throw new OrganisationKeyException($"Another organisation fingerprint ({Convert.ToHexStringLower(earlier)}) is already pinned.");
        _records.Put(OrganisationView.FingerprintRecord, wanted);
        _orgCheckedAt = DateTimeOffset.MinValue;
        return 0;
    });

    /// <summary>The send check for operations that do not already run serialised with the client's state (calls).</summary>
    private Task MaySendAsync(CancellationToken ct) =>
        Serialised(async () =>
        {
            await EnsureMaySendAsync(ct);
            return 0;
        }, ct);

    /// <summary>The send check: throws the typed refusal when this device's own verdict forbids sending.</summary>
    private async Task EnsureMaySendAsync(CancellationToken ct)
    {
        await RefreshOrganisationViewAsync(TimeSpan.Zero, ct);
        if (OwnVerdict() is not { MaySend: false } verdict) return;
        var why = string.Join("; ", verdict.Reasons.Where(r => r.Severity >= ComplianceState.Restricted).Select(r => r.Text));
        if (verdict.State == ComplianceState.RevokedByOrganisation)
            throw new DeviceRevokedByOrganisationException($"The organisation revoked this device; it may not send: {why}.");
        throw new DeviceRestrictedException(
            $"The organisation restricted this device (it may receive, not send): {why}. After fixing it, publish a new posture (enigm posture publish).");
    }

    /// <summary>
    /// The receive check, right after a message was authenticated: a sender device the verified admin audit log says
    /// the organisation revoked is refused (<see cref="SenderRevokedByOrganisationException"/>, which the caller turns
    /// into a refused-message notice) and recorded as revoked in this device's trust book, so it shows in the trust
    /// events and gets nothing more from this device. A device outside the organisation has no log to check.
    /// </summary>
    private async Task RefuseOrganisationRevokedSenderAsync(string account, string device, CancellationToken ct)
    {
        await RefreshOrganisationViewForReceiveAsync(ReceiveHeadCheckInterval, ct);
        if (LoadOrganisationView()?.RevokedDevice(account, device) is not { } revoked) return;
        MarkRevokedByOrganisation(revoked);
        throw new SenderRevokedByOrganisationException(
            $"Device {device} of {account[..Math.Min(12, account.Length)]}… was revoked by the organisation ({revoked.Reason}); its message was dropped.");
    }

    /// <summary>
    /// Brings the verified view up to date: a managed device asks for the head (unless it did within
    /// <paramref name="maxAge"/>) and re-verifies everything only when it moved; an unmanaged one asks at most every
    /// <see cref="OrganisationDiscoveryInterval"/> whether an organisation appeared (then pins its key on first use, or
    /// checks it against a fingerprint pinned out of band). A relay that stops serving the organisation does not lift
    /// anything: the last verified view stays in force.
    /// </summary>
    private async Task RefreshOrganisationViewAsync(TimeSpan maxAge, CancellationToken ct)
    {
        var now = _options.Time.GetUtcNow();
        var view = LoadOrganisationView();
        // A fingerprint pinned out of band counts as managed too: a relay serving another key is refused at every send,
        // not only at the first one of each discovery interval.
        var managed = view is not null || _records.Get(PostureRecords.OrganisationKey) is not null || _records.Get(OrganisationView.FingerprintRecord) is not null;
        if (now - _orgCheckedAt < (managed ? maxAge : OrganisationDiscoveryInterval)) return;
        using var relay = new PolicyRelay(_relay, _options.HttpHandler, _options.RequestTimeout);
        var head = await relay.TryGetJsonAsync(PolicyRoutes.OrganisationAuditHead, PolicyProblem.NoOrganisation, PolicyJson.Default.AuditHeadResponse, ct);
        _orgCheckedAt = now;
        if (head is null) return;
        if (view is not null && head.Sequence == view.HeadSequence && head.Hash == Convert.ToHexStringLower(view.HeadHash)) return;
        await VerifyOrganisationAsync(relay, ct);
    }

    /// <summary>
    /// The receive side's refresh: what the relay serves now cannot stop this device from receiving (a restricted device
    /// still receives), so a relay that is down or serves something that does not verify leaves the last verified view in
    /// force; the send check and <see cref="CheckOrganisationAsync"/> report such failures with their typed errors.
    /// </summary>
    private async Task RefreshOrganisationViewForReceiveAsync(TimeSpan maxAge, CancellationToken ct)
    {
        try
        {
            await RefreshOrganisationViewAsync(maxAge, ct);
        }
        catch (EnigmException e) when (e is not Errors.ClientStateException and not Keys.Records.RecordIntegrityException)
        {
            _orgCheckedAt = _options.Time.GetUtcNow();
        }
    }

    /// <summary>The cached verdict, re-evaluated when the view, the published posture or the minute changed.</summary>
    private ComplianceDecision? OwnVerdict()
    {
        if (LoadOrganisationView() is not { } view) return null;
        if (!_verdictPostureLoaded)
        {
            _verdictPosture = _records.Get(PostureRecords.LastPosture);
            _verdictPostureLoaded = true;
        }

        var now = _options.Time.GetUtcNow();
        if (_verdict is { } cached && ReferenceEquals(cached.View, view) && ReferenceEquals(cached.Posture, _verdictPosture) && now - cached.At < VerdictLifetime)
            return cached.Decision;
        var posture = _verdictPosture is null ? null : PostureEncoding.ReadUnverified(_verdictPosture);
        var decision = ComplianceEvaluator.Evaluate(posture, view.Policy, view.Actions, now);
        _verdict = (view, _verdictPosture, now, decision);
        return decision;
    }

    /// <summary>The posture just published replaces the cached one (called by the publish path).</summary>
    private void PostureChanged(byte[] signed)
    {
        _verdictPosture = signed;
        _verdictPostureLoaded = true;
    }

    private OrganisationView? LoadOrganisationView()
    {
        if (_orgViewLoaded) return _orgView;
        _orgView = _records.Get(OrganisationView.Record) is { } bytes ? OrganisationView.Decode(bytes) : null;
        _orgViewLoaded = true;
        return _orgView;
    }

    /// <summary>Stores a freshly verified view and records the organisation's revocations of devices this device knows.</summary>
    private void StoreOrganisationView(OrganisationView view)
    {
        _records.Put(OrganisationView.Record, view.Encode());
        _orgView = view;
        _orgViewLoaded = true;
        foreach (var revoked in view.Revoked)
        {
            if (revoked.Account == _device.Account && revoked.Device == _device.DeviceId) continue; // our own state is the verdict's
            if (_trust.Device(revoked.Account, revoked.Device) is not null) MarkRevokedByOrganisation(revoked);
        }
    }

    private void MarkRevokedByOrganisation(OrganisationRevokedDevice revoked)
    {
        var known = _trust.Device(revoked.Account, revoked.Device)
            ?? _trust.ObserveDevice(revoked.Account, revoked.Device, revoked.Account == _device.Account, _options.Time.GetUtcNow());
        if (known.State != Trust.States.TrustState.Revoked)
            _trust.RevokeDevice(revoked.Account, revoked.Device, "by the organisation: " + revoked.Reason);
    }
}
