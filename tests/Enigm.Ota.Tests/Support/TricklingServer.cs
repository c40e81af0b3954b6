using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Enigm.Ota.Tests.Support;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 (TcpListener) that serves a folder, except that the paths in
/// <see cref="Trickled"/> get their headers at once and then their body one byte per
/// <see cref="Interval"/> (TUF's slow retrieval attack), and the paths in <see cref="Silent"/> get
/// nothing at all after the request. It stops sending when the client hangs up or after 60 s.
/// </summary>
internal sealed class TricklingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TricklingServer(string root)
    {
        _root = root;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(Loop);
    }

    public Uri BaseUrl { get; }

    /// <summary>Paths (relative to the folder) whose body is trickled.</summary>
    public HashSet<string> Trickled { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths answered with nothing, not even headers.</summary>
    public HashSet<string> Silent { get; } = new(StringComparer.Ordinal);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Body bytes sent on trickled paths so far.</summary>
    public long TrickledBytes => Interlocked.Read(ref _trickledBytes);

    private long _trickledBytes;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Shutting down.
        }

        _stop.Dispose();
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var token = deadline.Token;
        try
        {
            var stream = client.GetStream();
            var path = await ReadRequestPath(stream, token).ConfigureAwait(false);
            if (path is null) return;
            if (Silent.Contains(path))
            {
                await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                return;
            }

            var file = Path.Combine(_root, path);
            if (!File.Exists(file))
            {
                await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), token).ConfigureAwait(false);
                return;
            }

            var body = await File.ReadAllBytesAsync(file, token).ConfigureAwait(false);
            var headers = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(headers, token).ConfigureAwait(false);
            if (!Trickled.Contains(path))
            {
                await stream.WriteAsync(body, token).ConfigureAwait(false);
                return;
            }

            foreach (var b in body)
            {
                await stream.WriteAsync(new[] { b }, token).ConfigureAwait(false);
                Interlocked.Increment(ref _trickledBytes);
                await Task.Delay(Interval, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up (as it should) or the server is stopping.
        }
    }

    /// <summary>Reads the request head and returns the unescaped path without the leading slash.</summary>
    private static async Task<string?> ReadRequestPath(NetworkStream stream, CancellationToken token)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
            if (n == 0 || head.Length > 16 * 1024) return null;
            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var requestLine = head.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length < 2 ? null : Uri.UnescapeDataString(requestLine[1].TrimStart('/'));
    }
}
