using System.Net;
using System.Net.Sockets;

namespace Enigm.Ota.Tests.Support;

/// <summary>
/// A minimal HTTP server on 127.0.0.1 (HttpListener) serving a folder, plus <c>/endless/NAME</c>
/// which sends zeros until the client hangs up (bounded by a time limit so it always stops).
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackServer(string root)
    {
        _root = root;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public Uri BaseUrl { get; }

    /// <summary>Bytes the endless endpoint managed to send before the client went away.</summary>
    public long EndlessBytesSent { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
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

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Serve(context));
        }
    }

    private async Task Serve(HttpListenerContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
        try
        {
            if (path.StartsWith("endless/", StringComparison.Ordinal))
            {
                context.Response.SendChunked = true;
                var chunk = new byte[64 * 1024];
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!_stop.IsCancellationRequested && DateTime.UtcNow < deadline)
                {
                    await context.Response.OutputStream.WriteAsync(chunk, _stop.Token).ConfigureAwait(false);
                    EndlessBytesSent += chunk.Length;
                }

                return;
            }

            var file = Path.Combine(_root, path);
            if (!File.Exists(file))
            {
                context.Response.StatusCode = 404;
                return;
            }

            var bytes = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up (as it should on endless data).
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
