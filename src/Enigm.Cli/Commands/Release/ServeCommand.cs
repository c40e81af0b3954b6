using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Microsoft.Extensions.Hosting;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release serve REPO</c>: serve the published repository over HTTP until stopped (no keys needed).</summary>
internal static class ServeCommand
{
    public static Command Build(CliContext cli)
    {
        var repo = HolderCommands.Repo();
        var urls = new Option<string>("--urls") { Description = "Address to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        return cli.Command(
            "serve",
            "Serve the published repository over HTTP (/metadata/, /targets/) until stopped.",
            parse =>
            {
                using var app = RepositoryHost.Build(parse.GetValue(repo)!, parse.GetValue(urls)!);
                RepositoryHost.Start(app, parse.GetValue(urls)!);
                var narrator = cli.Narrator(parse);
                var addresses = RepositoryHost.Addresses(app);
                narrator.Line($"  serving {Path.GetFullPath(parse.GetValue(repo)!)} at {string.Join(", ", addresses)} (metadata: /metadata/, targets: /targets/); Ctrl+C stops");
                narrator.WriteJson(new JsonObject { ["urls"] = new JsonArray([.. addresses.Select(a => (JsonNode)JsonValue.Create(a))]) });
                cli.Output.Flush();
                app.WaitForShutdown();
                return ExitCodes.Ok;
            },
            repo,
            urls);
    }
}
