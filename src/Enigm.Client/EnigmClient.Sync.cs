using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;

namespace Enigm.Client;

// Prekey upkeep and the background sync loop (WebSocket delivery, polling fallback, reconnect with backoff).
public sealed partial class EnigmClient
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollingFallback = TimeSpan.FromSeconds(2);

    /// <summary>The sync loop's delivery stream while it is open (identified submits use it), else null.</summary>
    private volatile MailboxStreamConnection? _openStream;

    /// <summary>
    /// Tops up and rotates prekeys locally (DevicePrekeys.Maintain, PQXDH 3.2), and uploads a bundle when keys were made
    /// or the relay holds fewer one-time keys than the low-water mark.
    /// </summary>
    private async Task<PrekeyStatus> MaintainPrekeysCoreAsync(bool rotateSignedPrekey, CancellationToken ct)
    {
        var rotated = false;
        if (rotateSignedPrekey)
        {
            _devicePrekeys.RotateSignedPrekey();
            rotated = true;
        }

        var made = _devicePrekeys.Maintain();
        var counts = await _relay.PrekeyCountAsync(ct);
        var low = counts.OneTimePrekeys < _options.PrekeyPolicy.LowWaterMark || counts.OneTimeKemPrekeys < _options.PrekeyPolicy.LowWaterMark;
        if (!rotated && made == 0 && !low && counts.HasBundle)
            return new PrekeyStatus(counts.OneTimePrekeys, counts.OneTimeKemPrekeys, false, false);
        TopUpForRelay(PrekeyKind.OneTimePrekey, counts.OneTimePrekeys, _options.PrekeyPolicy.OneTimePrekeys);
        TopUpForRelay(PrekeyKind.OneTimeKemPrekey, counts.OneTimeKemPrekeys, _options.PrekeyPolicy.OneTimeKemPrekeys);
        var uploaded = await UploadBundleAsync(ct);
        return new PrekeyStatus(uploaded.OneTimePrekeys, uploaded.OneTimeKemPrekeys, true, rotated);
    }

    /// <summary>
    /// The relay hands one-time keys out before their initial messages arrive, so it can run low while this device still
    /// holds the keys it handed out (they are deleted only when used, PQXDH 3.4). Fresh keys are made for the relay's
    /// shortfall (the relay never hands an id out twice, so re-uploading the held ones adds nothing).
    /// </summary>
    private void TopUpForRelay(PrekeyKind kind, int atRelay, int target)
    {
        var missing = Math.Min(target, PrekeyBundle.MaxOneTimePrekeys) - atRelay;
        var unpublished = _prekeyStore.Count(kind) - atRelay;
        var toMake = Math.Min(missing, PrekeyBundle.MaxOneTimePrekeys - _prekeyStore.Count(kind));
        if (missing <= 0 || unpublished < missing || toMake <= 0) return;
        var suite = Crypto.Suites.SuitePolicy.Default.Preferred;
        var first = _prekeyStore.AllocateIds(toMake);
        var now = _options.Time.GetUtcNow();
        var made = new List<PrekeyRecord>(toMake);
        try
        {
            for (var i = 0; i < toMake; i++)
            {
                var key = kind == PrekeyKind.OneTimePrekey
                    ? Crypto.Providers.CryptoProviders.Default.KeyAgreement(suite.SessionKeyAgreement).GenerateKey()
                    : Crypto.Providers.CryptoProviders.Default.Kem(suite.SessionKem).GenerateKeyPair();
                made.Add(new PrekeyRecord(kind, first + (uint)i, key, now));
            }

            _prekeyStore.Add(made);
        }
        finally
        {
            // The store sealed its own copies.
            foreach (var record in made) record.Key.Dispose();
        }
    }

    private async Task RunSyncCoreAsync(Func<ReceivedMessage, Task>? onMessage, Action<ClientNotice>? onNotice, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PublishPostureIfDueAsync(ct); // issue 14: signed posture, every PosturePublishInterval
                await StreamOnceAsync(onMessage, onNotice, ct);
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (RelayUnavailableException)
            {
                // The stream is unavailable: poll until it comes back.
                try
                {
                    var result = await Serialised(() => ReceiveCoreAsync(PollingFallback, null, ct), ct);
                    await DeliverAsync(result, onMessage, onNotice);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (RelayUnavailableException)
                {
                    try
                    {
                        await Task.Delay(backoff, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                }
            }
        }
    }

    /// <summary>One WebSocket session: every delivered message is handled and stored, then acknowledged on the socket.</summary>
    private async Task StreamOnceAsync(Func<ReceivedMessage, Task>? onMessage, Action<ClientNotice>? onNotice, CancellationToken ct)
    {
        var token = await _relay.TokenAsync(ct);
        await using var stream = await MailboxStreamConnection.ConnectAsync(_relay.BaseAddress, token, _options.HttpHandler, ct);
        // While it is open, identified submits go over it (SubmitWithRetryAsync).
        _openStream = stream;
        try
        {
            await StreamFramesAsync(stream, onMessage, onNotice, ct);
        }
        finally
        {
            _openStream = null;
        }
    }

    private async Task StreamFramesAsync(MailboxStreamConnection stream, Func<ReceivedMessage, Task>? onMessage, Action<ClientNotice>? onNotice, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var frame = await stream.ReceiveAsync(ct);
            if (frame is null)
            {
                // 4000: another connection of this device took over; anything else: reconnect.
                if ((int?)stream.CloseStatus == 4000) throw new RelayUnavailableException("Another connection of this device replaced the delivery stream.");
                return;
            }

            // One message per frame, or several (stream version 2), handled in order.
            foreach (var message in frame.Message is { } single ? [single] : frame.Messages ?? [])
            {
                var handled = await Serialised(() => HandleAsync(message, null, ct), ct);
                if (handled.Acknowledge) await stream.AcknowledgeAsync(message.Seq, ct);
                await DeliverAsync(new ReceiveResult(handled.Message is null ? [] : [handled.Message], handled.Notices), onMessage, onNotice);
            }

            if (frame.Drained)
            {
                // Stream version 3: the marker rides on the burst's last messages, handled just above.
                await stream.FlushAcksAsync(ct);
                var status = await Serialised(() => MaintainPrekeysCoreAsync(false, ct), ct);
                if (status.Uploaded) onNotice?.Invoke(new ClientNotice(ClientNoticeKind.PrekeysReplenished, "One-time prekeys were replenished and the bundle uploaded."));
            }
        }
    }

    private static async Task DeliverAsync(ReceiveResult result, Func<ReceivedMessage, Task>? onMessage, Action<ClientNotice>? onNotice)
    {
        foreach (var notice in result.Notices) onNotice?.Invoke(notice);
        if (onMessage is null) return;
        foreach (var message in result.Messages) await onMessage(message);
    }
}
