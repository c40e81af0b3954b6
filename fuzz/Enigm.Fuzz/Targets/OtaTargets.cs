using System.Text;
using Enigm.Ota.Metadata;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The OTA metadata decoders: the strict canonical JSON reader (<c>CanonicalJson.Parse</c>) and the TUF
/// envelope and role parsers (<c>Metadata&lt;T&gt;.FromBytes</c>). Accepted input must re-serialise to
/// canonical JSON that parses back to the same canonical bytes (idempotence).
/// </summary>
internal static class OtaTargets
{
    public static FuzzTarget CanonicalJsonReader { get; } = new(
        "canonical-json",
        "CanonicalJson.Parse on untrusted bytes; typed rejection; canonical re-serialisation is a fixed point.",
        static () => { },
        RunJson,
        JsonSeeds);

    /// <summary>Input: byte 0 picks the role (root, targets, snapshot, timestamp), the rest is the metadata file.</summary>
    public static FuzzTarget TufMetadata { get; } = new(
        "tuf-metadata",
        "Metadata<T>.FromBytes for the four TUF roles (byte 0 picks the role); typed rejection; canonical round trip.",
        static () => { },
        RunMetadata,
        MetadataSeeds);

    private static void RunJson(ReadOnlySpan<byte> input)
    {
        var canonical = CanonicalJson.Serialize(CanonicalJson.Parse(input));
        var again = CanonicalJson.Serialize(CanonicalJson.Parse(canonical));
        FuzzInvariantException.Check(canonical.AsSpan().SequenceEqual(again), "canonical JSON is not a fixed point of parse/serialise");
    }

    private static void RunMetadata(ReadOnlySpan<byte> input)
    {
        // Empty input still goes through an instrumented decoder (as the root role): afl-fuzz's dry run now and then
        // hands the target an empty first input (seen with afl++ 4.04c and SharpFuzz's fork server), and an input that
        // touches no instrumented code makes afl-fuzz abort with "No instrumentation detected".
        var json = input.IsEmpty ? input : input[1..];
        switch (input.IsEmpty ? 0 : input[0] % 4)
        {
            case 0: RoundTrip<RootMetadata>(json); break;
            case 1: RoundTrip<TargetsMetadata>(json); break;
            case 2: RoundTrip<SnapshotMetadata>(json); break;
            default: RoundTrip<TimestampMetadata>(json); break;
        }
    }

    private static void RoundTrip<T>(ReadOnlySpan<byte> json)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        var metadata = Metadata<T>.FromBytes(json);
        // The bytes signatures are checked over are exactly the canonical form of what is trusted,
        // whether they came from the input (canonical shortcut) or from re-serialisation.
        FuzzInvariantException.Check(metadata.SignedBytes.SequenceEqual(CanonicalJson.Serialize(metadata.SignedJson)), $"{typeof(T).Name}: signed bytes differ from the canonical form");
        var bytes = metadata.ToBytes();
        var again = Metadata<T>.FromBytes(bytes).ToBytes();
        FuzzInvariantException.Check(bytes.AsSpan().SequenceEqual(again), $"{typeof(T).Name} does not round-trip canonically");
    }

    private const string Expires = "\"expires\":\"2030-01-01T00:00:00Z\"";
    private const string Signatures = "\"signatures\":[{\"keyid\":\"" + "ab12" + "\",\"sig\":\"cd34\"}]";

    private static IEnumerable<FuzzSeed> JsonSeeds() =>
    [
        new("object", Encoding.UTF8.GetBytes("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\\\\\\\"\"}}")),
        new("indented", Encoding.UTF8.GetBytes("{\n  \"z\": -9223372036854775808,\n  \"a\": \"\u00e9\"\n}")),
        new("duplicate-key", Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2}")),
        new("float", Encoding.UTF8.GetBytes("[1.5]")),
    ];

    private static IEnumerable<FuzzSeed> MetadataSeeds() =>
    [
        Role(3, "timestamp", "\"meta\":{\"snapshot.json\":{\"version\":1}}"),
        Role(2, "snapshot", "\"meta\":{\"targets.json\":{\"version\":1}}"),
        Role(1, "targets", "\"targets\":{\"app.bin\":{\"hashes\":{\"sha256\":\"" + new string('a', 64) + "\"},\"length\":3}}"),
        Role(0, "root", "\"consistent_snapshot\":true,\"keys\":{},\"roles\":{}"),
    ];

    private static FuzzSeed Role(byte selector, string type, string body) =>
        new(type, [selector, .. Encoding.UTF8.GetBytes(
            "{" + Signatures + ",\"signed\":{\"_type\":\"" + type + "\"," + body + "," + Expires + ",\"spec_version\":\"1.0.31\",\"version\":1}}")]);
}
