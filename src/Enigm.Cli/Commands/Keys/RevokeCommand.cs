using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys revoke ID --reason R</c>: mark a key compromised and issue a signed revocation statement.</summary>
internal static class RevokeCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.RequiredReason("Why (e.g. key compromise).");
        var authority = new Option<string?>("--authority") { Description = "Key that signs the statement (default: active root, else the store key)." };
        var statementOut = new Option<string?>("--out") { Description = "Write the signed revocation statement to this new file (it is also kept in the store: 'keys revocation export')." };
        return cli.Command(
            "revoke",
            "Mark a key compromised and issue a signed revocation statement.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
            {
                var n = cli.Narrator(p);
                // Checked before the revocation is committed; the statement stays in the store either way.
                if (p.GetValue(statementOut) is { } target) OutputFile.Check(target);
                var (record, statement) = ring.Revoke(p.GetValue(id)!, p.GetValue(reason)!, p.GetValue(authority));
                if (p.GetValue(statementOut) is { } path)
                    OutputFile.Write(path, statement, $"the revocation is recorded; export the statement again with 'enigm keys revocation export {record.Id} --out FILE'");
                n.Line($"  revocation statement: {statement.Length} bytes{(p.GetValue(statementOut) is { } f ? $" written to {f}" : "")}");
                n.WriteJson(new JsonObject { ["key"] = KeyJson.ToJson(record), ["statement"] = Convert.ToBase64String(statement) });
                KeyJson.PrintOne(n, record);
                return ExitCodes.Ok;
            }),
            id,
            reason,
            authority,
            statementOut);
    }
}
