using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;
using Enigm.Crypto.Errors;

namespace Enigm.Cli.Commands.Contact;

/// <summary>
/// <c>enigm contact add|list|verify</c>. A contact is added by the account id its owner shared (64 hex digits:
/// <c>enigm init</c> and <c>enigm trust status</c> print it) under a local name of your choosing: the relay keeps
/// no directory of names, so a name can never be substituted by the server. The account's device log is fetched,
/// verified and pinned; the contact stays "unverified" until you compare safety numbers (<c>contact verify</c>).
/// </summary>
public static class ContactCommand
{
    private const int MaxQrBytes = 4096;

    public static Command Build(CliContext cli)
    {
        var contact = new Command("contact", "Add contacts by the account id they shared, list them, verify their safety numbers.");
        contact.Subcommands.Add(Add(cli));
        contact.Subcommands.Add(List(cli));
        contact.Subcommands.Add(Verify(cli));
        return contact.WithDeviceOptions(cli);
    }

    private static Command Add(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "Your name for the contact, or their account id itself (then used as the name too)." };
        var account = new Option<string?>("--account") { Description = "The account id (64 hex digits) the contact shared with you." };
        return cli.Command(
            "add",
            "Add a contact: NAME is your name for them, --account the account id they shared (or give the id as NAME).",
            parse =>
            {
                var n = cli.Narrator(parse);
                var local = parse.GetValue(name)!.Trim();
                var id = (parse.GetValue(account) ?? local).Trim().ToLowerInvariant();
                if (id.Length != 64 || !id.All(Uri.IsHexDigit))
                    throw new MalformedInputException($"'{id}' is not an account id (64 hex digits); give it with --account ID");
                using var client = ClientSession.Open(cli, parse);
                var added = ClientSession.Wait(client.AddContactAsync(local, id, ClientSession.Cancellation));
                n.Line($"  contact {added.Name}: account {added.Account}, {added.Devices.Count} device(s), {Describe(added)}");
                n.Line($"  compare safety numbers to verify: enigm safety-number {added.Name}");
                n.WriteJson(Json(added));
                return ExitCodes.Ok;
            },
            name,
            account);
    }

    private static Command List(CliContext cli) => cli.Command(
        "list",
        "List your contacts with their trust states.",
        parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var contacts = client.Contacts();
            n.Table(["name", "account", "devices", "state"], contacts.Select(c => (IReadOnlyList<string>)[c.Name, c.Account[..16] + "…", c.Devices.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Describe(c)]));
            n.WriteJson(new JsonObject { ["contacts"] = new JsonArray([.. contacts.Select(Json)]) });
            return ExitCodes.Ok;
        });

    private static Command Verify(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The contact's name (or account id)." };
        var number = new Option<string?>("--safety-number") { Description = "The 60 digits the contact's device shows (spaces ignored)." };
        var qr = new Option<string?>("--qr") { Description = "A file holding the contact's scanned safety-number QR text (enigm-sn1:…)." };
        return cli.Command(
            "verify",
            "Mark a contact verified after comparing safety numbers: give the number they show, or their QR code; without either, type it.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var contact = parse.GetValue(name)!.Trim();
                var given = parse.GetValue(number);
                var qrFile = parse.GetValue(qr);
                if (given is not null && qrFile is not null) throw new UsageException("give --safety-number or --qr, not both");
                using var client = ClientSession.Open(cli, parse);
                ContactSummary verified;
                string how;
                if (qrFile is not null)
                {
                    var text = Encoding.UTF8.GetString(InputFile.Read(qrFile, MaxQrBytes, p => new MalformedInputException($"{p} is larger than a QR code ({MaxQrBytes} bytes).")));
                    verified = client.VerifyContactByQr(contact, text.Trim());
                    how = "QR code";
                }
                else
                {
                    if (given is null)
                    {
                        n.Line($"  your safety number with {contact}: {client.SafetyNumber(contact)}");
                        cli.Output.Write("  Type the number their device shows: ");
                        cli.Output.Flush();
                        given = Console.In.ReadLine() ?? throw new UsageException("no safety number given (--safety-number N, --qr FILE, or type it)");
                    }

                    verified = client.VerifyContact(contact, given);
                    how = "safety number";
                }

                n.Line($"  {verified.Name} verified by {how}: {Describe(verified)}");
                n.WriteJson(Json(verified));
                return ExitCodes.Ok;
            },
            name,
            number,
            qr);
    }

    internal static string Describe(ContactSummary c) => c.State.ToString().ToLowerInvariant();

    internal static JsonObject Json(ContactSummary c) => new()
    {
        ["contact"] = c.Name,
        ["account"] = c.Account,
        ["state"] = Describe(c),
        ["devices"] = new JsonArray([.. c.Devices.Select(d => (JsonNode)d)]),
    };
}
