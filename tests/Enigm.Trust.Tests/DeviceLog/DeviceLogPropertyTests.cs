using System.Formats.Cbor;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.Recovery;
using Xunit;
using Xunit.Abstractions;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// Property tests (seeded, so a failure reproduces): random add/revoke/rotate sequences give the trusted
/// set a simple reference model predicts, and no single-byte change to any entry is accepted.
/// </summary>
public sealed class DeviceLogPropertyTests(ITestOutputHelper output)
{
    private const int Runs = 300;

    private static readonly Lazy<PrivateKey[]> Pool = new(() => [.. Enumerable.Range(100, 16).Select(Key)]);

    [Fact]
    public void Random_add_revoke_rotate_sequences_give_the_reference_models_trusted_set()
    {
        var random = new Random(20261125);
        var keys = Pool.Value;
        var operations = 0;
        var refused = 0;
        for (var run = 0; run < Runs; run++)
        {
            var nextKey = random.Next(keys.Length);
            int FreshKey() => nextKey++ % keys.Length;

            // Reference model: device id → index of its current key; revoked ids.
            var trusted = new Dictionary<string, int>(StringComparer.Ordinal) { ["d0"] = FreshKey() };
            var revoked = new HashSet<string>(StringComparer.Ordinal);
            var writer = DeviceLogWriter.CreateGenesis("d0", "device 0", keys[trusted["d0"]]);
            var count = random.Next(1, 7);
            for (var op = 0; op < count; op++, operations++)
            {
                var ids = trusted.Keys.Order(StringComparer.Ordinal).ToList();
                string Pick() => ids[random.Next(ids.Count)];
                switch (random.Next(10))
                {
                    case < 4:
                        {
                            var id = $"d{run}-{op}";
                            var (key, signer) = (FreshKey(), Pick());
                            writer.AddDevice(id, $"device {id}", keys[key], signer, keys[trusted[signer]]);
                            trusted[id] = key;
                            break;
                        }

                    case < 7 when ids.Count >= 2:
                        {
                            var victim = Pick();
                            var signer = ids.Where(i => i != victim).ElementAt(random.Next(ids.Count - 1));
                            writer.RevokeDevice(victim, "test", signer, keys[trusted[signer]]);
                            trusted.Remove(victim);
                            revoked.Add(victim);
                            break;
                        }

                    case < 9:
                        {
                            var id = Pick();
                            var key = FreshKey();
                            if (key == trusted[id]) key = FreshKey();
                            writer.RotateDeviceKey(id, keys[trusted[id]], keys[key]);
                            trusted[id] = key;
                            break;
                        }

                    default:
                        {
                            // A revoked device (or a device revoking itself) tries to act: refused, nothing changes.
                            var head = writer.Head;
                            if (revoked.Count > 0)
                                Assert.Throws<UntrustedSignerException>(() => writer.AddDevice($"x{run}-{op}", "x", keys[FreshKey()], revoked.First(), keys[0]));
                            else
                                Assert.Throws<UntrustedSignerException>(() => writer.RevokeDevice(ids[0], "self", ids[0], keys[trusted[ids[0]]]));
                            Assert.Equal(head, writer.Head);
                            refused++;
                            break;
                        }
                }
            }

            var set = DeviceLogVerifier.Verify(writer.Entries);
            Assert.Equal(trusted.Keys.Order(StringComparer.Ordinal), set.Devices.Select(d => d.Id).Order(StringComparer.Ordinal));
            Assert.All(set.Devices, d => Assert.Equal(Encoded(keys[trusted[d.Id]]), d.PublicKey));
            Assert.Equal(revoked.Order(StringComparer.Ordinal), set.RevokedDevices.Select(d => d.Id).Order(StringComparer.Ordinal));
        }

        output.WriteLine($"{Runs} runs, {operations} operations, {refused} refused as planned");
    }

