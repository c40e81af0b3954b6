using System.Text;
using Enigm.Relay;
using Enigm.Server.Apis;
using Enigm.Server.Http;
using Enigm.Server.Ota;
using Enigm.Server.Transparency;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Hosting;

/// <summary>
/// One relay node: the public API and the admin API on two separate Kestrel listeners (the admin one on loopback unless
/// configured otherwise), sharing one <see cref="RelayState"/>. <see cref="StartAsync"/> migrates the store, opens the
/// transparency log key, subscribes to the store's signals, binds both listeners and starts the TTL sweep;
/// <see cref="StopAsync"/> closes delivery connections and stops everything. Used by <c>enigm server run</c>, the demo
/// and the tests.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly WebApplication _public;
    private readonly WebApplication _admin;
    private readonly RelayState _state;
    private readonly IDisposable _subscription;
    private readonly RelaySweeper _sweeper;
    private bool _stopped;

    private RelayServer(WebApplication publicApp, WebApplication adminApp, RelayState state, IDisposable subscription, RelaySweeper sweeper, string? credentialPath)
    {
        _public = publicApp;
        _admin = adminApp;
        _state = state;
        _subscription = subscription;
        _sweeper = sweeper;
        AdminCredentialPath = credentialPath;
    }

    /// <summary>The public listener's bound addresses (a port 0 resolved).</summary>
    public IReadOnlyList<string> PublicUrls => Addresses(_public);

    public IReadOnlyList<string> AdminUrls => Addresses(_admin);

    /// <summary>The file holding the admin credential, or null when it was given in the options.</summary>
    public string? AdminCredentialPath { get; }

    /// <summary>The transparency log's public key and id, which clients pin.</summary>
    public byte[] LogPublicKey => _state.Transparency.LogPublicKey;

    public string LogId => _state.Transparency.LogId;

    public static async Task<RelayServer> StartAsync(RelayServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return await StartCheckedAsync(options, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The data folder, credential or log key files: unreadable, not writable, or raced by another process.
            throw new RelayConfigurationException($"Cannot use the data folder {options.DataDirectory}: {e.Message}", e);
        }
    }

    private static async Task<RelayServer> StartCheckedAsync(RelayServerOptions options, CancellationToken ct)
    {
        DataDirectory.Ensure(options.DataDirectory);
        if (options.OtaRepository is { } repo && !Directory.Exists(Path.Combine(repo, OtaRepositoryHost.MetadataFolder)))
            throw new RelayConfigurationException($"No published metadata under {repo}.");
        string? credentialPath = null;
        var credential = options.AdminCredential;
        if (credential is null)
        {
            credentialPath = Path.Combine(Path.GetFullPath(options.DataDirectory), DataDirectory.AdminCredentialFile);
            credential = DataDirectory.ReadOrCreateSecret(credentialPath);
        }

        await options.Store.MigrateAsync(ct);
        var transparency = TransparencyService.Open(options);
        var state = new RelayState(options, transparency);
        await TransparencyRepair.RepairAtStartAsync(state, ct);
        var subscription = options.Store.Subscribe(state.Connections.OnSignal);
        var publicApp = BuildPublic(state);
        var adminApp = BuildAdmin(state, Encoding.UTF8.GetBytes(credential));
        var sweeper = new RelaySweeper(state, options.LoggerFactory.CreateLogger<RelaySweeper>());
        var server = new RelayServer(publicApp, adminApp, state, subscription, sweeper, credentialPath);
        try
        {
            await Listen(publicApp, options.PublicUrls, ct);
            await Listen(adminApp, options.AdminUrls, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        sweeper.Start();
        return server;
    }

    /// <summary>Runs one TTL sweep now (the background loop does the same every interval).</summary>
    public Task<(long Messages, long Attachments, long Rendezvous)> SweepAsync(CancellationToken ct = default) => _sweeper.SweepOnceAsync(ct);

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _sweeper.DisposeAsync();
        _state.Connections.StopAll();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await StopQuietly(_public, timeout.Token);
        await StopQuietly(_admin, timeout.Token);
        await _public.DisposeAsync();
        await _admin.DisposeAsync();
        _subscription.Dispose();
        _state.Transparency.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static WebApplication BuildPublic(RelayState state)
    {
        var app = NewApplication(state, state.Options.PublicUrls);
        app.UseMiddleware<ProblemMiddleware>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        if (state.Options.OtaRepository is { } repo) OtaRepositoryHost.Map(app, repo, RelayRoutes.OtaPrefix);
        AuthApi.Map(app, state);
        DirectoryApi.Map(app, state);
        PrekeysApi.Map(app, state);
        MessagesApi.Map(app, state);
        MailboxApi.Map(app, state);
        AttachmentsApi.Map(app, state);
        RendezvousApi.Map(app, state);
        TransparencyApi.Map(app, state);
        Calls.CallRelayApi.Map(app, state);
        Policy.PostureApi.Map(app, state); // issue 14: posture upload, organisation key, policy, admin audit log
        return app;
    }

    private static WebApplication BuildAdmin(RelayState state, byte[] credential)
    {
        var app = NewApplication(state, state.Options.AdminUrls);
        app.UseMiddleware<ProblemMiddleware>();
        AdminApi.Map(app, state, credential);
        Console.AdminConsole.Map(app, state, credential);
        return app;
    }

    private static WebApplication NewApplication(RelayState state, IReadOnlyList<string> urls)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Path.GetFullPath(state.Options.DataDirectory) });
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RelayLimits.MaxRequestBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });

        // The framework's own request logs include full URLs (a WebSocket may carry its token in the query): only its
        // warnings pass; the relay logs requests itself by route template (ProblemMiddleware).
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System", LogLevel.Warning);
        builder.Logging.AddProvider(new ForwardingLoggerProvider(state.Options.LoggerFactory));
        return builder.Build();
    }

    private static async Task Listen(WebApplication app, IReadOnlyList<string> urls, CancellationToken ct)
    {
        try
        {
            await app.StartAsync(ct);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or System.Net.Sockets.SocketException or UriFormatException)
        {
            throw new RelayConfigurationException($"Cannot listen on {string.Join(", ", urls)}: {e.Message}", e);
        }
    }

    private static async Task StopQuietly(WebApplication app, CancellationToken ct)
    {
        try
        {
            await app.StopAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Kestrel gave up waiting for slow requests; they are aborted.
        }
    }

    private static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Sends the host's logs to the caller's logger factory, after the host's filters.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
            // The factory belongs to the caller.
        }
    }
}
