using System.Text.Json.Nodes;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Keys.Audit;
using Xunit;

namespace Enigm.Keys.Tests.Audit;

public sealed class AuditExportTests
{
    private static readonly Lazy<string> Exported = new(() =>
    {
        using var log = new AuditTestLog();
        log.Fill(8, 3);
        log.Append("revoke", null, "authority=root.v1 \"quoted\" ünïcode", AuditTestLog.Start.AddDays(1));
        log.Checkpoint(AuditTestLog.Start.AddDays(1).AddMinutes(1));
        return AuditExport.ToJson(AuditLog.ReadEntries(log.Connection), AuditLog.ReadCheckpoints(log.Connection));
    });

    private static AuditVerification VerifyJson(string json)
    {
        var (entries, checkpoints) = AuditExport.FromJson(json);
        return AuditVerifier.Verify(entries, checkpoints, AuditTestLog.Trusted, CryptoProviders.Default);
    }

    private static string Edit(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Exported.Value)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    private static JsonArray Entries(JsonObject root) => root["entries"]!.AsArray();

    [Fact]
    public void Export_round_trips_and_the_copy_verifies()
    {
        using var log = new AuditTestLog();
        log.Fill(5, 5);
        log.Append("destroy", "key-2.v1", "", AuditTestLog.Start.AddDays(2));
        var entries = AuditLog.ReadEntries(log.Connection);
        var checkpoints = AuditLog.ReadCheckpoints(log.Connection);

        var (readEntries, readCheckpoints) = AuditExport.FromJson(AuditExport.ToJson(entries, checkpoints));

        Assert.Equal(entries.Count, readEntries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal((entries[i].Sequence, entries[i].Time, entries[i].Event, entries[i].KeyId, entries[i].Detail), (readEntries[i].Sequence, readEntries[i].Time, readEntries[i].Event, readEntries[i].KeyId, readEntries[i].Detail));
            Assert.Equal(entries[i].PreviousHash, readEntries[i].PreviousHash);
            Assert.Equal(entries[i].Hash, readEntries[i].Hash);
        }

        var checkpoint = Assert.Single(readCheckpoints);
        Assert.Equal(checkpoints[0].Signature, checkpoint.Signature);
        Assert.Equal(checkpoints[0].SignerPublicKey, checkpoint.SignerPublicKey);
        Assert.True(AuditVerifier.Verify(readEntries, readCheckpoints, AuditTestLog.Trusted, CryptoProviders.Default).Ok);
    }

    [Fact]
    public void The_unmodified_export_verifies()
    {
        var result = VerifyJson(Exported.Value);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(9, result.EntriesChecked);
    }

    [Fact]
    public void A_text_edit_in_the_exported_copy_is_pinpointed()
    {
        // What the demo does: change one word in a copy of the log.
        var tampered = Exported.Value.Replace("authority=root.v1", "authority=evil.v1", StringComparison.Ordinal);
        Assert.NotEqual(Exported.Value, tampered);

        var result = VerifyJson(tampered);

        Assert.False(result.Ok);
        Assert.Equal(9, result.FirstBadPosition);
    }

    [Fact]
    public void Removed_reordered_and_inserted_entries_in_the_copy_are_pinpointed()
    {
        var removed = Edit(root => Entries(root).RemoveAt(4));
        var reordered = Edit(root =>
        {
            var entries = Entries(root);
            var sixth = entries[5]!;
            entries.RemoveAt(5);
            entries.Insert(6, sixth);
        });
        var inserted = Edit(root =>
        {
            var entries = Entries(root);
            var forged = AuditTamperTests.ForgedEntry(Convert.FromHexString(entries[1]!["hash"]!.GetValue<string>()), 3, "activate", "attacker.v1");
            entries.Insert(2, JsonNode.Parse(AuditExport.ToJson([forged], []))!["entries"]![0]!.DeepClone());
        });

        Assert.Equal((5L, true), Summary(VerifyJson(removed), "removed"));
        Assert.Equal((6L, true), Summary(VerifyJson(reordered), "reordered"));
        Assert.Equal((3L, true), Summary(VerifyJson(inserted), "inserted"));
    }

