using Enigm.Client.Tests.Support;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Relay;

namespace Enigm.Client.Tests.Groups;

/// <summary>
/// What the relay stores, read straight from its store (as an operator or an attacker on the relay's disk would):
/// the stored-once group ciphertext addressed to a device's mailbox, whether or not that device fetched it.
/// </summary>
internal static class RelayCapture
{
    /// <summary>The group message <paramref name="messageId"/> as the relay stored it for <paramref name="mailbox"/>.</summary>
    public static async Task<MailboxMessage> GroupMessageAsync(TestRelay relay, EnigmClient mailbox, string messageId)
    {
        for (var i = 0; i < 50; i++)
        {
            var stored = await relay.Store.FetchAsync(mailbox.Account, mailbox.DeviceId, 0, RelayLimits.MaxMailboxFetch);
            if (stored.FirstOrDefault(m => Convert.ToHexStringLower(m.MessageId) == messageId) is { } found)
            {
                Xunit.Assert.NotNull(found.Shared);
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"group message {messageId} is not stored for {mailbox.DeviceId}");
    }

    /// <summary>Whether the relay stored <paramref name="messageId"/> for <paramref name="mailbox"/> at all.</summary>
    public static async Task<bool> IsStoredForAsync(TestRelay relay, EnigmClient mailbox, string messageId) =>
        (await relay.Store.FetchAsync(mailbox.Account, mailbox.DeviceId, 0, RelayLimits.MaxMailboxFetch)).Any(m => Convert.ToHexStringLower(m.MessageId) == messageId);

    /// <summary>The sender-key chain a captured group message is on (its random id; the relay sees it too).</summary>
    public static string ChainOf(MailboxMessage captured) => Convert.ToHexStringLower(GroupMessage.Decode(captured.Shared!).ChainId);
}
