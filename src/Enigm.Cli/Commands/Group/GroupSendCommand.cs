using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Commands.Messages;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Group;

/// <summary>
/// <c>enigm group send NAME TEXT</c> or <c>--file PATH</c>: one sender-key encryption for the whole group, its chain
/// sent first over the pairwise sessions to member devices that lack it, then one upload the relay stores once for
/// every member device. Exit 0 means the relay stored it for every member device.
/// </summary>
public static class GroupSendCommand
{
    public static Command Build(CliContext cli)
    {
        var name = new Argument<string>("group") { Description = "The group's name (or id)." };
        var text = new Argument<string?>("text") { Description = "The message (with --file: an optional caption).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Send this file as an encrypted attachment." };
        return cli.Command("send", "Send a message (or a file with --file) to every member device of a group.", parse =>
        {
            var n = cli.Narrator(parse);
            var group = parse.GetValue(name)!.Trim();
            var message = parse.GetValue(text);
            var path = parse.GetValue(file);
            if (path is null && string.IsNullOrEmpty(message)) throw new UsageException("nothing to send: give TEXT or --file PATH");
            using var client = ClientSession.Open(cli, parse);
            var sent = path is null
                ? ClientSession.Wait(client.SendGroupTextAsync(group, message!, ClientSession.Cancellation))
                : ClientSession.Wait(client.SendGroupFileAsync(group, path, message, n.Json ? null : new TransferProgressBar(cli.Error, Path.GetFileName(path)), ClientSession.Cancellation));
            var chain = sent.NewChain ? $", new sender key ({sent.Rotation}) sent to {sent.DistributedTo} device(s) first" : "";
            n.Line($"  sent to {group}: one {sent.SharedBytes}-byte ciphertext stored for {sent.Devices} device(s){chain} (message {sent.MessageId})");
            n.WriteJson(new JsonObject
            {
                ["group"] = group,
                ["messageId"] = sent.MessageId,
                ["devices"] = sent.Devices,
                ["sharedBytes"] = sent.SharedBytes,
                ["newChain"] = sent.NewChain,
                ["rotation"] = sent.Rotation,
                ["distributedTo"] = sent.DistributedTo,
            });
            return ExitCodes.Ok;
        }, name, text, file);
    }
}
