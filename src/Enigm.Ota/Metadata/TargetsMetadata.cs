using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>TUF 4.5 TARGETS entry: length, hashes and optional custom data of one target file.</summary>
public sealed record TargetFile
{
    public TargetFile(long length, IReadOnlyDictionary<string, string> hashes, JsonObjectValue? custom = null)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (length < 0) throw new MalformedInputException("Target length is negative.");
        if (hashes.Count == 0) throw new MalformedInputException("Target hashes are empty.");
        Length = length;
        Hashes = hashes;
        Custom = custom;
    }

    public long Length { get; }

    public IReadOnlyDictionary<string, string> Hashes { get; }

    /// <summary>Opaque application data; Enigm puts eligibility rules here.</summary>
    public JsonObjectValue? Custom { get; }
}

/// <summary>
/// TUF 4.5 DELEGATIONS role entry: a delegated targets role with its keys, threshold, the target
/// paths it is trusted for (either <c>paths</c> patterns or <c>path_hash_prefixes</c>) and whether the
/// search stops at it (<c>terminating</c>).
/// </summary>
public sealed record DelegatedRole
{
    public required string Name { get; init; }

    public required RoleKeys Keys { get; init; }

    public required bool Terminating { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? PathHashPrefixes { get; init; }
}

/// <summary>TUF 4.5 "delegations": the keys delegated roles use and the ordered list of roles.</summary>
public sealed record Delegations
{
    public required IReadOnlyDictionary<string, TufKey> Keys { get; init; }

    /// <summary>In priority order (TUF 5.6.7.2: the first matching role wins for a terminating one).</summary>
    public required IReadOnlyList<DelegatedRole> Roles { get; init; }
}

/// <summary>TUF 4.5 targets.json (top-level or delegated): the trusted target files and delegations.</summary>
public sealed record TargetsMetadata : RoleMetadata, IRoleMetadata<TargetsMetadata>
{
    public static string RoleType => "targets";

    public override string Type => RoleType;

    public required IReadOnlyDictionary<string, TargetFile> Targets { get; init; }

    public Delegations? Delegations { get; init; }

    public static TargetsMetadata FromJson(JsonObjectValue signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var (specVersion, version, expires) = ReadCommon(signed, RoleType);
        var targetsJson = signed.Required<JsonObjectValue>("targets");
        var targets = new Dictionary<string, TargetFile>(targetsJson.Count, StringComparer.Ordinal);
        foreach (var (path, value) in targetsJson.Members)
        {
            var entry = value as JsonObjectValue ?? throw new MalformedInputException($"Target {path} is not an object.");
            targets[path] = new TargetFile(
                ReadLength(entry, path),
                ReadHashes(entry.Required<JsonObjectValue>("hashes"), path),
                entry.Optional<JsonObjectValue>("custom"));
        }

        var delegations = signed.Optional<JsonObjectValue>("delegations");
        return new TargetsMetadata
        {
            SpecVersion = specVersion,
            Version = version,
            Expires = expires,
            Targets = targets,
            Delegations = delegations is null ? null : ReadDelegations(delegations),
        };
    }

    private static Delegations ReadDelegations(JsonObjectValue json)
    {
        // TAP 15 "succinct_roles" is not supported yet; TUF 4.5 "roles" is required.
        var roles = new List<DelegatedRole>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in json.Required<JsonArrayValue>("roles"))
        {
            var role = value as JsonObjectValue ?? throw new MalformedInputException("Delegated role is not an object.");
            var name = role.RequiredString("name");
            if (RootMetadata.TopLevelRoles.Contains(name))
                throw new MalformedInputException($"Delegated role may not be named {name}.");
            if (!names.Add(name)) throw new MalformedInputException($"Delegated role {name} is listed twice.");
            var paths = ReadStrings(role.Optional<JsonArrayValue>("paths"), name);
            var prefixes = ReadStrings(role.Optional<JsonArrayValue>("path_hash_prefixes"), name);
            if ((paths is null) == (prefixes is null))
                throw new MalformedInputException($"Delegated role {name} must have exactly one of paths and path_hash_prefixes.");
            roles.Add(new DelegatedRole
            {
                Name = name,
                Keys = RoleKeys.FromJson(role),
                Terminating = role.RequiredBool("terminating"),
                Paths = paths,
                PathHashPrefixes = prefixes,
            });
        }

        return new Delegations { Keys = RootMetadata.ReadKeys(json.Required<JsonObjectValue>("keys")), Roles = roles };
    }

    private static List<string>? ReadStrings(JsonArrayValue? array, string context) =>
        array?.Select(v => (v as JsonStringValue)?.Value ?? throw new MalformedInputException($"Delegated role {context}: non-string path.")).ToList();

    private static JsonArrayValue StringsToJson(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNodeValue)new JsonStringValue(v)).ToList());

    private protected override void AddMembers(List<KeyValuePair<string, JsonNodeValue>> members)
    {
        members.Add(new("targets", new JsonObjectValue(Targets.Select(t =>
        {
            var entry = new List<KeyValuePair<string, JsonNodeValue>>
            {
                new("length", new JsonIntegerValue(t.Value.Length)),
                new("hashes", HashesToJson(t.Value.Hashes)),
            };
            if (t.Value.Custom is { } custom) entry.Add(new("custom", custom));
            return new KeyValuePair<string, JsonNodeValue>(t.Key, new JsonObjectValue(entry));
        }))));
        if (Delegations is not { } delegations) return;
        var roles = delegations.Roles.Select(r =>
        {
            var entry = new List<KeyValuePair<string, JsonNodeValue>>
            {
                new("name", new JsonStringValue(r.Name)),
                new("terminating", JsonBoolValue.Of(r.Terminating)),
            };
            r.Keys.AddMembers(entry);
            if (r.Paths is { } paths) entry.Add(new("paths", StringsToJson(paths)));
            if (r.PathHashPrefixes is { } prefixes) entry.Add(new("path_hash_prefixes", StringsToJson(prefixes)));
            return (JsonNodeValue)new JsonObjectValue(entry);
        }).ToList();
        members.Add(new("delegations", new JsonObjectValue(
        [
            new("keys", RootMetadata.KeysToJson(delegations.Keys)),
            new("roles", new JsonArrayValue(roles)),
        ])));
    }
}
