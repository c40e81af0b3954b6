using Enigm.Messaging.Groups.SenderKeys;

namespace Enigm.Client.Groups;

/// <summary>
/// How often this device starts a new sender-key chain on its own (periodic rotation, docs/groups.md "Sender keys"):
/// a party that stole the chain state then reads nothing sent on the next chain. Rotation on removal, leave and
/// device revocation does not depend on these. The clock is <see cref="ClientOptions.Time"/>.
/// </summary>
public sealed record GroupOptions
{
    /// <summary>A new chain after this many messages on one chain (at least 1).</summary>
    public uint RotateAfterMessages { get; init; } = SenderKeyOptions.Default.RotateAfterMessages;

    /// <summary>A new chain once the current one is this old.</summary>
    public TimeSpan RotateAfter { get; init; } = SenderKeyOptions.Default.RotateAfter;

    public static GroupOptions Default { get; } = new();
}
