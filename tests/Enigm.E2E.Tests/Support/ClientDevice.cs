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
    /// Links this (new) device to <paramref name="existing"/>'s account, as two people at two screens would:
    /// <c>enigm device link</c> shows a code, <c>enigm device approve CODE</c> runs on the existing device, each shows
    /// its SAS and asks whether the other shows the same; the test types into each the digits the <em>other</em>
    /// process printed, so each side checks the other's SAS itself. Returns both SAS as shown.
    /// </summary>
    public async Task<(string NewSide, string ExistingSide)> LinkAsync(string server, ClientDevice existing)
    {
        using var link = Process.Start(EnigmProcess.StartInfo(["device", "link", "--home", Home, "--server", server, "--device-name", Name, "--argon2", "interactive", "--wait", "40"]))!;
        var linkError = link.StandardError.ReadToEndAsync();
        var linkLines = new List<string>();
        var code = await ReadUntil(link.StandardOutput, "link code:", linkLines);
        // (The message is built only on failure: awaiting stderr here would wait for the process to end.)
        if (code is null) Assert.Fail($"device link printed no code:\n{string.Join('\n', linkLines)}\n{await linkError}");

        using var approve = Process.Start(EnigmProcess.StartInfo(["device", "approve", code!, "--home", existing.Home, "--json", "--wait", "40"]))!;
        var approveOutput = approve.StandardOutput.ReadToEndAsync();
        var approveLines = new List<string>();
        var existingSide = await ReadUntil(approve.StandardError, "SAS:", approveLines);
        var newSide = await ReadUntil(link.StandardOutput, "SAS:", linkLines);
        if (existingSide is null || newSide is null)
        {
            link.Kill();
            Assert.Fail($"SAS missing:\n{string.Join('\n', linkLines)}\n{await linkError}\n--- approve\n{string.Join('\n', approveLines)}\n{await approveOutput}");
        }


        // Each side is told what the other shows.
        await approve.StandardInput.WriteLineAsync(newSide!.Replace(" ", "", StringComparison.Ordinal));
        approve.StandardInput.Close();
        await link.StandardInput.WriteLineAsync(existingSide!.Replace(" ", "", StringComparison.Ordinal));
        link.StandardInput.Close();
        var approveRest = approve.StandardError.ReadToEndAsync();
        var linkRest = link.StandardOutput.ReadToEndAsync();
        await Task.WhenAll(link.WaitForExitAsync(), approve.WaitForExitAsync());
        Assert.True(approve.ExitCode == 0, $"device approve exit {approve.ExitCode}:\n{await approveOutput}\n{string.Join('\n', approveLines)}\n{await approveRest}");
        Assert.True(link.ExitCode == 0, $"device link exit {link.ExitCode}:\n{string.Join('\n', linkLines)}\n{await linkRest}\n{await linkError}");
        var approved = JsonNode.Parse(await approveOutput)!;
        Account = (string)approved["account"]!;
        Device = (string)approved["device"]!;
        return (newSide!, existingSide!);
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

    /// <summary>Reads lines until one carries <paramref name="label"/>; returns the text after it (null at the end of the stream).</summary>
    private static async Task<string?> ReadUntil(StreamReader reader, string label, List<string> seen)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            seen.Add(line);
            if (Value(line, label) is { } value) return value;
        }

        return null;
    }

    private static string? Value(string line, string label)
    {
        var at = line.IndexOf(label, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + label.Length)..].Trim();
    }
}
