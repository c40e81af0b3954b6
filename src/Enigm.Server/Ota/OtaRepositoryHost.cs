using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace Enigm.Server.Ota;

/// <summary>
/// Serves a published TUF repository read-only: <c>{prefix}/metadata/…</c> and <c>{prefix}/targets/…</c> from the
/// repository's <c>metadata/</c> and <c>targets/</c> folders, nothing else (its staged work and settings stay private).
/// GET and HEAD only, no directory listing; the physical file provider refuses any path that leaves its folder
/// (<c>..</c>, absolute paths) and hidden or dot files. Used by the relay (<c>/ota</c>) and <c>enigm release serve</c>.
/// </summary>
public static class OtaRepositoryHost
{
    public const string MetadataFolder = "metadata";
    public const string TargetsFolder = "targets";

    public static void Map(IApplicationBuilder app, string repositoryRoot, string prefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = Path.GetFullPath(repositoryRoot);
        Serve(app, Path.Combine(root, MetadataFolder), prefix + "/" + MetadataFolder);
        Serve(app, Path.Combine(root, TargetsFolder), prefix + "/" + TargetsFolder);
    }

    private static void Serve(IApplicationBuilder app, string folder, string requestPath)
    {
        Directory.CreateDirectory(folder);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder, ExclusionFilters.Sensitive),
            RequestPath = new PathString(requestPath),
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
    }
}
