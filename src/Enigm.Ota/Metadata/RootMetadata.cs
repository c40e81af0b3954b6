using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>TUF 4.3 root.json: the keys and thresholds of the four top-level roles.</summary>
public sealed record RootMetadata : RoleMetadata, IRoleMetadata<RootMetadata>
{
    public static readonly IReadOnlyList<string> TopLevelRoles = ["root", "targets", "snapshot", "timestamp"];

    public static string RoleType => "root";

    public override string Type => RoleType;

    public required bool ConsistentSnapshot { get; init; }

    /// <summary>keyid → key, for every key any top-level role uses.</summary>
    public required IReadOnlyDictionary<string, TufKey> Keys { get; init; }

    /// <summary>root, targets, snapshot, timestamp → keyids and threshold.</summary>
    public required IReadOnlyDictionary<string, RoleKeys> Roles { get; init; }

    public RoleKeys RoleFor(string role) =>
        Roles.TryGetValue(role, out var keys) ? keys : throw new MalformedInputException($"Root does not define role {role}.");

    public static RootMetadata FromJson(JsonObjectValue signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var (specVersion, version, expires) = ReadCommon(signed, RoleType);
        var roles = new Dictionary<string, RoleKeys>(StringComparer.Ordinal);
        foreach (var (name, value) in signed.Required<JsonObjectValue>("roles"))
            roles[name] = RoleKeys.FromJson(value as JsonObjectValue ?? throw new MalformedInputException($"Root role {name} is not an object."));
        // TUF 4.3: root MUST specify the four top-level roles.
        foreach (var required in TopLevelRoles)
            if (!roles.ContainsKey(required)) throw new MalformedInputException($"Root does not define role {required}.");
        return new RootMetadata
        {
            SpecVersion = specVersion,
            Version = version,
            Expires = expires,
            ConsistentSnapshot = signed.RequiredBool("consistent_snapshot"),
            Keys = ReadKeys(signed.Required<JsonObjectValue>("keys")),
            Roles = roles,
        };
    }

    internal static Dictionary<string, TufKey> ReadKeys(JsonObjectValue keys)
    {
        var result = new Dictionary<string, TufKey>(StringComparer.Ordinal);
        foreach (var (keyId, value) in keys)
            result[keyId] = TufKey.FromJson(value as JsonObjectValue ?? throw new MalformedInputException($"Key {keyId} is not an object."));
        return result;
    }

    internal static JsonObjectValue KeysToJson(IReadOnlyDictionary<string, TufKey> keys) =>
        new(keys.Select(k => new KeyValuePair<string, JsonNodeValue>(k.Key, k.Value.Json)));

    private protected override void AddMembers(List<KeyValuePair<string, JsonNodeValue>> members)
    {
        members.Add(new("consistent_snapshot", JsonBoolValue.Of(ConsistentSnapshot)));
        members.Add(new("keys", KeysToJson(Keys)));
        members.Add(new("roles", new JsonObjectValue(Roles.Select(r =>
        {
            var roleMembers = new List<KeyValuePair<string, JsonNodeValue>>();
            r.Value.AddMembers(roleMembers);
            return new KeyValuePair<string, JsonNodeValue>(r.Key, new JsonObjectValue(roleMembers));
        }))));
    }
}
