using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Groups.Roster;
using Enigm.Trust.DeviceLog;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The <c>group-roster-entry</c> fixture's device logs and two-entry roster, fixed bytes shared by every process.
/// Composite signatures are hedged, and an account's fingerprint is the hash of its genesis entry (signature
/// included): a fixture made afresh in each process has other accounts and another prefix, so seeds written by
/// one process (<c>--write-seeds</c>, the committed corpus) would never link to the fuzzing process's roster. The
/// keys come from fixed seeds, so stored entries stay valid for them; entries signed later by any process (the
/// seeds) link to this prefix. Made once with <c>Enigm.Fuzz --write-group-roster-fixture FILE</c>; the harness
/// embeds <c>Data/group-roster-fixture.cbor</c> and verifies every log and the prefix when it loads them.
/// </summary>
internal static class GroupRosterFixtureData
{
    private const string ResourceName = "Enigm.Fuzz.Data.group-roster-fixture.cbor";

    public sealed record Data(IReadOnlyList<IReadOnlyList<byte[]>> Logs, IReadOnlyList<byte[]> Prefix);

    /// <summary>Creates the logs of alice, bob and carol and a roster (alice creates, adds bob), as <see cref="Load"/> reads them.</summary>
    public static byte[] Create(PrivateKey alice, PrivateKey bob, PrivateKey carol, DeviceLogWriterOptions logOptions, GroupRosterWriterOptions rosterOptions)
    {
        var logs = new[] { ("alice-phone", alice), ("bob-phone", bob), ("carol-phone", carol) }
            .Select(d => DeviceLogWriter.CreateGenesis(d.Item1, "Phone", d.Item2, logOptions)).ToList();
        var states = logs.Select(l => l.State).ToDictionary(s => s.Account);
        var writer = GroupRosterWriter.Create("fuzz group", new GroupSigner(logs[0].Account, "alice-phone", alice), a => states.GetValueOrDefault(a), rosterOptions);
        writer.Add(logs[1].Account);
        var cbor = CanonicalCbor.CreateWriter();
        cbor.WriteStartArray(logs.Count + 1);
        foreach (var entries in logs.Select(l => l.Entries).Append(writer.Entries))
        {
            cbor.WriteStartArray(entries.Count);
            foreach (var entry in entries) cbor.WriteByteString(entry);
            cbor.WriteEndArray();
        }

        cbor.WriteEndArray();
        return cbor.Encode();
    }

    /// <summary>The embedded data, or null when the harness was built without it (the fixture is then made in-process).</summary>
    public static Data? Load()
    {
        using var stream = typeof(GroupRosterFixtureData).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="Create"/> wrote.</summary>
    public static Data Read(byte[] bytes)
    {
        var reader = new CborReader(bytes, CborConformanceMode.Canonical);
        var lists = new List<IReadOnlyList<byte[]>>();
        var count = reader.ReadStartArray() ?? 0;
        for (var i = 0; i < count; i++)
        {
            var entries = new List<byte[]>();
            var n = reader.ReadStartArray() ?? 0;
            for (var j = 0; j < n; j++) entries.Add(reader.ReadByteString());
            reader.ReadEndArray();
            lists.Add(entries);
        }

        reader.ReadEndArray();
        return new Data(lists[..^1], lists[^1]);
    }
}
