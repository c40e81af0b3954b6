using System.Text.Json;
using System.Text.Json.Serialization;
using Enigm.Keys.Records;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;

namespace Enigm.Client.State;

/// <summary>A group's roster as this device stores it: every entry and the head it last accepted.</summary>
internal sealed record GroupRosterDto(string GroupId, byte[][] Entries, long HeadSequence, byte[] HeadHash);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(GroupRosterDto))]
internal sealed partial class GroupStateJson : JsonSerializerContext;

/// <summary>
/// <see cref="IGroupRosterStore"/> over protected records (<c>client/group/roster/{h}</c>), sealed like every other
/// client record; the group id in the name is hidden by the <see cref="RecordNamer"/> (docs/client.md).
/// </summary>
internal sealed class RecordGroupRosterStore(ProtectedRecords records, RecordNamer namer) : IGroupRosterStore
{
    public const string Prefix = "client/group/roster/";

    public (IReadOnlyList<byte[]> Entries, GroupRosterHead Head)? Load(GroupId group)
    {
        var name = Prefix + namer.Hide(group.Hex);
        if (records.Get(name) is not { } bytes) return null;
        var dto = StateJson.Read(name, bytes, GroupStateJson.Default.GroupRosterDto);
        return (dto.Entries, new GroupRosterHead(dto.HeadSequence, dto.HeadHash));
    }

    public void Store(GroupId group, IReadOnlyList<byte[]> entries, GroupRosterHead head) =>
        records.Put(Prefix + namer.Hide(group.Hex), StateJson.Write(new GroupRosterDto(group.Hex, [.. entries], head.Sequence, head.Hash.ToArray()), GroupStateJson.Default.GroupRosterDto));

    public IReadOnlyList<GroupId> Groups() =>
        [.. records.Names(Prefix).Select(n => GroupId.FromHex(StateJson.Read(n, records.Get(n)!, GroupStateJson.Default.GroupRosterDto).GroupId))];
}

/// <summary>
/// <see cref="ISenderKeyStore"/> over protected records (<c>client/group/sender-keys/{h}</c>): the chain keys and private
/// signing keys of a group are sealed under the key ring's KEK like the pairwise sessions.
/// </summary>
internal sealed class RecordSenderKeyStore(ProtectedRecords records, RecordNamer namer) : ISenderKeyStore
{
    public const string Prefix = "client/group/sender-keys/";

    public byte[]? Load(GroupId group) => records.Get(Prefix + namer.Hide(group.Hex));

    public void Store(GroupId group, byte[] state) => records.Put(Prefix + namer.Hide(group.Hex), state);

    public void Delete(GroupId group) => records.Delete(Prefix + namer.Hide(group.Hex));
}