    [Fact]
    public void A_forged_checkpoint_in_the_copy_is_pinpointed()
    {
        var forged = Edit(root => root["checkpoints"]![0]!["time"] = root["checkpoints"]![0]!["time"]!.GetValue<long>() + 1);

        var result = VerifyJson(forged);

        Assert.Equal(3, result.FirstBadPosition);
        Assert.Contains("signature", result.Problem);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1","entries":[]}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v2","entries":[],"checkpoints":[]}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1","entries":[],"checkpoints":[],"extra":1}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1","entries":[],"entries":[],"checkpoints":[]}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1","entries":[],"checkpoints":[],}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1",/*c*/"entries":[],"checkpoints":[]}""")]
    [InlineData("""{"format":"enigm-keys/audit-export/v1","entries":{},"checkpoints":[]}""")]
    public void Structurally_wrong_exports_are_malformed(string json) =>
        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(json));

    [Theory]
    [InlineData("sequence", "1e0")]
    [InlineData("sequence", "1.0")]
    [InlineData("sequence", "\"1\"")]
    [InlineData("time", "-1")]
    [InlineData("time", "99999999999999999999")]
    [InlineData("event", "\"\"")]
    [InlineData("event", "\"gen\\u001berate\"")]
    [InlineData("keyId", "\"\"")]
    [InlineData("hash", "\"ABCDEF\"")]
    public void Entry_fields_with_wrong_types_or_values_are_malformed(string field, string rawValue)
    {
        var json = Edit(root => Entries(root)[0]![field] = JsonNode.Parse(rawValue));
        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(json));
    }

    [Fact]
    public void Lone_surrogates_escaped_or_raw_are_malformed()
    {
        var escaped = Exported.Value.Replace("\"keyId\": \"key-1.v1\"", "\"keyId\": \"\\ud800\"", StringComparison.Ordinal);
        var raw = Exported.Value.Replace("\"keyId\": \"key-1.v1\"", "\"keyId\": \"\ud800\"", StringComparison.Ordinal);
        Assert.NotEqual(Exported.Value, escaped);

        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(escaped));
        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(raw));
    }

    [Fact]
    public void Uppercase_hex_and_non_canonical_base64_are_malformed()
    {
        var upper = Edit(root => Entries(root)[0]!["hash"] = Entries(root)[0]!["hash"]!.GetValue<string>().ToUpperInvariant());
        var spaced = Edit(root => root["checkpoints"]![0]!["signature"] = " " + root["checkpoints"]![0]!["signature"]!.GetValue<string>());

        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(upper));
        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(spaced));
    }

    [Fact]
    public void Oversized_export_is_malformed()
    {
        Assert.Throws<MalformedInputException>(() => AuditExport.FromJson(Exported.Value, Exported.Value.Length - 1));
        Assert.Equal(9, AuditExport.FromJson(Exported.Value, Exported.Value.Length).Entries.Count);
    }

    [Fact]
    public void Random_mutations_of_an_export_give_only_typed_errors()
    {
        var random = new Random(20250301);
        var original = Exported.Value;
        var parsed = 0;
        for (var i = 0; i < 500; i++)
        {
            var json = Mutate(original, random);
            try
            {
                var (entries, checkpoints) = AuditExport.FromJson(json);
                parsed++;

                // Whatever parses, the verifier judges without throwing.
                var result = AuditVerifier.Verify(entries, checkpoints, AuditTestLog.Trusted, CryptoProviders.Default);
                Assert.True(result.Ok || result.FirstBadPosition >= 1, result.Problem);
            }
            catch (MalformedInputException)
            {
            }
        }

        Assert.InRange(parsed, 1, 499);
    }

    private static (long? Position, bool Mentions) Summary(AuditVerification result, string word) =>
        (result.FirstBadPosition, result.Problem?.Contains(word, StringComparison.Ordinal) ?? false);

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && chars.Count > 0; edits--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(5))
            {
                case 0: chars[at] = (char)random.Next(32, 127); break;
                case 1: chars.RemoveAt(at); break;
                case 2: chars.Insert(at, "{}[],:\"\\0123456789aef-e."[random.Next(24)]); break;
                case 3: chars.RemoveRange(at, chars.Count - at); break;
                default: chars[at] = (char)random.Next(0, 0x10000); break;
            }
        }

        return new string([.. chars]);
    }
}
