using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Commands.Update;

/// <summary>The options every <c>enigm update</c> subcommand takes (recursive on the group), and the session they open.</summary>
internal sealed class UpdateOptions
{
    public Option<string> Repo { get; } = new("--repo") { Description = "Repository: an http(s) base URL or a folder.", Required = true, Recursive = true };

    public Option<string> Device { get; } = new("--device") { Description = "Device profile JSON (id, model, channel, installed_version, os_version, trust_state).", Required = true, Recursive = true };

    public Option<string?> State { get; } = new("--state") { Description = "Folder of the device's trusted metadata (default: .enigm-update beside the device file).", Recursive = true };

    public Option<string?> Root { get; } = new("--root") { Description = "Initial trusted root.json, used once when the state folder has no root yet.", Recursive = true };

    public Option<string[]> Refuse { get; } = new("--refuse-algorithm")
    {
        Description = "Refuse keys of this algorithm (repeatable, e.g. Ed25519 once a fleet is post-quantum only); metadata trusted only through them exits 15.",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    public void AddTo(Command update)
    {
        update.Options.Add(Refuse);
        update.Options.Add(Repo);
        update.Options.Add(Device);
        update.Options.Add(State);
        update.Options.Add(Root);
    }

    /// <summary>Opens the session (and runs the TUF refresh) for a parsed command line.</summary>
    public UpdateSession Open(ParseResult p) =>
        UpdateSession.Open(p.GetValue(Repo)!, p.GetValue(Device)!, p.GetValue(State), p.GetValue(Root), PolicyFor(p.GetValue(Refuse)));

    /// <summary>The default suite policy, minus the algorithms named by <c>--refuse-algorithm</c>.</summary>
    private static SuitePolicy PolicyFor(string[]? refused)
    {
        var policy = SuitePolicy.Default;
        foreach (var name in refused ?? [])
        {
            var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown algorithm '{name}' (known: {string.Join(", ", CryptoAlgorithm.All.Select(a => a.Name))})");
            policy = policy.RefuseAlgorithm(algorithm);
        }

        return policy;
    }
}
