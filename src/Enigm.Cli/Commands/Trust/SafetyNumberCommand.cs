using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Trust.Accounts;
using Enigm.Trust.Verification;

namespace Enigm.Cli.Commands.Trust;

/// <summary>
/// <c>enigm trust safety-number FINGERPRINT_A FINGERPRINT_B</c>: the 60-digit safety number of two
/// accounts (the same whichever order they are given, so both users see the same digits) and the QR
/// payload the first account would show the second.
/// </summary>
public static class SafetyNumberCommand
{
    public static Command Build(CliContext cli)
    {
        var first = new Argument<string>("fingerprint-a") { Description = "Account fingerprint (64 hex digits; `enigm trust verify-log` prints it)." };
        var second = new Argument<string>("fingerprint-b") { Description = "The other account's fingerprint." };
        return cli.Command(
            "safety-number",
            "Compute the safety number (12 groups of 5 digits) of two accounts, and the QR payload for comparing it.",
            parse => Run(cli.Narrator(parse), parse.GetValue(first)!, parse.GetValue(second)!),
            first,
            second);
    }

    private static int Run(Narrator n, string a, string b)
    {
        // A malformed fingerprint is bad input (MalformedInputException, exit 10), not a usage error.
        var own = AccountFingerprint.FromHex(a.Trim());
        var peer = AccountFingerprint.FromHex(b.Trim());
        var number = SafetyNumbers.For(own, peer);
        var qr = new SafetyNumberQr(own, peer).ToText();
        n.Line(number.ToString());
        n.Info($"QR payload (shown by {own.Hex[..12]}…): {qr}");
        n.WriteJson(new JsonObject
        {
            ["safetyNumber"] = number.Digits,
            ["groups"] = new JsonArray([.. number.Groups.Select(g => (JsonNode)g)]),
            ["qr"] = qr,
        });
        return ExitCodes.Ok;
    }
}
