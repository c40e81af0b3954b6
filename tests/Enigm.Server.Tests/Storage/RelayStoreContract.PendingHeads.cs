using Xunit;

namespace Enigm.Server.Tests.Storage;

// The "head pending" mark that closes the crash gap between storing a device log and logging its head.
public abstract partial class RelayStoreContract
{
    [SkippableFact]
    public async Task Storing_a_log_marks_its_head_pending_until_that_log_is_marked_logged()
    {
        var store = await StoreAsync();
        await store.CreateAccountAsync("alice", Bytes(10), [new("d1", false)], T0);
        await store.CreateAccountAsync("bob", Bytes(10), [new("d1", false)], T0);
        Assert.Equal(["alice", "bob"], await store.AccountsWithPendingHeadAsync(10));
        Assert.Equal(["alice"], await store.AccountsWithPendingHeadAsync(1));

        await store.MarkHeadLoggedAsync("alice", 1);
        Assert.Equal(["bob"], await store.AccountsWithPendingHeadAsync(10));

        // An append marks again; clearing the mark for the older entry count leaves the newer log's mark.
        Assert.True(await store.ReplaceDeviceLogAsync("alice", 1, Bytes(20), 2, [new("d1", false)]));
        await store.MarkHeadLoggedAsync("alice", 1);
        Assert.Equal(["alice", "bob"], await store.AccountsWithPendingHeadAsync(10));
        await store.MarkHeadLoggedAsync("alice", 2);
        await store.MarkHeadLoggedAsync("bob", 1);
        Assert.Empty(await store.AccountsWithPendingHeadAsync(10));
    }
}
