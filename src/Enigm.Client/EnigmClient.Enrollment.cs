using Enigm.Client.Errors;
using Enigm.Client.Linking;
using Enigm.Client.Relay;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Protection;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Enigm.Trust.Transparency;

namespace Enigm.Client;

// Account creation (device-log genesis) and device linking (Enigm.Trust enrollment over the relay's rendezvous).
public sealed partial class EnigmClient
{
    private static async Task<EnigmClient> CreateAccountCoreAsync(ClientOptions options, string deviceName, IKeyProtector protector, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        var server = options.Server ?? throw new ArgumentException("Creating an account needs the relay's URL (ClientOptions.Server).", nameof(options));
        SqliteCheck(options);
        var relay = new RelayClient(server, options.HttpHandler, options.RequestTimeout, options.Time);
        var deviceKey = NewDeviceKey();
        try
        {
            var pinned = await PinRelayAsync(relay, ct);
            var writer = DeviceLogWriter.CreateGenesis(DeviceLogWriter.DeviceIdFor(deviceKey), deviceName, deviceKey);
            var response = await relay.CreateAccountAsync(DeviceLogFile.Encode(writer.Entries), ct);
            if (response.Account != writer.Account.Hex)
                throw new DeviceLogForkException(0, $"the relay created account {response.Account}, not {writer.Account.Hex}");
            return await StoreNewDeviceAsync(options, protector, relay, new NewDevice(deviceName, deviceKey, writer.Entries, pinned.Head, pinned.ServerId, pinned.LogPublicKey), ct);
        }
        catch
        {
            deviceKey.Dispose();
            relay.Dispose();
            throw;
        }
    }

    private static async Task<PendingLink> StartLinkCoreAsync(ClientOptions options, string deviceName, IKeyProtector protector, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        var server = options.Server ?? throw new ArgumentException("Linking a device needs the relay's URL (ClientOptions.Server).", nameof(options));
        SqliteCheck(options);
        var relay = new RelayClient(server, options.HttpHandler, options.RequestTimeout, options.Time);
        PrivateKey? deviceKey = null;
        try
        {
            var pinned = await PinRelayAsync(relay, ct);
            deviceKey = NewDeviceKey();
            return new PendingLink(options, deviceName, protector, relay, deviceKey, pinned);
        }
        catch
        {
            deviceKey?.Dispose();
            relay.Dispose();
            throw;
        }
    }

    /// <summary>The new device's last step: its state is stored, and the log it received is checked against the relay's transparency log.</summary>
    internal static async Task<EnigmClient> StoreLinkedDeviceAsync(ClientOptions options, IKeyProtector protector, RelayClient relay, string deviceName, PrivateKey deviceKey,
        IReadOnlyList<byte[]> entries, (SignedTreeHead Head, string ServerId, byte[] LogPublicKey) pinned, CancellationToken ct) =>
        await StoreNewDeviceAsync(options, protector, relay, new NewDevice(deviceName, deviceKey, entries, pinned.Head, pinned.ServerId, pinned.LogPublicKey), ct);

    private async Task<LinkApproval> ApproveLinkCoreAsync(string linkCode, TimeSpan? timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(linkCode);
        LinkCode code;
        try
        {
            code = Trust.Enrollment.LinkCode.ParseText(linkCode.Trim());
        }
        catch (EnigmException e) when (e is MalformedInputException or InvalidKeyException)
        {
            throw new EnrollmentCodeInvalidException($"The link code is not valid: {e.Message}");
        }

        using (code)
        {
            // Append to the newest log the relay holds (verified), so the add-device entry extends it.
            await RefreshLogAsync(OwnAccount, ct);
            var writer = DeviceLogWriter.Open(_logStore.ReadEntries(OwnAccount));
            var enrollment = ExistingDeviceEnrollment.Open(code, OwnAccount, new DeviceLogEnrollmentLog(writer, _device.DeviceId, _deviceKey), _options.Time);
            try
            {
                var rendezvous = new Rendezvous(_relay, Rendezvous.ChannelFor(code), Rendezvous.ExistingDeviceSide);
                await rendezvous.SendAsync(enrollment.Hello, ct);
                var ready = await rendezvous.ReceiveAsync(timeout ?? TimeSpan.FromMinutes(2), "ready", ct);
                await rendezvous.SendAsync(enrollment.ReceiveReady(ready), ct);
                return new LinkApproval(this, enrollment, rendezvous, () => writer.Entries);
            }
            catch
            {
                enrollment.Dispose();
                throw;
            }
        }
    }

    /// <summary>Uploads the log with the new device's entry (verified again on the way back) and lists the devices.</summary>
    internal Task<IReadOnlyList<DeviceSummary>> PublishLinkedLogAsync(IReadOnlyList<byte[]> entries, CancellationToken ct) =>
        Serialised(async () => Summaries(await UploadOwnLogAsync(entries, ct)), ct);
}
