using System.Globalization;
using System.Text.RegularExpressions;
using Enigm.Crypto.Errors;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>
/// The members every top-level role's "signed" object carries (TUF 4.2): <c>_type</c>,
/// <c>spec_version</c>, <c>version</c> and <c>expires</c>.
/// </summary>
public abstract partial record RoleMetadata
{
    /// <summary>The TUF specification version Enigm writes.</summary>
    public const string CurrentSpecVersion = "1.0.31";

    private const string ExpiresFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The role's <c>_type</c>: root, targets, snapshot or timestamp.</summary>
    public abstract string Type { get; }

    public string SpecVersion { get; init; } = CurrentSpecVersion;

    public required long Version { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public bool IsExpired(DateTimeOffset now) => now >= Expires;

    /// <summary>The signed object in the canonical JSON model.</summary>
    public JsonObjectValue ToJson()
    {
        var members = new List<KeyValuePair<string, JsonNodeValue>>
        {
            new("_type", new JsonStringValue(Type)),
            new("spec_version", new JsonStringValue(SpecVersion)),
            new("version", new JsonIntegerValue(Version)),
            new("expires", new JsonStringValue(FormatExpires(Expires))),
        };
        AddMembers(members);
        return new JsonObjectValue(members);
    }

    private protected abstract void AddMembers(List<KeyValuePair<string, JsonNodeValue>> members);

    public static string FormatExpires(DateTimeOffset expires) =>
        expires.ToUniversalTime().ToString(ExpiresFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads and validates the common members; <paramref name="expectedType"/> must match <c>_type</c>.</summary>
    private protected static (string SpecVersion, long Version, DateTimeOffset Expires) ReadCommon(JsonObjectValue json, string expectedType)
    {
        var type = json.RequiredString("_type");
        if (type != expectedType) throw new MetadataTypeMismatchException(expectedType, type);
        var specVersion = json.RequiredString("spec_version");
        // TUF 5.3.5 / python-tuf: a client reads metadata of the same major specification version.
        if (!SpecVersionPattern().IsMatch(specVersion))
            throw new MalformedInputException($"Unsupported spec_version \"{specVersion}\" (expected 1.x.y).");
        var version = json.RequiredInteger("version");
        if (version < 1) throw new MalformedInputException($"{type} version {version} is below 1.");
        var expiresText = json.RequiredString("expires");
        if (!DateTimeOffset.TryParseExact(expiresText, ExpiresFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
            throw new MalformedInputException($"{type} expires \"{expiresText}\" is not YYYY-MM-DDTHH:MM:SSZ.");
        return (specVersion, version, expires);
    }

    private protected static long ReadLength(JsonObjectValue json, string context)
    {
        var length = json.RequiredInteger("length");
        if (length < 0) throw new MalformedInputException($"{context}: negative length.");
        return length;
    }

    /// <summary>TUF 4.4 HASHES: algorithm → hex digest; sha256/sha512 must be well-formed.</summary>
    private protected static IReadOnlyDictionary<string, string> ReadHashes(JsonObjectValue hashes, string context)
    {
        if (hashes.Count == 0) throw new MalformedInputException($"{context}: empty hashes.");
        foreach (var (algorithm, value) in hashes.Members)
        {
            var hex = (value as JsonStringValue)?.Value
                ?? throw new MalformedInputException($"{context}: hash {algorithm} is not a string.");
            var expectedBytes = algorithm switch { "sha256" => 32, "sha512" => 64, _ => 0 };
            if (expectedBytes > 0 && !Hex.IsLower(hex, expectedBytes))
                throw new MalformedInputException($"{context}: {algorithm} digest is not {expectedBytes} bytes of lower-case hex.");
        }

        // A view over the parsed object rather than a copy: one small object per target, not a dictionary.
        return new JsonStringMap(hashes);
    }

    private protected static JsonObjectValue HashesToJson(IReadOnlyDictionary<string, string> hashes) =>
        new(hashes.Select(h => new KeyValuePair<string, JsonNodeValue>(h.Key, new JsonStringValue(h.Value))));

    [GeneratedRegex(@"^1\.[0-9]{1,9}(\.[0-9]{1,9})?$")]
    private static partial Regex SpecVersionPattern();
}

/// <summary>A role's signing keys and threshold (TUF 4.3 root "roles", 4.5 delegations).</summary>
public sealed record RoleKeys
{
    public RoleKeys(IReadOnlyList<string> keyIds, int threshold)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        if (threshold < 1) throw new MalformedInputException($"Threshold {threshold} is below 1.");
        if (keyIds.Distinct(StringComparer.Ordinal).Count() != keyIds.Count)
            throw new MalformedInputException("A role lists the same keyid twice.");
        KeyIds = keyIds;
        Threshold = threshold;
    }

    public IReadOnlyList<string> KeyIds { get; }

    public int Threshold { get; }

    internal static RoleKeys FromJson(JsonObjectValue json)
    {
        var keyIds = json.Required<JsonArrayValue>("keyids")
            .Select(k => (k as JsonStringValue)?.Value ?? throw new MalformedInputException("keyids holds a non-string."))
            .ToList();
        var threshold = json.RequiredInteger("threshold");
        if (threshold is < 1 or > int.MaxValue) throw new MalformedInputException($"Threshold {threshold} is out of range.");
        return new RoleKeys(keyIds, (int)threshold);
    }

    internal void AddMembers(List<KeyValuePair<string, JsonNodeValue>> members)
    {
        members.Add(new("keyids", new JsonArrayValue(KeyIds.Select(k => (JsonNodeValue)new JsonStringValue(k)).ToList())));
        members.Add(new("threshold", new JsonIntegerValue(Threshold)));
    }
}
