using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Messages;

/// <summary>
/// <c>enigm receive [--wait SECONDS] [--out DIR]</c>: fetches this device's mailbox, decrypts and verifies each
/// message (sender checked against its account's device log), de-duplicates by message id, saves attachments, and
/// only then acknowledges them to the relay. Messages that cannot be opened are reported and dropped.
/// </summary>
public static class ReceiveCommand
{
    public static Command Build(CliContext cli)
    {
        var wait = new Option<int>("--wait") { Description = "Wait up to this many seconds for a first message when none is waiting (default 0).", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for received attachments (default: HOME/attachments)." };
        var command = cli.Command(
            "receive",
            "Receive, decrypt and acknowledge waiting messages (attachments are saved to --out).",
            parse =>
            {
                var n = cli.Narrator(parse);
                var seconds = parse.GetValue(wait);
                if (seconds is < 0 or > 3600) throw new UsageException("--wait must be between 0 and 3600 seconds");
                var folder = parse.GetValue(output);
                using var client = ClientSession.Open(cli, parse, o => folder is null ? o : o with { AttachmentFolder = Path.GetFullPath(folder) });
                var progress = n.Json ? null : new TransferProgressBar(cli.Error, "attachment");
                var result = ClientSession.Wait(client.ReceiveAsync(TimeSpan.FromSeconds(seconds), progress, ClientSession.Cancellation));
                foreach (var message in result.Messages) n.Line(Describe(message));
                foreach (var notice in result.Notices) n.Line($"  note ({Kebab(notice.Kind)}): {notice.Detail}");
                if (result.Messages.Count == 0) n.Line("  no new messages");
                n.WriteJson(new JsonObject
                {
                    ["messages"] = new JsonArray([.. result.Messages.Select(Json)]),
                    ["notices"] = new JsonArray([.. result.Notices.Select(x => (JsonNode)new JsonObject { ["kind"] = Kebab(x.Kind), ["detail"] = x.Detail })]),
                });
                return ExitCodes.Ok;
            },
            wait,
            output);
        return command.WithDeviceOptions(cli);
    }

    private static string Describe(ReceivedMessage m)
    {
        var from = m.FromOwnAccount ? $"you (to {m.ToContact ?? "?"})" : m.FromContact ?? $"{m.FromAccount[..16]}… (not a contact)";
        var head = $"  [{m.SentAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}] {from}, device {Short(m.FromDevice)}:";
        var text = m.Text is null ? string.Empty : $" {m.Text}";
        var file = m.Attachment switch
        {
            null => string.Empty,
            { SavedPath: { } saved } a => $" [file {a.FileName}, {a.Length} bytes → {saved}]",
            { } a => $" [file {a.FileName}, {a.Length} bytes: not saved: {a.Error}]",
        };
        return head + text + file;
    }

    private static string Short(string device) => device.Length > 12 ? device[..12] + "…" : device;

    private static string Kebab(ClientNoticeKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    internal static JsonNode Json(ReceivedMessage m) => new JsonObject
    {
        ["messageId"] = m.MessageId,
        ["fromAccount"] = m.FromAccount,
        ["from"] = m.FromContact,
        ["fromDevice"] = m.FromDevice,
        ["fromOwnAccount"] = m.FromOwnAccount,
        ["to"] = m.ToContact,
        ["sentAt"] = m.SentAt,
        ["receivedAt"] = m.ReceivedAt,
        ["text"] = m.Text,
        ["attachment"] = m.Attachment is null ? null : new JsonObject
        {
            ["name"] = m.Attachment.FileName,
            ["contentType"] = m.Attachment.ContentType,
            ["bytes"] = m.Attachment.Length,
            ["path"] = m.Attachment.SavedPath,
            ["error"] = m.Attachment.Error,
        },
    };
}
