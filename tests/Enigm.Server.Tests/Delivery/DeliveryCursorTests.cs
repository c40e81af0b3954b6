using Enigm.Relay;
using Enigm.Server.Delivery;
using Xunit;

namespace Enigm.Server.Tests.Delivery;

/// <summary>The delivery loop's record of what one connection sent: each message once, whether fetched or handed over.</summary>
public sealed class DeliveryCursorTests
{
    private static MailboxMessage Message(long seq) => new(seq, BitConverter.GetBytes(seq), [1], DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_handed_over_message_that_a_fetch_already_returned_is_not_sent_again()
    {
        var cursor = new DeliveryCursor();
        Assert.True(cursor.TakeFetched(Message(5)));
        cursor.Forget();

        Assert.False(cursor.TakeHandedOver(Message(5)));
        Assert.False(cursor.TakeHandedOver(Message(3)));
        Assert.True(cursor.TakeHandedOver(Message(6)));
    }

    [Fact]
    public void A_fetch_skips_what_was_handed_over_and_still_returns_what_was_not()
    {
        var cursor = new DeliveryCursor();
        // Handed over out of seq order (submits finishing concurrently); 8 has not arrived yet.
        Assert.True(cursor.TakeHandedOver(Message(9)));
        Assert.True(cursor.TakeHandedOver(Message(7)));
        Assert.False(cursor.TakeHandedOver(Message(9)));

        Assert.False(cursor.TakeFetched(Message(7)));
        Assert.True(cursor.TakeFetched(Message(8)));
        Assert.False(cursor.TakeFetched(Message(9)));
        cursor.Forget();
        Assert.Equal(9, cursor.FetchedThrough);
        Assert.False(cursor.TakeHandedOver(Message(8)));
    }

    [Fact]
    public void Asks_for_a_fetch_once_it_remembers_too_many_seqs_and_forgets_them_after_it()
    {
        var cursor = new DeliveryCursor();
        for (long seq = 1; seq <= DeliveryCursor.MaxRemembered; seq++) Assert.True(cursor.TakeHandedOver(Message(seq)));
        Assert.True(cursor.NeedsFetch);

        Assert.False(cursor.TakeFetched(Message(DeliveryCursor.MaxRemembered)));
        cursor.Forget();
        Assert.False(cursor.NeedsFetch);
        Assert.False(cursor.TakeHandedOver(Message(1)));
    }
}
