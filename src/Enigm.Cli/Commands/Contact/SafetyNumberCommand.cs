using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Contact;

/// <summary>
/// <c>enigm safety-number NAME</c>: the 60-digit safety number of your account and the contact's (the same digits on
/// both sides) and this side's QR text, to compare in person or over a channel you trust
/// (docs/trust-verification.md); then <c>enigm contact verify NAME --safety-number …</c>.
/// </summary>
public static class SafetyNumberCommand
{
    public static Command Build(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The contact's name (or account id)." };
        var command = cli.Command(
            "safety-number",
            "Show the safety number you share with a contact (and your QR text), to compare with theirs.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var contact = parse.GetValue(name)!.Trim();
                using var client = ClientSession.Open(cli, parse);
                var number = client.SafetyNumber(contact);
                var qr = client.SafetyNumberQr(contact);
                var summary = client.Contact(contact);
                n.Line($"  safety number with {summary.Name} ({ContactCommand.Describe(summary)}):");
                n.Line($"  {number}");
                n.Line($"  QR text: {qr}");
                n.Line($"  If their device shows the same: enigm contact verify {summary.Name} --safety-number \"{number}\"");
                n.WriteJson(new JsonObject
                {
                    ["contact"] = summary.Name,
                    ["account"] = summary.Account,
                    ["safetyNumber"] = number.Digits,
                    ["groups"] = new JsonArray([.. number.Groups.Select(g => (JsonNode)g)]),
                    ["qr"] = qr,
                    ["state"] = ContactCommand.Describe(summary),
                });
                return ExitCodes.Ok;
            },
            name);
        return command.WithDeviceOptions(cli);
    }
}
