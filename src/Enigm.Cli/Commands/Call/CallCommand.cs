using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Call;

/// <summary>
/// <c>enigm call start NAME[,NAME…] [--duration S] [--invite NAME[,…] [--invite-after S]] [--remove NAME [--remove-after S]]</c> and <c>enigm call answer [--wait S] [--duration S]</c>: a call set
/// up over the pairwise sessions (X-Wing offer/answer bound to the transcript; docs/calls.md), whose media (a generated
/// audio-like stream of 50 frames/s of 160 bytes) is SFrame-encrypted (RFC 9605) and forwarded by the relay, which cannot
/// read it. Both sides print the short authentication string to read aloud, and a report of frames sent, received,
/// dropped and rejected. Call refusals have their own exit codes (108–114).
/// </summary>
public static class CallCommand
{
    public static Command Build(CliContext cli)
    {
        var call = new Command("call", "Make or answer an end-to-end encrypted call through the relay.");
        call.Subcommands.Add(Start(cli));
        call.Subcommands.Add(Answer(cli));
        return call.WithDeviceOptions(cli);
    }

    private static Option<int> Duration() => new("--duration") { Description = "Seconds of media once the call is keyed (1-3600).", DefaultValueFactory = _ => 10 };

    private static Command Start(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The contact to call (comma-separated for several: every trusted device of each rings)." };
        var duration = Duration();
        var ring = new Option<int>("--ring") { Description = "Seconds to wait for an answer.", DefaultValueFactory = _ => 60 };
        var invite = new Option<string?>("--invite") { Description = "Contacts to ring during the call (comma-separated), --invite-after seconds after the first answer; each joins in a new epoch." };
        var inviteAfter = new Option<int>("--invite-after") { Description = "Seconds after the first answer to ring the --invite contacts.", DefaultValueFactory = _ => 3 };
        var remove = new Option<string?>("--remove") { Description = "A contact to remove from the call --remove-after seconds after the first answer (a new epoch without it)." };
        var removeAfter = new Option<int>("--remove-after") { Description = "Seconds after the first answer to remove the --remove contact.", DefaultValueFactory = _ => 6 };
        return cli.Command("start", "Call a contact's trusted devices; print the SAS and a report when done.", parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var contacts = parse.GetValue(name)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var invites = parse.GetValue(invite)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var removal = parse.GetValue(remove);
            var (inviteDelay, removeDelay) = (parse.GetValue(inviteAfter), parse.GetValue(removeAfter));
            if (inviteDelay is < 0 or > 3600 || removeDelay is < 0 or > 3600) throw new UsageException("--invite-after and --remove-after are 0 to 3600 seconds");
            var control = new CallControl();
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var call = client.StartCallAsync(contacts, control, Options(parse, duration, ring), e =>
            {
                Show(n, e);
                if (e.Kind == "answered") answered.TrySetResult();
            }, ClientSession.Cancellation);
            if (invites.Length > 0) _ = ChangeLaterAsync(n, answered.Task, inviteDelay, () => control.InviteAsync(invites), "invite");
            if (removal is not null) _ = ChangeLaterAsync(n, answered.Task, removeDelay, () => control.RemoveAsync(removal), "remove");
            return Report(n, ClientSession.Wait(call));
        }, name, duration, ring, invite, inviteAfter, remove, removeAfter);
    }

    /// <summary>Applies a change to the running call some seconds after the first answer; a refusal is shown, the call goes on.</summary>
    private static async Task ChangeLaterAsync(Narrator n, Task answered, int seconds, Func<Task> change, string what)
    {
        await answered;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        try
        {
            await change();
        }
        catch (EnigmException e)
        {
            n.Line($"  {what} refused: {e.Code}: {e.Message}");
        }
    }

    private static Command Answer(CliContext cli)
    {
        var duration = Duration();
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for a call.", DefaultValueFactory = _ => 60 };
        return cli.Command("answer", "Wait for a call from a trusted contact device and answer it; print the SAS and a report.", parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var report = ClientSession.Wait(client.AnswerCallAsync(Options(parse, duration, wait), e => Show(n, e), ClientSession.Cancellation));
            return Report(n, report);
        }, duration, wait);
    }

    private static CallOptions Options(ParseResult parse, Option<int> duration, Option<int> ring)
    {
        var seconds = parse.GetValue(duration);
        var ringSeconds = parse.GetValue(ring);
        if (seconds is < 1 or > 3600) throw new UsageException("--duration is 1 to 3600 seconds");
        if (ringSeconds is < 1 or > 3600) throw new UsageException("--ring/--wait is 1 to 3600 seconds");
        return new CallOptions { Duration = TimeSpan.FromSeconds(seconds), RingTimeout = TimeSpan.FromSeconds(ringSeconds) };
    }

    private static void Show(Narrator n, CallEvent e) =>
        n.Line(e.Sas is null ? $"  {e.Kind}: {e.Detail}" : $"  {e.Kind}: {e.Detail}: SAS {e.Sas}");

    private static int Report(Narrator n, CallReport report)
    {
        foreach (var peer in report.Peers) n.Line($"  SAS with {peer.Contact ?? peer.Account[..16]} ({peer.Device}): {peer.Sas}  (read it aloud: both sides must show the same)");
        foreach (var sender in report.Senders) n.Line($"  received {sender.FramesReceived} frame(s) from participant {sender.Index}: {sender.Who}");
        n.Line($"  call {report.CallId} ({report.Role}, {report.Suite}): sent {report.FramesSent}, received {report.FramesReceived}, dropped {report.FramesDropped}, rejected {report.FramesRejected} frame(s); {report.Epochs} epoch(s); keyed in {report.SetupMilliseconds} ms");
        n.WriteJson(new JsonObject
        {
            ["callId"] = report.CallId,
            ["role"] = report.Role,
            ["suite"] = report.Suite,
            ["peers"] = new JsonArray([.. report.Peers.Select(p => (JsonNode)new JsonObject { ["account"] = p.Account, ["device"] = p.Device, ["contact"] = p.Contact, ["sas"] = p.Sas })]),
            ["framesSent"] = report.FramesSent,
            ["framesReceived"] = report.FramesReceived,
            ["framesDropped"] = report.FramesDropped,
            ["framesRejected"] = report.FramesRejected,
            ["senders"] = new JsonArray([.. report.Senders.Select(s => (JsonNode)new JsonObject { ["index"] = s.Index, ["who"] = s.Who, ["framesReceived"] = s.FramesReceived })]),
            ["epochs"] = report.Epochs,
            ["setupMilliseconds"] = report.SetupMilliseconds.ToString(CultureInfo.InvariantCulture),
        });
        return ExitCodes.Ok;
    }
}
