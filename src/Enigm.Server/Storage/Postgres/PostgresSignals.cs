using System.Text;
using System.Text.Json;
using Npgsql;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Signals between relay nodes over LISTEN/NOTIFY: one dedicated connection (outside the pool) listens on the
/// store's channel and hands each notification to the subscribers; it reconnects with backoff when the connection
/// drops. Notifications are sent after the commit by <see cref="PostgresNotifier"/>, several signals to one payload,
/// each payload naming the node that sent it: the sender already gave them to its own subscribers, so the listener
/// skips its own node's payloads. NOTIFY is delivered only to sessions listening at commit time, so a node that was
/// reconnecting misses what was published meanwhile, and a node that dies between a commit and its NOTIFY never sends
/// it: signals are wake-up hints, and <see cref="PostgresCatchUp"/> re-signals new mail that is still undelivered.
/// </summary>
internal sealed class PostgresSignals : IAsyncDisposable
{
    /// <summary>PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; a payload is kept under this.</summary>
    public const int MaxPayloadBytes = 7900;

    private readonly string _connectionString;
    private readonly string _node;
    private readonly RelaySignalHub _hub;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public PostgresSignals(string connectionString, string channel, string node, RelaySignalHub hub)
    {
        // A listening session never needs the pool's limits or lifetime rules: it lives as long as the store.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false, KeepAlive = 15, ApplicationName = ApplicationName }.ConnectionString;
        Channel = channel;
        _node = node;
        _hub = hub;
        _loop = Task.Run(ListenAsync);
    }

    /// <summary>How the listening session names itself in <c>pg_stat_activity</c> (for operators).</summary>
    public const string ApplicationName = "enigm-relay-listener";

    public string Channel { get; }

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Packs <paramref name="signals"/> into as few payloads as fit under <see cref="MaxPayloadBytes"/>:
    /// <c>{"node":NODE,"signals":[[kind,account,device,connection],…]}</c>. A signal too large for a payload of its own
    /// is returned in <paramref name="oversized"/> instead (ids are short; this is a guard, not a path).
    /// </summary>
    public static List<string> EncodeBatch(string node, IEnumerable<RelaySignal> signals, List<RelaySignal> oversized)
    {
        var payloads = new List<string>();
        var prefix = "{\"node\":" + JsonSerializer.Serialize(node) + ",\"signals\":[";
        var current = new StringBuilder(prefix);
        var count = 0;
        foreach (var signal in signals)
        {
            var item = EncodeOne(signal);
            if (Encoding.UTF8.GetByteCount(prefix) + Encoding.UTF8.GetByteCount(item) + 2 > MaxPayloadBytes)
            {
                oversized.Add(signal);
                continue;
            }

            if (count > 0 && Encoding.UTF8.GetByteCount(current.ToString()) + Encoding.UTF8.GetByteCount(item) + 3 > MaxPayloadBytes)
            {
                payloads.Add(current.Append("]}").ToString());
                current = new StringBuilder(prefix);
                count = 0;
            }

            if (count > 0) current.Append(',');
            current.Append(item);
            count++;
        }

        if (count > 0) payloads.Add(current.Append("]}").ToString());
        return payloads;
    }

    /// <summary>
    /// The sending node and the signals of a payload; null for a payload that is not a well-formed batch (another writer
    /// on the channel, or a malformed one), so nothing of it is dispatched. At most <see cref="MaxPayloadBytes"/> bytes
    /// are read (PostgreSQL's own limit is 8000).
    /// </summary>
    public static (string Node, List<RelaySignal> Signals)? DecodeBatch(string payload)
    {
        if (payload.Length > 8000) return null;
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 3 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("node", out var node) || node.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("signals", out var items) || items.ValueKind != JsonValueKind.Array)
                return null;
            var signals = new List<RelaySignal>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                if (DecodeOne(item) is not { } signal) return null;
                signals.Add(signal);
            }

            return (node.GetString()!, signals);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string EncodeOne(RelaySignal signal)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(signal.Kind.ToString());
            writer.WriteStringValue(signal.Account);
            writer.WriteStringValue(signal.Device);
            writer.WriteStringValue(signal.Connection);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static RelaySignal? DecodeOne(JsonElement items)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != 4
            || items[0].ValueKind != JsonValueKind.String || !Enum.TryParse<RelaySignalKind>(items[0].GetString(), ignoreCase: false, out var kind) || !Enum.IsDefined(kind)
            || items[1].ValueKind != JsonValueKind.String
            || items[2].ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            || items[3].ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            return null;
        return new RelaySignal(kind, items[1].GetString()!, items[2].GetString(), items[3].GetString());
    }

    public async ValueTask DisposeAsync()
    {
        await BackgroundLoop.StopAsync(_stop, _loop).ConfigureAwait(false);

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var ct = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    // This node's own payloads were dispatched here when they were sent (PostgresRelayStore.Signal).
                    if (e.Channel != Channel || DecodeBatch(e.Payload) is not { } batch || batch.Node == _node) return;
                    foreach (var signal in batch.Signals) _hub.Dispatch(signal);
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresRelayStore.Quote(Channel), connection))
                    await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                _ready.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(100);
                while (true) await connection.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The database is down or the connection dropped: retry with backoff (at most 5 s between attempts).
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
