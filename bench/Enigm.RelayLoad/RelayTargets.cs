using System.Diagnostics;
using System.Security.Cryptography;
using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Enigm.RelayLoad;

/// <summary>A running target: the public URL each client uses (by index) and how to stop it.</summary>
internal sealed class RunningTarget(string name, string[] urls, Func<ValueTask> stop, Process[]? processes = null) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>The relay's own processes (the <c>*-process</c> targets), for their CPU time per message.</summary>
    public Process[] Processes { get; } = processes ?? [];

    /// <summary>Client i talks to <c>Urls[i % Urls.Length]</c> (with two nodes, sender and recipient sit on different nodes).</summary>
    public string[] Urls { get; } = urls;

    public ValueTask DisposeAsync() => stop();
}

/// <summary>
/// Hosts what the clients load: the relay (<see cref="RelayServer"/>, embedded or as a <c>serve</c> child process of this
/// tool) over SQLite or PostgreSQL, or a bare Kestrel endpoint that answers the submit route doing no work.
/// </summary>
internal static class RelayTargets
{
    public const string ServerId = "relay-load";

    /// <summary>Limits lifted: the tool measures the relay's capacity, not its token buckets.</summary>
    public static RelayServerOptions Options(IRelayStore store, string data) => new()
    {
        Store = store,
        DataDirectory = data,
        PublicUrls = ["http://127.0.0.1:0"],
        AdminUrls = ["http://127.0.0.1:0"],
        ServerId = ServerId,
        LogKeyPassphrase = "relay-load-throwaway-passphrase",
        LogKeyArgon2 = new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1), // a throwaway log key for a throwaway relay
        RateLimits = new RelayRateLimits
        {
            PerSenderDevice = new BucketSize(1e9, 1e9),
            PerRecipient = new BucketSize(1e9, 1e9),
            PerAddress = new BucketSize(1e9, 1e9),
        },
        LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)),
    };

    public static async Task<RunningTarget> EmbeddedAsync(string name, string db, string folder)
    {
        var store = RelayStoreSpec.Open(db);
        var server = await RelayServer.StartAsync(Options(store, Path.Combine(folder, "data")));
        return new RunningTarget(name, [server.PublicUrls[0]], async () =>
        {
            await server.DisposeAsync();
            await store.DisposeAsync();
        });
    }

    /// <summary>Relay nodes as separate processes (this tool's <c>serve</c> mode), started one after the other.</summary>
    public static async Task<RunningTarget> ProcessesAsync(string name, string db, string folder, int nodes)
    {
        var processes = new List<Process>();
        var urls = new List<string>();
        for (var i = 0; i < nodes; i++)
        {
            var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Enigm.RelayLoad"))
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["serve", db, Path.Combine(folder, "data")]) info.ArgumentList.Add(arg);
            var process = Process.Start(info)!;
            processes.Add(process);
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null || !line.StartsWith("url ", StringComparison.Ordinal)) throw new InvalidOperationException("serve did not print its url: " + line);
            urls.Add(line[4..]);
        }

        return new RunningTarget(name, [.. urls], () =>
        {
            foreach (var process in processes)
            {
                process.Kill();
                process.WaitForExit();
                process.Dispose();
            }

            return ValueTask.CompletedTask;
        }, [.. processes]);
    }

    /// <summary>The <c>serve</c> mode: one relay node until killed; prints <c>url URL</c>.</summary>
    public static async Task ServeAsync(string db, string data)
    {
        await using var store = RelayStoreSpec.Open(db);
        await using var server = await RelayServer.StartAsync(Options(store, data));
        Console.WriteLine("url " + server.PublicUrls[0]);
        await Task.Delay(Timeout.Infinite);
    }

    /// <summary>The anchor: Kestrel answering the submit route with a fixed 200 JSON body, reading the request and nothing else.</summary>
    public static async Task<RunningTarget> BareAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var reply = "{\"stored\":1,\"receivedAt\":\"2026-01-01T00:00:00+00:00\"}"u8.ToArray();
        app.MapPost(Relay.RelayRoutes.Messages, async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(reply);
        });
        await app.StartAsync();
        return new RunningTarget("bare Kestrel", [app.Urls.First()], async () => await app.DisposeAsync());
    }

    /// <summary>
    /// The WebSocket anchor: Kestrel accepting a WebSocket on the stream route and answering every frame it receives
    /// with one fixed reply frame (id 0), doing nothing else. The ceiling of frames on a socket, as bare Kestrel is of
    /// HTTP requests.
    /// </summary>
    public static async Task<RunningTarget> BareWebSocketAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        var reply = "{\"drained\":false,\"reply\":{\"id\":0,\"response\":{\"stored\":1,\"receivedAt\":\"2026-01-01T00:00:00+00:00\"}}}"u8.ToArray();
        app.Map(Relay.RelayRoutes.MailboxStream, async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                    if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close) return;
                    if (result.EndOfMessage) await socket.SendAsync(reply, System.Net.WebSockets.WebSocketMessageType.Text, true, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException)
            {
                // The client went away.
            }
        });
        await app.StartAsync();
        return new RunningTarget("bare Kestrel WebSocket", [app.Urls.First()], async () => await app.DisposeAsync());
    }

    public static string TempFolder() => Directory.CreateTempSubdirectory("enigm-relay-load-").FullName;

    public static string FreshSchema() => "load_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
