using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Keys.Model;

namespace Enigm.Cli.Commands.Keys;

/// <summary>How key records look in JSON and in narration. Public data only.</summary>
public static class KeyJson
{
    public static JsonObject ToJson(KeyRecord k) => new()
    {
        ["id"] = k.Id,
        ["series"] = k.SeriesId,
        ["version"] = k.Version,
        ["purpose"] = k.Purpose.ToName(),
        ["suite"] = k.SuiteId,
        ["algorithm"] = k.Algorithm,
        ["state"] = k.State.ToName(),
        ["created"] = Time(k.CreatedAt),
        ["activated"] = Time(k.ActivatedAt),
        ["deactivated"] = Time(k.DeactivatedAt),
        ["expires"] = Time(k.ExpiresAt),
        ["cryptoperiod"] = RotationPolicy.FormatDuration(k.Cryptoperiod),
        ["graceUntil"] = Time(k.GraceUntil),
        ["predecessor"] = k.PredecessorId,
        ["successor"] = k.SuccessorId,
        ["reason"] = k.Reason,
        ["publicKeySha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(k.PublicKey)),
    };

    public static void Print(Narrator narrator, IEnumerable<KeyRecord> keys) =>
        narrator.Table(
            ["id", "purpose", "algorithm", "state", "expires", "reason"],
            keys.Select(k => (IReadOnlyList<string>)[k.Id, k.Purpose.ToName(), k.Algorithm, k.State.ToName(), Time(k.ExpiresAt) ?? "-", k.Reason ?? ""]));

    public static void PrintOne(Narrator narrator, KeyRecord key)
    {
        foreach (var (name, value) in ToJson(key))
            narrator.Line($"  {name,-16} {value?.ToString() ?? "-"}");
    }

    private static string? Time(DateTimeOffset? t) => t?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
