using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Enigm.Relay;
using Enigm.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Delivery;

/// <summary>
/// This node's delivery WebSockets, one per device. Signals from every node (<see cref="IRelayStore.Subscribe"/>) wake a
/// device's connection on new mail, close it when a newer connection for the device opened anywhere (status 4000,
/// "replaced"), and close it when the device is revoked or its account disabled (1008).
/// </summary>
public sealed partial class DeliveryConnections(ILogger<DeliveryConnections> logger)
{
    public const WebSocketCloseStatus Replaced = (WebSocketCloseStatus)4000;

    /// <summary>The token the connection was opened with expired; the client reconnects with a new one.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;

    private readonly ConcurrentDictionary<(string Account, string Device), DeliveryConnection> _connections = new();

    public int Count => _connections.Count;

    /// <summary>Registers a new connection for the device, closing the one this node held for it.</summary>
    public DeliveryConnection Open(string account, string device)
    {
        var connection = new DeliveryConnection(account, device);
        DeliveryConnection? older = null;
        _connections.AddOrUpdate((account, device), connection, (_, existing) =>
        {
            older = existing;
            return connection;
        });
        older?.Stop(Replaced, "replaced");
        return connection;
    }

    public void Remove(DeliveryConnection connection) =>
        _connections.TryRemove(new KeyValuePair<(string, string), DeliveryConnection>((connection.Account, connection.Device), connection));

    public void OnSignal(RelaySignal signal)
    {
        switch (signal.Kind)
        {
            case RelaySignalKind.NewMessage when signal.Device is not null:
                if (_connections.TryGetValue((signal.Account, signal.Device), out var woken)) woken.Offer(signal.Message);
                break;
            case RelaySignalKind.ConnectionOpened when signal.Device is not null:
                if (_connections.TryGetValue((signal.Account, signal.Device), out var older) && older.Id != signal.Connection)
                    older.Stop(Replaced, "replaced");
                break;
            case RelaySignalKind.DeviceRevoked when signal.Device is not null:
                if (_connections.TryGetValue((signal.Account, signal.Device), out var revoked)) revoked.Stop(WebSocketCloseStatus.PolicyViolation, "device revoked");
                break;
            case RelaySignalKind.AccountDisabled:
                foreach (var ((account, _), connection) in _connections)
                {
                    if (account == signal.Account) connection.Stop(WebSocketCloseStatus.PolicyViolation, "account disabled");
                }

                break;
        }
    }

    /// <summary>Closes every connection (server shutdown).</summary>
    public void StopAll()
    {
        foreach (var connection in _connections.Values) connection.Stop(WebSocketCloseStatus.EndpointUnavailable, "relay stopping");
    }

    internal void LogClosed(DeliveryConnection connection) => LogClosedMessage(logger, connection.CloseStatus ?? WebSocketCloseStatus.NormalClosure);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery connection closed with {Status}")]
    private static partial void LogClosedMessage(ILogger logger, WebSocketCloseStatus status);
}

/// <summary>
/// One device's delivery connection: a wake-up channel, the messages handed over in memory since the delivery loop last
/// looked, and the reason it was told to stop. At most <see cref="MaxHandedOver"/> messages wait in memory; past that,
/// or when a signal carried no message (another node, a multi-recipient submit), the loop is told to fetch from the store
/// instead, which always finds every message still in the mailbox.
/// </summary>
public sealed class DeliveryConnection(string account, string device)
{
    public const int MaxHandedOver = 256;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopped = new();
    private readonly Lock _lock = new();
    private List<MailboxMessage> _handedOver = [];
    private long _oldestHandedOver;
    private bool _mustFetch;

    /// <summary>Random id carried by the ConnectionOpened signal, so the connection that sent it is not closed by it.</summary>
    public string Id { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Account { get; } = account;

    public string Device { get; } = device;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public CancellationToken Stopped => _stopped.Token;

    /// <summary>A new durable message for this device (null: there is new mail, fetch it); wakes the loop.</summary>
    public void Offer(MailboxMessage? message)
    {
        lock (_lock)
        {
            if (message is null || _handedOver.Count >= MaxHandedOver)
            {
                _mustFetch = true;
            }
            else
            {
                if (_handedOver.Count == 0) _oldestHandedOver = Stopwatch.GetTimestamp();
                _handedOver.Add(message);
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Takes what was handed over since the last call, and whether the loop must also fetch from the store. Called after
    /// <see cref="WaitForWakeAsync"/> returned, so an offer made after this call leaves a wake-up behind. <c>Oldest</c>:
    /// when the first of the taken messages was handed over (<see cref="Stopwatch.GetTimestamp"/>; for
    /// <see cref="Diagnostics.RelayMetrics.DeliveryHandover"/>).
    /// </summary>
    public (List<MailboxMessage> Messages, bool MustFetch, long Oldest) Take(List<MailboxMessage> spare)
    {
        lock (_lock)
        {
            var taken = _handedOver;
            _handedOver = spare;
            var mustFetch = _mustFetch;
            _mustFetch = false;
            return (taken, mustFetch, _oldestHandedOver);
        }
    }

    /// <summary>Waits for a wake-up (at most one is pending: several signals while busy make one more pass).</summary>
    public async Task WaitForWakeAsync(CancellationToken ct) => await _wake.Reader.ReadAsync(ct);

    public void Stop(WebSocketCloseStatus status, string description)
    {
        lock (_stopped)
        {
            if (CloseStatus is not null) return;
            CloseStatus = status;
            CloseDescription = description;
        }

        try
        {
            _stopped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }
}