    [Fact]
    public void Any_single_byte_change_to_any_entry_is_rejected()
    {
        using var recovery = RecoveryKey.Generate();
        var writer = Sample();
        writer.AddRecoveryKey(recovery, "paper", "phone", Key(1));
        writer.RevokeRecoveryKey(recovery.Id, "reprinted", "laptop", Key(4));
        var entries = writer.Entries;
        var random = new Random(6);
        var covered = new SortedDictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < entries.Count; i++)
        {
            // A replay of the entries before i; a rejected entry leaves its state unchanged, so one replay
            // serves every change to entry i. Entry i must fail on its own, not merely because the next
            // entry's link would no longer match.
            var replay = new DeviceLogReplay();
            foreach (var before in entries.Take(i)) replay.Apply(before);
            foreach (var (region, start, length) in Regions(entries[i]))
            {
                foreach (var position in new[] { start, start + (length / 2), start + length - 1, start + random.Next(length), start + random.Next(length) }.Distinct())
                {
                    var tampered = (byte[])entries[i].Clone();
                    tampered[position] ^= (byte)random.Next(1, 256);
                    var error = Record.Exception(() => replay.Apply(tampered));
                    Assert.True(error is EnigmException, $"entry {i} {region} byte {position}: {(error is null ? "accepted" : error.GetType().Name)}");
                    Assert.Equal(i, replay.Count);
                    covered[region] = covered.GetValueOrDefault(region) + 1;
                }
            }
        }

        string[] expected = ["framing", "version", "suite", "type", "sequence", "previous-hash", "kind", "timestamp", "subject-id", "subject-name", "subject-key", "reason", "signer-id", "signature"];
        Assert.All(expected, r => Assert.Contains(r, covered.Keys));
        output.WriteLine(string.Join(", ", covered.Select(c => $"{c.Key}={c.Value}")));
    }

    /// <summary>The byte ranges of an entry's fields (each item including its CBOR head).</summary>
    private static List<(string Region, int Start, int Length)> Regions(byte[] entry)
    {
        var regions = new List<(string, int, int)>();
        var reader = new CborReader(entry, CborConformanceMode.Canonical);
        int Offset() => entry.Length - reader.BytesRemaining;
        void Item(string name, Action read)
        {
            var start = Offset();
            read();
            regions.Add((name, start, Offset() - start));
        }

        Item("framing", () => reader.ReadStartArray());
        Item("version", () => reader.ReadUInt32());
        Item("suite", () => reader.ReadUInt32());
        Item("type", () => reader.ReadUInt32());
        var bodyStart = Offset();
        var body = reader.ReadByteString();
        var contentStart = Offset() - body.Length;
        regions.Add(("framing", bodyStart, contentStart - bodyStart));
        var inner = new CborReader(body, CborConformanceMode.Canonical);
        int Inner() => contentStart + body.Length - inner.BytesRemaining;
        void BodyItem(string name, Action read)
        {
            var start = Inner();
            read();
            if (Inner() > start) regions.Add((name, start, Inner() - start));
        }

        BodyItem("framing", () => inner.ReadStartArray());
        BodyItem("sequence", () => inner.ReadUInt64());
        BodyItem("previous-hash", () => inner.ReadByteString());
        BodyItem("kind", () => inner.ReadUInt32());
        BodyItem("timestamp", () => inner.ReadUInt64());
        BodyItem("subject-id", () => inner.ReadTextString());
        BodyItem("subject-name", () => inner.ReadTextString());
        BodyItem("subject-key", () => inner.ReadByteString());
        BodyItem("reason", () => inner.ReadTextString());

        var count = reader.ReadStartArray() ?? 0;
        regions.Add(("framing", Offset() - 1, 1));
        for (var s = 0; s < count; s++)
        {
            Item("framing", () => reader.ReadStartArray());
            Item("signer-id", () => reader.ReadTextString());
            Item("signature", () => reader.ReadByteString());
            reader.ReadEndArray();
        }

        return regions;
    }
}
