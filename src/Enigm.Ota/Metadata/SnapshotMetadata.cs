using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>TUF 4.4 METAFILES entry: the version of a metadata file, optionally its length and hashes.</summary>
public sealed record MetaFile
{
    public MetaFile(long version, long? length = null, IReadOnlyDictionary<string, string>? hashes = null)
    {
        if (version < 1) throw new MalformedInputException($"Meta version {version} is below 1.");
        if (length < 0) throw new MalformedInputException("Meta length is negative.");
        if (hashes is { Count: 0 }) throw new MalformedInputException("Meta hashes are empty.");
        Version = version;
        Length = length;
        Hashes = hashes;
    }

    public long Version { get; }

    public long? Length { get; }

    public IReadOnlyDictionary<string, string>? Hashes { get; }
}

/// <summary>Shared reading and writing of the "meta" member of snapshot and timestamp.</summary>
public abstract record MetaRoleMetadata : RoleMetadata
{
    public required IReadOnlyDictionary<string, MetaFile> Meta { get; init; }

    private protected static Dictionary<string, MetaFile> ReadMeta(JsonObjectValue meta)
    {
        var result = new Dictionary<string, MetaFile>(StringComparer.Ordinal);
        foreach (var (name, value) in meta)
        {
            var entry = value as JsonObjectValue ?? throw new MalformedInputException($"Meta {name} is not an object.");
            long? length = entry.ContainsKey("length") ? ReadLength(entry, name) : null;
            var hashesJson = entry.Optional<JsonObjectValue>("hashes");
            var hashes = hashesJson is null ? null : ReadHashes(hashesJson, name);
            result[name] = new MetaFile(entry.RequiredInteger("version"), length, hashes);
        }

        return result;
    }

    private protected override void AddMembers(List<KeyValuePair<string, JsonNodeValue>> members) =>
        members.Add(new("meta", new JsonObjectValue(Meta.Select(m =>
        {
            var entry = new List<KeyValuePair<string, JsonNodeValue>> { new("version", new JsonIntegerValue(m.Value.Version)) };
            if (m.Value.Length is { } length) entry.Add(new("length", new JsonIntegerValue(length)));
            if (m.Value.Hashes is { } hashes) entry.Add(new("hashes", HashesToJson(hashes)));
            return new KeyValuePair<string, JsonNodeValue>(m.Key, new JsonObjectValue(entry));
        }))));
}

/// <summary>TUF 4.4 snapshot.json: the versions of targets.json and every delegated targets role.</summary>
public sealed record SnapshotMetadata : MetaRoleMetadata, IRoleMetadata<SnapshotMetadata>
{
    public static string RoleType => "snapshot";

    public override string Type => RoleType;

    public static SnapshotMetadata FromJson(JsonObjectValue signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var (specVersion, version, expires) = ReadCommon(signed, RoleType);
        return new SnapshotMetadata
        {
            SpecVersion = specVersion,
            Version = version,
            Expires = expires,
            Meta = ReadMeta(signed.Required<JsonObjectValue>("meta")),
        };
    }
}

/// <summary>TUF 4.6 timestamp.json: the version (and length, hashes) of snapshot.json, and nothing else.</summary>
public sealed record TimestampMetadata : MetaRoleMetadata, IRoleMetadata<TimestampMetadata>
{
    public const string SnapshotFileName = "snapshot.json";

    public static string RoleType => "timestamp";

    public override string Type => RoleType;

    public MetaFile SnapshotMeta => Meta[SnapshotFileName];

    public static TimestampMetadata FromJson(JsonObjectValue signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var (specVersion, version, expires) = ReadCommon(signed, RoleType);
        var meta = ReadMeta(signed.Required<JsonObjectValue>("meta"));
        if (meta.Count != 1 || !meta.ContainsKey(SnapshotFileName))
            throw new MalformedInputException("Timestamp meta must list snapshot.json and only it.");
        return new TimestampMetadata { SpecVersion = specVersion, Version = version, Expires = expires, Meta = meta };
    }
}
