using System.Text;
using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Metadata;

public class MetadataModelTests
{
    private static string Json(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static string Envelope(string signed) => "{\"signatures\":[],\"signed\":" + signed + "}";

    [Fact]
    public void Root_round_trips_through_canonical_bytes()
    {
        var (key, signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        using var _ = key;
        var root = Metadata<RootMetadata>.Create(TestKeys.Root([signer], 1, version: 3)).Sign(signer);
        var bytes = root.ToBytes();

        var parsed = Metadata<RootMetadata>.FromBytes(bytes);

        Assert.Equal(bytes, parsed.ToBytes());
        Assert.Equal(3, parsed.Signed.Version);
        Assert.True(parsed.Signed.ConsistentSnapshot);
        Assert.Equal(TestKeys.FarFuture, parsed.Signed.Expires);
        Assert.Equal(signer.KeyId, Assert.Single(parsed.Signed.Roles["timestamp"].KeyIds));
        Assert.Equal(signer.KeyId, parsed.Signed.Keys[signer.KeyId].KeyId);
        Assert.Contains("\"expires\":\"2099-01-01T00:00:00Z\"", Json(bytes), StringComparison.Ordinal);
        Assert.Contains("\"spec_version\":\"1.0.31\"", Json(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_with_delegations_round_trip()
    {
        var (key, signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        using var _ = key;
        var targets = new TargetsMetadata
        {
            Version = 2,
            Expires = TestKeys.FarFuture,
            Targets = new Dictionary<string, TargetFile>
            {
                ["firmware/v1.bin"] = new(1024, new Dictionary<string, string>
                {
                    ["sha256"] = new string('0', 64),
                    ["sha512"] = new string('1', 128),
                }, CanonicalJson.ParseObject("{\"channel\":\"stable\",\"rollout\":25}"u8)),
            },
            Delegations = new Delegations
            {
                Keys = new Dictionary<string, TufKey> { [signer.KeyId] = signer.Key },
                Roles =
                [
                    new DelegatedRole { Name = "models", Keys = new RoleKeys([signer.KeyId], 1), Terminating = true, Paths = ["models/*"] },
                    new DelegatedRole { Name = "bins", Keys = new RoleKeys([signer.KeyId], 1), Terminating = false, PathHashPrefixes = ["ab"] },
                ],
            },
        };
        var bytes = Metadata<TargetsMetadata>.Create(targets).ToBytes();

        var parsed = Metadata<TargetsMetadata>.FromBytes(bytes).Signed;

        var file = parsed.Targets["firmware/v1.bin"];
        Assert.Equal(1024, file.Length);
        Assert.Equal(new string('1', 128), file.Hashes["sha512"]);
        Assert.Equal(25, file.Custom!.RequiredInteger("rollout"));
        Assert.Equal(["models", "bins"], parsed.Delegations!.Roles.Select(r => r.Name));
        Assert.True(parsed.Delegations.Roles[0].Terminating);
        Assert.Equal(["models/*"], parsed.Delegations.Roles[0].Paths!);
        Assert.Equal(["ab"], parsed.Delegations.Roles[1].PathHashPrefixes!);
        Assert.Equal(bytes, Metadata<TargetsMetadata>.FromBytes(bytes).ToBytes());
    }

    [Fact]
    public void Snapshot_and_timestamp_round_trip()
    {
        var snapshot = new SnapshotMetadata
        {
            Version = 7,
            Expires = TestKeys.FarFuture,
            Meta = new Dictionary<string, MetaFile> { ["targets.json"] = new(4), ["models.json"] = new(2, 10) },
        };
        var parsedSnapshot = Metadata<SnapshotMetadata>.FromBytes(Metadata<SnapshotMetadata>.Create(snapshot).ToBytes()).Signed;
        Assert.Equal(4, parsedSnapshot.Meta["targets.json"].Version);
        Assert.Null(parsedSnapshot.Meta["targets.json"].Length);
        Assert.Equal(10, parsedSnapshot.Meta["models.json"].Length);

        var parsedTimestamp = Metadata<TimestampMetadata>.FromBytes(Metadata<TimestampMetadata>.Create(TestKeys.Timestamp(5, 7)).ToBytes()).Signed;
        Assert.Equal(7, parsedTimestamp.SnapshotMeta.Version);
        Assert.Equal(123, parsedTimestamp.SnapshotMeta.Length);
    }

    [Fact]
    public void Rejects_metadata_of_another_role()
    {
        var bytes = Metadata<TimestampMetadata>.Create(TestKeys.Timestamp()).ToBytes();
        var e = Assert.Throws<MetadataTypeMismatchException>(() => Metadata<SnapshotMetadata>.FromBytes(bytes));
        Assert.Equal("snapshot", e.Expected);
        Assert.Equal("timestamp", e.Actual);
    }

    private const string TimestampSigned =
        "{\"_type\":\"timestamp\",\"spec_version\":\"1.0.31\",\"version\":VERSION,\"expires\":\"EXPIRES\",\"meta\":META}";

    private const string GoodMeta = "{\"snapshot.json\":{\"version\":1}}";

    [Theory]
    [InlineData("1", "2030-01-01T00:00:00Z", GoodMeta, true)]
    [InlineData("0", "2030-01-01T00:00:00Z", GoodMeta, false)]
    [InlineData("-1", "2030-01-01T00:00:00Z", GoodMeta, false)]
    [InlineData("\"1\"", "2030-01-01T00:00:00Z", GoodMeta, false)]
    [InlineData("1", "2030-01-01T00:00:00.5Z", GoodMeta, false)]
    [InlineData("1", "2030-01-01T00:00:00+00:00", GoodMeta, false)]
    [InlineData("1", "2030-01-01 00:00:00Z", GoodMeta, false)]
    [InlineData("1", "2030-02-30T00:00:00Z", GoodMeta, false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{}", false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{\"snapshot.json\":{\"version\":1},\"targets.json\":{\"version\":1}}", false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{\"snapshot.json\":{\"version\":0}}", false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{\"snapshot.json\":{\"version\":1,\"length\":-1}}", false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{\"snapshot.json\":{\"version\":1,\"hashes\":{}}}", false)]
    [InlineData("1", "2030-01-01T00:00:00Z", "{\"snapshot.json\":{\"version\":1,\"hashes\":{\"sha256\":\"ABCD\"}}}", false)]
    public void Validates_timestamp_fields(string version, string expires, string meta, bool valid)
    {
        var json = Bytes(Envelope(TimestampSigned.Replace("VERSION", version, StringComparison.Ordinal)
            .Replace("EXPIRES", expires, StringComparison.Ordinal).Replace("META", meta, StringComparison.Ordinal)));
        if (valid)
            Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), Metadata<TimestampMetadata>.FromBytes(json).Signed.Expires);
        else
            Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(json));
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("1")]
    [InlineData("v1.0")]
    public void Rejects_other_spec_major_versions(string specVersion)
    {
        var json = Envelope(TimestampSigned.Replace("1.0.31", specVersion, StringComparison.Ordinal)
            .Replace("VERSION", "1", StringComparison.Ordinal).Replace("EXPIRES", "2030-01-01T00:00:00Z", StringComparison.Ordinal)
            .Replace("META", GoodMeta, StringComparison.Ordinal));
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes(json)));
    }

    [Fact]
    public void Rejects_malformed_envelopes()
    {
        var signed = TimestampSigned.Replace("VERSION", "1", StringComparison.Ordinal)
            .Replace("EXPIRES", "2030-01-01T00:00:00Z", StringComparison.Ordinal).Replace("META", GoodMeta, StringComparison.Ordinal);
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes("{\"signed\":" + signed + "}")));
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes("{\"signatures\":[{\"keyid\":\"a\"}],\"signed\":" + signed + "}")));
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes("{\"signatures\":[],\"signed\":" + signed + ",\"extra\":1}")));
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes("{\"signatures\":[],\"signed\":[]}")));
        var many = string.Join(',', Enumerable.Repeat("{\"keyid\":\"a\",\"sig\":\"00\"}", 1025));
        Assert.Throws<MalformedInputException>(() => Metadata<TimestampMetadata>.FromBytes(Bytes("{\"signatures\":[" + many + "],\"signed\":" + signed + "}")));
    }

    [Fact]
    public void Rejects_root_without_all_top_level_roles_or_with_bad_thresholds()
    {
        var (key, signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        using var _ = key;
        var good = Json(Metadata<RootMetadata>.Create(TestKeys.Root([signer], 1)).ToBytes());
        Assert.NotNull(Metadata<RootMetadata>.FromBytes(Bytes(good)));

        var noTimestamp = JsonDocument.Parse(good).RootElement.GetProperty("signed").GetProperty("roles").GetProperty("timestamp").GetRawText();
        Assert.Throws<MalformedInputException>(() => Metadata<RootMetadata>.FromBytes(Bytes(good.Replace("\"timestamp\":" + noTimestamp, "\"timestampX\":" + noTimestamp, StringComparison.Ordinal))));
        Assert.Throws<MalformedInputException>(() => Metadata<RootMetadata>.FromBytes(Bytes(good.Replace("\"threshold\":1", "\"threshold\":0", StringComparison.Ordinal))));
        var keyIds = "[\"" + signer.KeyId + "\"]";
        Assert.Throws<MalformedInputException>(() => Metadata<RootMetadata>.FromBytes(Bytes(good.Replace(keyIds, "[\"" + signer.KeyId + "\",\"" + signer.KeyId + "\"]", StringComparison.Ordinal))));
        Assert.Throws<MalformedInputException>(() => Metadata<RootMetadata>.FromBytes(Bytes(good.Replace("\"consistent_snapshot\":true", "\"consistent_snapshot\":1", StringComparison.Ordinal))));
    }

    [Fact]
    public void Rejects_delegations_with_both_or_neither_path_kinds_and_reserved_names()
    {
        static string Targets(string role) =>
            "{\"_type\":\"targets\",\"spec_version\":\"1.0.31\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{}," +
            "\"delegations\":{\"keys\":{},\"roles\":[" + role + "]}}";
        const string Base = "\"keyids\":[],\"threshold\":1,\"terminating\":false";
        Assert.NotNull(Metadata<TargetsMetadata>.FromBytes(Bytes(Envelope(Targets("{\"name\":\"a\"," + Base + ",\"paths\":[\"x/*\"]}")))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Envelope(Targets("{\"name\":\"a\"," + Base + "}")))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Envelope(Targets("{\"name\":\"a\"," + Base + ",\"paths\":[],\"path_hash_prefixes\":[]}")))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Envelope(Targets("{\"name\":\"root\"," + Base + ",\"paths\":[]}")))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Envelope(Targets("{\"name\":\"a\"," + Base + ",\"paths\":[]},{\"name\":\"a\"," + Base + ",\"paths\":[]}")))));
    }

    [Fact]
    public void Rejects_targets_with_bad_lengths_or_hashes()
    {
        static string Targets(string entry) => Envelope(
            "{\"_type\":\"targets\",\"spec_version\":\"1.0.31\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{\"f\":" + entry + "}}");
        var sha = new string('a', 64);
        Assert.NotNull(Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":0,\"hashes\":{\"sha256\":\"" + sha + "\"}}"))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":-1,\"hashes\":{\"sha256\":\"" + sha + "\"}}"))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":1,\"hashes\":{}}"))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":1,\"hashes\":{\"sha256\":\"abc\"}}"))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":1.5,\"hashes\":{\"sha256\":\"" + sha + "\"}}"))));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(Bytes(Targets("{\"length\":1,\"hashes\":{\"sha256\":\"" + sha + "\"},\"custom\":[]}"))));
    }

    [Fact]
    public void Expiry_is_reached_at_the_expires_instant()
    {
        var timestamp = TestKeys.Timestamp() with { Expires = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        Assert.False(timestamp.IsExpired(new DateTimeOffset(2029, 12, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.True(timestamp.IsExpired(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
