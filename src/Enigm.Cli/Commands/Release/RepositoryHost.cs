using Enigm.Cli.Output;
using Enigm.Ota.Repository;
using Enigm.Server.Ota;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// Serves a repository's published files over HTTP through the relay's <see cref="OtaRepositoryHost"/>:
/// <c>/metadata/…</c> and <c>/targets/…</c>, nothing else (the staged work and settings stay private).
/// Read-only: no directory listing, GET and HEAD only, path traversal refused.
/// </summary>
internal static class RepositoryHost
{
    public static WebApplication Build(string repositoryRoot, string urls)
    {
        var layout = new RepositoryLayout(repositoryRoot);
        if (!Directory.Exists(layout.MetadataDirectory)) throw new Enigm.Ota.Errors.RepositoryException($"No published metadata under {layout.Root}.");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = layout.Root, Args = [] });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // The relay's OTA hosting, at the root instead of under /ota.
        OtaRepositoryHost.Map(app, layout.Root, "");
        return app;
    }

    /// <summary>
    /// Starts listening: an address Kestrel cannot parse is a usage error, one it cannot bind (in use,
    /// not local) a <see cref="Enigm.Ota.Errors.RepositoryException"/>.
    /// </summary>
    public static void Start(WebApplication app, string urls)
    {
        try
        {
            app.Start();
        }
        catch (FormatException e)
        {
            throw new UsageException($"--urls '{urls}' is not an address to listen on (e.g. http://127.0.0.1:8080): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new Enigm.Ota.Errors.RepositoryException($"Cannot listen on {urls}: {e.Message}", e);
        }
    }

    /// <summary>The addresses Kestrel actually bound (port 0 becomes a free port).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
