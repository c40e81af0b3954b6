using System.Text.Json.Nodes;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary>How TUF keys and signing status look in <c>enigm release --json</c> output.</summary>
internal static class ReleaseJson
{
    public static JsonObject Key(TufKey key, string role) => new()
    {
        ["role"] = role,
        ["keyid"] = key.KeyId,
        ["keytype"] = key.KeyType,
        ["scheme"] = key.Scheme,
    };

    public static JsonObject Status(SigningStatus status, IReadOnlyList<string> signed) => new()
    {
        ["role"] = status.Role,
        ["version"] = status.Version,
        ["validSignatures"] = status.ValidSignatures,
        ["threshold"] = status.Threshold,
        ["thresholdMet"] = status.ThresholdMet,
        ["signedNow"] = new JsonArray([.. signed.Select(k => (JsonNode)JsonValue.Create(k))]),
    };
}
