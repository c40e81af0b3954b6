using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Group;

/// <summary>
/// <c>enigm group create|add|remove|leave|send|list|show</c>: groups whose signed roster every member keeps (the relay
/// never holds it), sender keys distributed over the pairwise sessions, and one ciphertext per message that the relay
/// stores once for every member device. Members are named by contact name (or account id). Roster refusals have their
/// own exit codes (100–107); an unknown group is exit 95.
/// </summary>
public static class GroupCommand
{
    public static Command Build(CliContext cli)
    {
        var group = new Command("group", "Create groups, change their members, send to them, and list them.");
        group.Subcommands.Add(Create(cli));
        group.Subcommands.Add(Change(cli, "add", "Add members (admins only); they read only what is sent from now on."));
        group.Subcommands.Add(Change(cli, "remove", "Remove a member (admins only); every sender moves to a new key before its next message."));
        group.Subcommands.Add(Leave(cli));
        group.Subcommands.Add(GroupSendCommand.Build(cli));
        group.Subcommands.Add(List(cli));
        group.Subcommands.Add(Show(cli));
        return group.WithDeviceOptions(cli);
    }

    private static Command Create(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The group's name." };
        var members = new Option<string>("--members") { Description = "Comma-separated contact names (or account ids) to add.", Required = true };
        return cli.Command("create", "Create a group with you as admin and the given members.", parse =>
        {
            using var client = ClientSession.Open(cli, parse);
            var created = ClientSession.Wait(client.CreateGroupAsync(parse.GetValue(name)!.Trim(), Split(parse.GetValue(members)), ClientSession.Cancellation));
            return Report(cli, parse, created, "created");
        }, name, members);
    }

    private static Command Change(CliContext cli, string verb, string description)
    {
        var name = new Argument<string>("group") { Description = "The group's name (or id)." };
        var members = new Argument<string>("members") { Description = verb == "add" ? "Comma-separated contact names (or account ids)." : "The member's contact name (or account id)." };
        return cli.Command(verb, description, parse =>
        {
            using var client = ClientSession.Open(cli, parse);
            var group = parse.GetValue(name)!.Trim();
            var who = parse.GetValue(members)!;
            var changed = verb == "add"
                ? ClientSession.Wait(client.AddGroupMembersAsync(group, Split(who), ClientSession.Cancellation))
                : ClientSession.Wait(client.RemoveGroupMemberAsync(group, who.Trim(), ClientSession.Cancellation));
            return Report(cli, parse, changed, verb == "add" ? "added to" : "removed from");
        }, name, members);
    }

    private static Command Leave(CliContext cli)
    {
        var name = new Argument<string>("group") { Description = "The group's name (or id)." };
        return cli.Command("leave", "Leave a group: the others are told and this device forgets the group's keys.", parse =>
        {
            using var client = ClientSession.Open(cli, parse);
            var left = ClientSession.Wait(client.LeaveGroupAsync(parse.GetValue(name)!.Trim(), ClientSession.Cancellation));
            return Report(cli, parse, left, "left");
        }, name);
    }

    private static Command List(CliContext cli) => cli.Command("list", "List your groups.", parse =>
    {
        var n = cli.Narrator(parse);
        using var client = ClientSession.Open(cli, parse);
        var groups = client.Groups();
        n.Table(["name", "id", "members", "you"], groups.Select(g => (IReadOnlyList<string>)[g.Name, g.GroupId[..16] + "…", g.Members.Count.ToString(CultureInfo.InvariantCulture), g.IsMember ? "member" : "left"]));
        n.WriteJson(new JsonObject { ["groups"] = new JsonArray([.. groups.Select(Json)]) });
        return ExitCodes.Ok;
    });

    private static Command Show(CliContext cli)
    {
        var name = new Argument<string>("group") { Description = "The group's name (or id)." };
        var limit = new Option<int>("--limit") { Description = "How many recent messages to show.", DefaultValueFactory = _ => 20 };
        return cli.Command("show", "Show a group's members and its recent messages.", parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var group = client.Group(parse.GetValue(name)!.Trim());
            var messages = client.GroupMessages(group.GroupId, Math.Clamp(parse.GetValue(limit), 1, 1000));
            n.Line($"  group {group.Name} ({group.GroupId[..16]}…), {group.RosterEntries} roster entries, {(group.IsMember ? "you are a member" : "you are no longer a member")}");
            n.Table(["member", "account", "admin", "devices"], group.Members.Select(m => (IReadOnlyList<string>)[m.IsSelf ? "(you)" : m.Contact ?? "-", m.Account[..16] + "…", m.IsAdmin ? "yes" : "", m.Devices.ToString(CultureInfo.InvariantCulture)]));
            foreach (var m in messages) n.Line($"  [{m.SentAt:u}] {(m.FromOwnAccount ? "you" : m.FromContact ?? m.FromAccount[..16])}: {m.Text ?? m.Attachment?.FileName}");
            var json = Json(group);
            json["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["messageId"] = m.MessageId,
                ["fromAccount"] = m.FromAccount,
                ["fromContact"] = m.FromContact,
                ["fromDevice"] = m.FromDevice,
                ["sentAt"] = m.SentAt.ToString("O", CultureInfo.InvariantCulture),
                ["text"] = m.Text,
                ["attachment"] = m.Attachment?.SavedPath,
            })]);
            n.WriteJson(json);
            return ExitCodes.Ok;
        }, name, limit);
    }

    private static int Report(CliContext cli, ParseResult parse, GroupSummary group, string what)
    {
        var n = cli.Narrator(parse);
        n.Line($"  group {group.Name} ({group.GroupId[..16]}…) {what}: {group.Members.Count} member(s), roster entry {group.RosterEntries - 1}");
        n.WriteJson(Json(group));
        return ExitCodes.Ok;
    }

    internal static JsonObject Json(GroupSummary group) => new()
    {
        ["name"] = group.Name,
        ["groupId"] = group.GroupId,
        ["isMember"] = group.IsMember,
        ["rosterEntries"] = group.RosterEntries,
        ["members"] = new JsonArray([.. group.Members.Select(m => (JsonNode)new JsonObject
        {
            ["account"] = m.Account,
            ["contact"] = m.Contact,
            ["admin"] = m.IsAdmin,
            ["self"] = m.IsSelf,
            ["devices"] = m.Devices,
        })]),
    };

    private static string[] Split(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
