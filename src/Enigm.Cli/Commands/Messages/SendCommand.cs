using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Messages;

/// <summary>
/// <c>enigm send NAME TEXT</c> and <c>enigm send NAME --file PATH [TEXT]</c>: one end-to-end encrypted message to
/// every trusted device of the contact and to your other devices (sealed sender). Exit 0 means the relay
/// acknowledged it, i.e. stored it durably for every device. A changed contact is refused (exit 46) until you
/// verify them again.
/// </summary>
public static class SendCommand
{
    public static Command Build(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The contact's name (or account id)." };
        var text = new Argument<string?>("text") { Description = "The message (with --file: an optional caption).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Send this file as an encrypted attachment (progress shown for long transfers)." };
        var command = cli.Command(
            "send",
            "Send an end-to-end encrypted message, or a file with --file, to a contact's devices (and your other devices).",
            parse =>
            {
                var n = cli.Narrator(parse);
                var contact = parse.GetValue(name)!.Trim();
                var message = parse.GetValue(text);
                var path = parse.GetValue(file);
                if (path is null && string.IsNullOrEmpty(message)) throw new UsageException("nothing to send: give TEXT or --file PATH");
                using var client = ClientSession.Open(cli, parse);
                SendResult sent;
                if (path is null)
                {
                    sent = ClientSession.Wait(client.SendTextAsync(contact, message!, ClientSession.Cancellation));
                }
                else
                {
                    var progress = n.Json ? null : new TransferProgressBar(cli.Error, Path.GetFileName(path));
                    sent = ClientSession.Wait(client.SendFileAsync(contact, path, message, progress, ClientSession.Cancellation));
                }

                if (sent.Warning is not null) n.Line($"  warning: {sent.Warning}");
                n.Line($"  sent to {contact}: {sent.RecipientDevices} device(s) of theirs, {sent.OwnDevices} of yours (message {sent.MessageId})");
                n.WriteJson(new JsonObject
                {
                    ["to"] = contact,
                    ["messageId"] = sent.MessageId,
                    ["recipientDevices"] = sent.RecipientDevices,
                    ["ownDevices"] = sent.OwnDevices,
                    ["warning"] = sent.Warning,
                });
                return ExitCodes.Ok;
            },
            name,
            text,
            file);
        return command.WithDeviceOptions(cli);
    }
}
