using Enigm.Trust.Enrollment;

namespace Enigm.Client.Linking;

/// <summary>
/// The existing device's side of linking, after the channel opened: show <see cref="Sas"/>, then
/// <see cref="CompleteAsync"/> with the user's answer. Only after a confirmed SAS does this device append the
/// add-device entry to the account's device log and upload it.
/// </summary>
public sealed class LinkApproval : IDisposable
{
    private readonly EnigmClient _client;
    private readonly ExistingDeviceEnrollment _enrollment;
    private readonly Rendezvous _rendezvous;
    private readonly Func<IReadOnlyList<byte[]>> _entries;

    internal LinkApproval(EnigmClient client, ExistingDeviceEnrollment enrollment, Rendezvous rendezvous, Func<IReadOnlyList<byte[]>> entries)
    {
        _client = client;
        _enrollment = enrollment;
        _rendezvous = rendezvous;
        _entries = entries;
    }

    /// <summary>The short authentication string to compare with the one the new device shows.</summary>
    public ShortAuthenticationString Sas => _enrollment.Sas ?? throw new InvalidOperationException("The enrollment has no SAS yet.");

    /// <summary>
    /// False aborts (Trust's <c>SasMismatchException</c>; the device log is not touched). True waits (up to
    /// <paramref name="timeout"/>, default 2 minutes) for the new device's key and name, has it co-sign the
    /// add-device entry, appends it, uploads the log to the relay, sends the log to the new device, and returns the
    /// new device as the log now lists it.
    /// </summary>
    public async Task<DeviceSummary> CompleteAsync(bool sasMatches, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        _enrollment.Confirm(sasMatches);
        var info = await _rendezvous.ReceiveAsync(limit, "device key", cancellation);
        await _rendezvous.SendAsync(_enrollment.ReceiveDeviceInfo(info), cancellation);
        var signature = await _rendezvous.ReceiveAsync(limit, "co-signature", cancellation);
        var state = _enrollment.ReceiveSignature(signature);
        // The relay must hold the new log before the new device authenticates with it.
        var devices = await _client.PublishLinkedLogAsync(_entries(), cancellation);
        await _rendezvous.SendAsync(state, cancellation);
        var added = Trust.DeviceLog.DeviceLogWriter.DeviceIdFor(_enrollment.NewDevice!.PublicKey);
        return devices.Single(d => d.DeviceId == added);
    }

    public void Dispose() => _enrollment.Dispose();
}
