using System.Text.Json;
using System.Text.Json.Serialization;
using Enigm.Client.Errors;

namespace Enigm.Client.State;

// What the client keeps in its protected records, as JSON inside the sealed record (the seal gives confidentiality
// and integrity; JSON keeps the shapes readable and versionable). Byte arrays travel as base64.

/// <summary>The device itself: who it is, where its relay is, and what it pinned of that relay.</summary>
internal sealed record DeviceRecord(
    int Version,
    string Account,
    string DeviceId,
    string DeviceName,
    string Server,
    string ServerId,
    byte[] LogPublicKey,
    byte[] IdentityCertificate,
    byte[] DeliveryToken);

internal sealed record ContactRecord(string Name, string Account, byte[]? DeliveryToken, DateTimeOffset AddedAt);

internal sealed record TrustChangeDto(DateTimeOffset At, int? From, int To, string Reason);

internal sealed record ContactTrustDto(string Contact, string Fingerprint, string? VerifiedFingerprint, int State, DateTimeOffset Since, TrustChangeDto[] History);

internal sealed record DeviceTrustDto(string Account, string DeviceId, bool IsOwnDevice, int State, DateTimeOffset Since, DateTimeOffset KeyCreatedAt, bool RevocationReviewed, TrustChangeDto[] History);

internal sealed record LogHeadDto(long Sequence, byte[] Hash);

internal sealed record CounterDto(long Value);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(DeviceRecord))]
[JsonSerializable(typeof(ContactRecord))]
[JsonSerializable(typeof(ContactTrustDto))]
[JsonSerializable(typeof(DeviceTrustDto))]
[JsonSerializable(typeof(LogHeadDto))]
[JsonSerializable(typeof(CounterDto))]
[JsonSerializable(typeof(ReceivedMessage))]
internal sealed partial class StateJson : JsonSerializerContext
{
    /// <summary>Decodes a stored record; a record that authenticates but does not decode is damaged client state.</summary>
    public static T Read<T>(string name, byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new ClientStateException($"Stored client record '{name}' does not decode ({e.Message}); the store may be from another version.", e);
        }
    }

    public static byte[] Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToUtf8Bytes(value, type);
}
