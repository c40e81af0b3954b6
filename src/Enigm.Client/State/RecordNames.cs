using Enigm.Messaging.Prekeys;

namespace Enigm.Client.State;

/// <summary>The names of the client's protected records (docs/client.md, "What the client stores").</summary>
internal static class RecordNames
{
    public const string Device = "client/device";
    public const string DeviceKey = "client/key/device";
    public const string IdentityKey = "client/key/identity";
    public const string SealedSenderKey = "client/key/sealed-sender";
    public const string PrekeyNextId = "client/prekey-next-id";
    public const string PrekeyPrefix = "client/prekey/";
    public const string LastResortUsePrefix = "client/prekey-last-resort-use/";
    public const string SessionPrefix = "client/session/";
    public const string LogPrefix = "client/log/";
    public const string LogHeadPrefix = "client/log-head/";
    public const string ContactTrustPrefix = "client/trust/contact/";
    public const string DeviceTrustPrefix = "client/trust/device/";
    public const string TreeHeadPrefix = "client/tree-head/";
    public const string ContactPrefix = "client/contact/";
    public const string SeenPrefix = "client/seen/";
    public const string SeenOrderPrefix = "client/seen-order/";
    public const string SeenCounter = "client/seen-counter";
    public const string MessagePrefix = "client/message/";
    public const string MessageCounter = "client/message-counter";

    public static string Prekey(PrekeyKind kind, uint id) => $"{PrekeyPrefix}{(int)kind}/{id:D10}";

    public static string PrekeysOf(PrekeyKind kind) => $"{PrekeyPrefix}{(int)kind}/";

    public static string Ordinal(long value) => value.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
