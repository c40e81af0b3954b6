using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Enigm.E2E.Tests.Support;

/// <summary>
/// One device's home folder, driven only through the <c>enigm</c> command line (each call a new process).
/// The server URL is given to <c>init</c>/<c>device link</c> only: every later command must find it in the home.
/// </summary>
internal sealed class ClientDevice(string name, string home)
{
    public string Name { get; } = name;

    public string Home { get; } = home;

    /// <summary>The account id (64 hex digits) once created or linked.</summary>
    public string Account { get; private set; } = "";

    /// <summary>This device's id in its account's device log.</summary>
    public string Device { get; private set; } = "";

    public Task<EnigmResult> RunAsync(params string[] args) => EnigmProcess.RunAsync([.. args, "--home", Home]);

    /// <summary>Runs with <c>--json</c>, asserts success, parses the document.</summary>
    public async Task<JsonObject> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.Code == 0, $"{Name}: enigm {string.Join(' ', args)} → {result}");
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    public async Task InitAsync(string server, string accountName)
    {
        var created = await JsonAsync("init", "--name", accountName, "--device-name", Name, "--server", server, "--argon2", "interactive");
        Account = (string)created["account"]!;
        Device = (string)created["device"]!;
    }

    /// <summary>
    /// Links this (new) device to <paramref name="existing"/>'s account: <c>enigm device link</c> runs in the
    /// background and shows its code and SAS; <c>enigm device approve CODE --sas SAS</c> runs on the existing device.
    /// Returns the SAS both sides showed.
    /// </summary>
    public async Task<(string NewSide, string ExistingSide)> LinkAsync(string server, ClientDevice existing)
    {
        using var link = Process.Start(EnigmProcess.StartInfo(["device", "link", "--home", Home, "--server", server, "--device-name", Name, "--argon2", "interactive", "--wait", "90"]))!;
        link.StandardInput.Close();
        var error = link.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        string? code = null;
        while (code is null && await link.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            code = Value(line, "link code:");
        }

        Assert.True(code is not null, $"device link printed no code:\n{string.Join('\n', lines)}\n{await error}");
        var approve = existing.JsonAsync("device", "approve", code!, "--yes");
        string? newSide = null;
        while (await link.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            newSide ??= Value(line, "SAS:");
        }

        await link.WaitForExitAsync();
        var approved = await approve;
        Assert.True(link.ExitCode == 0, $"device link exit {link.ExitCode}:\n{string.Join('\n', lines)}\n{await error}");
        Assert.NotNull(newSide);
        Account = (string)approved["account"]!;
        Device = (string)approved["device"]!;
        return (newSide!, (string)approved["sas"]!);
    }

    public async Task AddContactAsync(string contactName, ClientDevice contact) =>
        await JsonAsync("contact", "add", contactName, "--account", contact.Account);

    /// <summary>
    /// <c>enigm receive --wait</c> until <paramref name="expected"/> messages arrived (or 60 s passed); attachments
    /// are saved next to the home.
    /// </summary>
    public async Task<JsonArray> ReceiveAsync(int wait = 0, int expected = 0)
    {
        var all = new JsonArray();
        var clock = Stopwatch.StartNew();
        do
        {
            var document = await JsonAsync("receive", "--wait", wait.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Home + "-received");
            foreach (var message in ((JsonArray)document["messages"]!).ToList()) all.Add(message!.DeepClone());
        }
        while (all.Count < expected && clock.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(all.Count >= expected, $"{Name} received {all.Count} of {expected} messages: {all.ToJsonString()}");
        return all;
    }

    public override string ToString() => Name;

    private static string? Value(string line, string label)
    {
        var at = line.IndexOf(label, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + label.Length)..].Trim();
    }
}
