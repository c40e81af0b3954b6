using Enigm.Relay;

namespace Enigm.Server.Delivery;

/// <summary>
/// What one delivery connection has already sent, so a message that reaches it twice (handed over in memory and also
/// found by a fetch) is sent once. Seqs grow in commit order, and a fetch of <c>seq &gt; after ORDER BY seq</c> sees every
/// message still stored up to the last seq it returned; so everything up to <see cref="FetchedThrough"/> went out through
/// fetches, and the few messages above it that went out from memory are remembered by seq until a fetch passes them.
/// Messages handed over in memory can arrive out of seq order (submits finish concurrently): they are sent as they come.
/// </summary>
internal sealed class DeliveryCursor
{
    /// <summary>Above this many remembered seqs the loop fetches once, which moves <see cref="FetchedThrough"/> past them.</summary>
    public const int MaxRemembered = 1024;

    private readonly HashSet<long> _sentAbove = [];

    /// <summary>The highest seq a fetch returned (the next fetch starts after it).</summary>
    public long FetchedThrough { get; private set; }

    public bool NeedsFetch => _sentAbove.Count >= MaxRemembered;

    /// <summary>Whether a message handed over in memory is still to be sent (then it counts as sent).</summary>
    public bool TakeHandedOver(MailboxMessage message) => message.Seq > FetchedThrough && _sentAbove.Add(message.Seq);

    /// <summary>Whether a fetched message is still to be sent; moves <see cref="FetchedThrough"/>.</summary>
    public bool TakeFetched(MailboxMessage message)
    {
        FetchedThrough = Math.Max(FetchedThrough, message.Seq);
        return !_sentAbove.Remove(message.Seq);
    }

    /// <summary>After a fetch: forgets the seqs it passed (a later fetch starts above them).</summary>
    public void Forget()
    {
        var through = FetchedThrough;
        _sentAbove.RemoveWhere(seq => seq <= through);
    }
}
