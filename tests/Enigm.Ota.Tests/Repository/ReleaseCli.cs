using System.Text.Json;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary>Tests that set the process-wide ENIGM_PASSPHRASE run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PassphraseEnvironment
{
    public const string Name = "ENIGM_PASSPHRASE environment";
}

/// <summary>Runs <c>enigm release …</c> in process for one key holder's --home.</summary>
internal sealed class ReleaseCli(string home)
{
    public const string Passphrase = "release cli test passphrase";

    public string Home { get; } = home;

    public (int Code, string Output, string Error) Run(params string[] args)
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", Passphrase);
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] argon = args is ["release", ..] ? ["--argon2", "interactive"] : [];
        var code = Enigm.Cli.Program.Run([.. args, "--home", Home, .. argon], output, error);
        return (code, output.ToString(), error.ToString());
    }

    public JsonElement Json(params string[] args)
    {
        var (code, output, error) = Run([.. args, "--json"]);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
