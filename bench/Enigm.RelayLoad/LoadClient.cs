using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Relay;
using Enigm.Trust.DeviceLog;

namespace Enigm.RelayLoad;

/// <summary>
/// One simulated device: its own account (a real device log), token, HTTP connections (one per submit in flight: HTTP/1.1
/// has one request at a time per connection) and delivery WebSocket. It submits
/// 200-byte opaque bodies whose first 8 bytes are the <see cref="Stopwatch"/> timestamp at submit, and records the
/// submit-to-delivery latency of every message it receives (sender and recipient live in this process, one clock).
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    public const int BodyBytes = 200;

    private readonly HttpClient _http;
    private ClientWebSocket? _socket;

    /// <summary>Sends on the socket take turns (submits from several loops, acks from the receive loop).</summary>
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<StreamSubmitReply>> _awaiting = new();

    /// <summary>The bare-ws anchor answers every frame with one fixed reply (id 0), in order: matched first in, first out.</summary>
    private readonly ConcurrentQueue<long> _sentOrder = new();
    private long _nextSubmitId;

    private LoadClient(HttpClient http, string account, bool relay)
    {
        _http = http;
        Account = account;
        _repliesInOrder = !relay;
    }

    /// <summary>Only the bare-ws anchor answers by order (a relay echoes each id): only then is <see cref="_sentOrder"/> kept.</summary>
    private readonly bool _repliesInOrder;

    public string Account { get; }

    /// <summary>Account creations answered 503 and retried (all clients).</summary>
    public static long CreateRetries;

    /// <summary>Retries answered 409 account-exists: the 503 had left the account stored.</summary>
    public static long CreatedDespite503;

    public long Submitted;
    public long Failed;
    public readonly List<double> Latencies = new(1 << 16);
    public long Delivered;
    public volatile bool Recording;

    /// <summary>With <c>--trace</c>: told of every message slower than <see cref="RelayTrace.SlowMs"/>.</summary>
    public static RelayTrace? Trace { get; set; }

    /// <summary>Submits go over the client's own delivery socket (<see cref="StreamSubmit"/> frames), not HTTP.</summary>
    public bool OverSocket { get; set; }

    /// <summary>Account creation and login against a relay (skipped for the bare anchor: it only needs the client).</summary>
    public static async Task<LoadClient> CreateAsync(string url, bool relay)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri(url) };
        if (!relay) return new LoadClient(http, "bare", relay: false);

        var scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);
        using var key = scheme.GenerateKey();
        var log = DeviceLogWriter.CreateGenesis("phone", "phone", key);
        var account = log.Account.Hex;
        // Two nodes appending to the shared transparency tree at once: the loser answers 503 ("another relay node
        // appended first; retry"), as a real client would see it. Retried here, and counted.
        for (var attempt = 1; ; attempt++)
        {
            using var created = await http.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(DeviceLogFile.Encode(log.Entries)), RelayJson.Default.CreateAccountRequest);
            if (created.StatusCode == System.Net.HttpStatusCode.Conflict && attempt > 1)
            {
                // The 503 came after the account row was stored (the transparency append failed): it exists.
                Interlocked.Increment(ref CreatedDespite503);
                break;
            }

            if (created.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt == 20)
            {
                created.EnsureSuccessStatusCode();
                break;
            }

            Interlocked.Increment(ref CreateRetries);
            await Task.Delay(Random.Shared.Next(10, 100));
        }

        var challenge = (await (await http.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(account, "phone"), RelayJson.Default.ChallengeRequest)).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync(RelayJson.Default.ChallengeResponse))!.Challenge;
        var signature = scheme.Sign(key, RelayAuth.SignedMessage(RelayTargets.ServerId, account, "phone", challenge));
        var token = (await (await http.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(account, "phone", challenge, signature), RelayJson.Default.TokenRequest)).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync(RelayJson.Default.TokenResponse))!.Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new LoadClient(http, account, relay: true);
    }

    /// <summary>Opens the delivery socket and receives (acking in batches) until cancelled.</summary>
    /// <summary>Stream version 2: several messages per frame (<see cref="StreamFrame.Messages"/>).</summary>
    public async Task<Task> StartReceivingAsync(string url, CancellationToken ct)
    {
        _receiveEnded = false;
        _socket = new ClientWebSocket();
        if (_http.DefaultRequestHeaders.Authorization is { } authorization) _socket.Options.SetRequestHeader("Authorization", authorization.ToString());
        var uri = url.Replace("http://", "ws://", StringComparison.Ordinal) + RelayRoutes.MailboxStream + "?" + RelayRoutes.StreamVersionQuery + "=" + RelayRoutes.StreamVersion;
        await _socket.ConnectAsync(new Uri(uri), ct);
        return Task.Run(() => ReceiveAsync(_socket, ct), ct);
    }

    /// <summary>One submit over the delivery socket; true when the relay answered it stored.</summary>
    private async Task<bool> SubmitOverSocketAsync(SubmitRequest request, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextSubmitId);
        var answered = new TaskCompletionSource<StreamSubmitReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaiting[id] = answered;
        var frame = JsonSerializer.SerializeToUtf8Bytes(new StreamClientFrame(Submit: new StreamSubmit(id, request.Recipient, request.Messages)), RelayJson.Default.StreamClientFrame);
        await _sendGate.WaitAsync(ct);
        try
        {
            if (_repliesInOrder) _sentOrder.Enqueue(id);
            await _socket!.SendAsync(frame, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendGate.Release();
        }

        // No cancellation registration per submit (400 loops registering on one token contend for it): the end of the
        // receive loop cancels every submit still waiting (CancelAwaiting), and one left after that is cancelled here.
        if (_receiveEnded) CancelAwaiting();
        return (await answered.Task).Response is not null;
    }

    private volatile bool _receiveEnded;

    private void CancelAwaiting()
    {
        foreach (var id in _awaiting.Keys)
        {
            if (_awaiting.TryRemove(id, out var waiting)) waiting.TrySetCanceled();
        }
    }

    private void Answered(StreamSubmitReply reply)
    {
        // The relay echoes the id; the bare-ws anchor's fixed reply (id 0) answers the oldest submit.
        long id;
        if (reply.Id != 0)
        {
            id = reply.Id;
        }
        else if (!_sentOrder.TryDequeue(out id))
        {
            return;
        }

        if (_awaiting.TryRemove(id, out var answered)) answered.TrySetResult(reply);
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<long>(64);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) return;

                var frame = JsonSerializer.Deserialize(buffer.AsSpan(0, length), RelayJson.Default.StreamFrame)!;
                if (frame.Reply is { } reply) Answered(reply);
                foreach (var message in frame.Message is { } single ? [single] : frame.Messages ?? [])
                {
                    var sent = BitConverter.ToInt64(message.Body, 0);
                    if (Recording)
                    {
                        var received = Stopwatch.GetTimestamp();
                        var latency = Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds;
                        Latencies.Add(latency);
                        Delivered++;
                        if (latency > RelayTrace.SlowMs) Trace?.Slow(sent, received);
                    }

                    pending.Add(message.Seq);
                }

                // Acks batched as the client SDK does (MailboxStreamConnection.AcknowledgeAsync): one frame when the
                // relay says the backlog is drained, or when 64 wait.
                if (pending.Count > 0 && (frame.Drained || pending.Count >= 64))
                {
                    var ack = JsonSerializer.SerializeToUtf8Bytes(new AckRequest([.. pending]), RelayJson.Default.AckRequest);
                    pending.Clear();
                    await _sendGate.WaitAsync(ct);
                    try
                    {
                        await socket.SendAsync(ack, WebSocketMessageType.Text, true, ct);
                    }
                    finally
                    {
                        _sendGate.Release();
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The run ended.
        }
        finally
        {
            _receiveEnded = true;
            CancelAwaiting();
        }
    }

    /// <summary>Submits to <paramref name="recipient"/> in a closed loop, or paced at <paramref name="perSecond"/> on average with Poisson arrivals (<see cref="Arrivals"/>; 0: as fast as answers come).</summary>
    public async Task SubmitLoopAsync(string recipient, double perSecond, CancellationToken ct)
    {
        var arrivals = perSecond > 0 ? new Arrivals(TimeSpan.FromSeconds(1 / perSecond)) : null;
        var body = new byte[BodyBytes];
        while (!ct.IsCancellationRequested)
        {
            if (arrivals is not null)
            {
                var wait = arrivals.Next();
                // Without the token (a registration per arrival on the one shared token costs the clients' CPU): a
                // wait is tens of milliseconds at most, and the loop checks the token when it ends.
                if (wait > TimeSpan.Zero) await Task.Delay(wait, CancellationToken.None);
                if (ct.IsCancellationRequested) return;
            }

            BitConverter.TryWriteBytes(body, Stopwatch.GetTimestamp());
            var request = new SubmitRequest(recipient, [new OutgoingMessage("phone", Guid.NewGuid().ToByteArray(), body)]);
            try
            {
                if (OverSocket)
                {
                    if (!await SubmitOverSocketAsync(request, ct)) Interlocked.Increment(ref Failed);
                    else if (Recording) Interlocked.Increment(ref Submitted);
                    continue;
                }

                using var response = await _http.PostAsJsonAsync(RelayRoutes.Messages, request, RelayJson.Default.SubmitRequest, ct);
                await response.Content.CopyToAsync(Stream.Null, ct);
                if (response.IsSuccessStatusCode)
                {
                    if (Recording) Interlocked.Increment(ref Submitted);
                }
                else
                {
                    Interlocked.Increment(ref Failed);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref Failed);
            }
            catch (WebSocketException)
            {
                // Cancelling another loop's pending send at the end of a run aborts the shared socket: not a failure.
                if (!ct.IsCancellationRequested) Interlocked.Increment(ref Failed);
                return;
            }
        }
    }

    /// <summary>
    /// Request round trips only (the bare anchors have no delivery): recorded as latencies of the submit itself. Over
    /// HTTP (bare Kestrel) or, <see cref="OverSocket"/>, as frames on a WebSocket (bare-ws); several loops per client
    /// make the window.
    /// </summary>
    public async Task BareLoopAsync(CancellationToken ct)
    {
        var body = new byte[BodyBytes];
        while (!ct.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var request = new SubmitRequest("bare", [new OutgoingMessage("phone", Guid.NewGuid().ToByteArray(), body)]);
            try
            {
                if (OverSocket)
                {
                    await SubmitOverSocketAsync(request, ct);
                }
                else
                {
                    using var response = await _http.PostAsJsonAsync(RelayRoutes.Messages, request, RelayJson.Default.SubmitRequest, ct);
                    await response.Content.CopyToAsync(Stream.Null, ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                return;
            }

            if (!Recording) continue;
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (Latencies)
            {
                Submitted++;
                Delivered++;
                Latencies.Add(latency);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            _socket.Abort();
            _socket.Dispose();
        }

        _http.Dispose();
        _sendGate.Dispose();
        await Task.CompletedTask;
    }
}
