using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Enigm.Trust.Transparency;

namespace Enigm.Client.Linking;

/// <summary>
/// The new device's side of linking (Enigm.Trust enrollment over the relay's rendezvous channel): show
/// <see cref="LinkCode"/>, wait for the SAS, let the user compare it with the one the existing device shows, then
/// complete. Dispose it to abandon the link (nothing is written then).
/// </summary>
public sealed class PendingLink : IDisposable
{
    private readonly ClientOptions _options;
    private readonly string _deviceName;
    private readonly IKeyProtector _protector;
    private readonly RelayClient _relay;
    private readonly NewDeviceEnrollment _enrollment;
    private readonly PrivateKey _deviceKey;
    private readonly Rendezvous _rendezvous;
    private readonly (SignedTreeHead Head, string ServerId, byte[] LogPublicKey) _pinned;
    private bool _handedOver;

    internal PendingLink(ClientOptions options, string deviceName, IKeyProtector protector, RelayClient relay, PrivateKey deviceKey,
        (SignedTreeHead Head, string ServerId, byte[] LogPublicKey) pinned)
    {
        _options = options;
        _deviceName = deviceName;
        _protector = protector;
        _relay = relay;
        _deviceKey = deviceKey;
        _pinned = pinned;
        _enrollment = NewDeviceEnrollment.Start(time: options.Time);
        _rendezvous = new Rendezvous(relay, Rendezvous.ChannelFor(_enrollment.Code), Rendezvous.NewDeviceSide);
    }

    /// <summary>The link code to type or paste on the existing device (<c>enigm-link1:…</c>).</summary>
    public string LinkCode => _enrollment.Code.ToText();

    /// <summary>The binary form of the link code, for a QR code.</summary>
    public byte[] LinkCodeBytes => _enrollment.Code.ToBytes();

    /// <summary>When the link code stops being accepted.</summary>
    public DateTimeOffset ExpiresAt => _enrollment.Code.ExpiresAt;

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>, default until the code expires) for the existing device to open the
    /// channel, and returns the short authentication string to show. <see cref="DeviceLinkException"/> on timeout.
    /// </summary>
    public async Task<ShortAuthenticationString> WaitForSasAsync(TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var limit = timeout ?? (ExpiresAt - _options.Time.GetUtcNow());
        var hello = await _rendezvous.ReceiveAsync(limit, "hello", cancellation);
        await _rendezvous.SendAsync(_enrollment.ReceiveHello(hello), cancellation);
        _enrollment.ReceiveReveal(await _rendezvous.ReceiveAsync(limit, "reveal", cancellation));
        return _enrollment.Sas ?? throw new DeviceLinkException("The enrollment produced no short authentication string.");
    }

    /// <summary>
    /// The user's answer to "do both devices show the same code?". False aborts (Trust's <c>SasMismatchException</c>)
    /// and nothing is added to the account. True announces this device's key, co-signs the add-device entry the
    /// existing device prepares, receives and verifies the account's device log (it must add this device), then
    /// creates the key store, the messaging identity and prekeys (uploaded) and returns the opened client.
    /// </summary>
    public async Task<EnigmClient> CompleteAsync(bool sasMatches, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        _enrollment.Confirm(sasMatches);
        await _rendezvous.SendAsync(_enrollment.SendDeviceInfo(new DeviceKeyCosigner(_deviceKey), _deviceName), cancellation);
        var request = await _rendezvous.ReceiveAsync(limit, "add-device entry", cancellation);
        await _rendezvous.SendAsync(_enrollment.ReceiveAddDeviceRequest(request), cancellation);
        var state = _enrollment.ReceiveAccountState(await _rendezvous.ReceiveAsync(limit, "account state", cancellation));

        var entries = DeviceLogFile.Decode(state);
        var log = DeviceLogVerifier.Verify(entries);
        if (_enrollment.ExistingAccount is not { } account || !log.Account.Equals(account))
            throw new DeviceLogForkException(0, "the device log received is not that of the account that opened the link");
        if (!log.IsTrusted(DeviceLogWriter.DeviceIdFor(_deviceKey)))
            throw new DeviceLinkException("The device log received does not add this device.");

        _handedOver = true;
        return await EnigmClient.StoreLinkedDeviceAsync(_options, _protector, _relay, _deviceName, _deviceKey, entries, _pinned, cancellation);
    }

    public void Dispose()
    {
        _enrollment.Dispose();
        if (_handedOver) return;
        _deviceKey.Dispose();
        _relay.Dispose();
    }
}
