using System.Net;
using Enigm.Center.Actions;
using Enigm.Center.Security;
using Enigm.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enigm.Center;

/// <summary>
/// The user's Trust Security Center for one device (docs/trust-center.md): Kestrel on 127.0.0.1 only, serving
/// server-rendered pages over an opened <see cref="EnigmClient"/> (the caller owns it), behind
/// <see cref="RequestGuard"/>. <see cref="OpenUrl"/> carries the one-time token; print it to the user only.
/// </summary>
public sealed class CenterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CenterActions _actions;
    private readonly CenterSession _session;
    private bool _stopped;

    private CenterHost(WebApplication app, CenterActions actions, CenterSession session, int port)
    {
        _app = app;
        _actions = actions;
        _session = session;
        Port = port;
    }

    /// <summary>The bound loopback port.</summary>
    public int Port { get; }

    /// <summary>The page's base address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The address to open once: it carries the one-time token (exchanged for the session cookie).</summary>
    public Uri OpenUrl => new(BaseUrl, "open?token=" + _session.OneTimeToken);

    /// <summary>The session cookie's name (bound to the device's home).</summary>
    public string CookieName => _session.CookieName;

    public static async Task<CenterHost> StartAsync(EnigmClient client, CenterOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535) throw new CenterStartException($"Port {options.Port} is not a TCP port.");
        var session = new CenterSession(options.Home);
        var actions = CenterActions.Create(options.LinkTimeout);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = RequestGuard.MaxFormBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueCountLimit = 16;
            form.ValueLengthLimit = RequestGuard.MaxFormBytes;
            form.KeyLengthLimit = 64;
        });

        // The framework's request logs would print the one-time token in /open's query: they stay off.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var port = 0;
        var guard = new RequestGuard(session, () => port);
        app.Use(guard.InvokeAsync);
        new CenterEndpoints(client, session, actions, options).Map(app);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            throw new CenterStartException($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message}", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        port = new Uri(address).Port;
        return new CenterHost(app, actions, session, port);
    }

    /// <summary>Serves until <paramref name="cancellation"/> is cancelled, then stops.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop below.
        }

        await StopAsync();
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Slow requests are aborted.
        }

        _actions.DisposePending();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
