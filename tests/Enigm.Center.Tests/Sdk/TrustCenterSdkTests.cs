using Enigm.Center.Tests.Support;
using Enigm.Client.Errors;
using Enigm.Trust.States;

namespace Enigm.Center.Tests.Sdk;

/// <summary>The two client SDK calls the page added: a contact's move to a new account, and the trust history views.</summary>
[Collection(CenterCollection.Name)]
public sealed class TrustCenterSdkTests(CenterWorld world)
{
    [Fact]
    public async Task A_contact_account_change_is_refused_for_unknown_contacts_own_account_and_another_contacts_account()
    {
        await Assert.ThrowsAsync<ContactNotFoundException>(() => world.Alice.ChangeContactAccountAsync("nobody", world.CarolNew.Account));
        await Assert.ThrowsAsync<ContactExistsException>(() => world.Alice.ChangeContactAccountAsync("dave", world.Alice.Account));
        await Assert.ThrowsAsync<ContactExistsException>(() => world.Alice.ChangeContactAccountAsync("dave", world.Bob.Account));
        await Assert.ThrowsAsync<Enigm.Crypto.Errors.MalformedInputException>(() => world.Alice.ChangeContactAccountAsync("dave", "not hex"));

        Assert.Equal(world.Dave.Account, world.Alice.Contact("dave").Account);
    }

    [Fact]
    public async Task An_unverified_contact_that_moves_stays_unverified_with_the_change_in_its_history()
    {
        using var ivan = await world.Devices.CreateAsync("ivan", world.Relay.Url);
        using var ivanNew = await world.Devices.CreateAsync("ivan-new", world.Relay.Url);
        await world.Alice.AddContactAsync("ivan", ivan.Account);

        var moved = await world.Alice.ChangeContactAccountAsync("ivan", ivanNew.Account);

        Assert.Equal(TrustState.Unverified, moved.State);
        Assert.Equal(ivanNew.Account, moved.Account);
        Assert.False(moved.HasDeliveryToken);
        var history = world.Alice.ContactHistory("ivan");
        Assert.Equal(2, history.Count);
        Assert.Contains(ivanNew.Account, history[^1].Reason, StringComparison.Ordinal);
        var events = world.Alice.RecentTrustEvents(500);
        Assert.Contains(events, e => !e.IsDevice && e.Subject == "ivan" && e.Change.Reason.Contains(ivanNew.Account, StringComparison.Ordinal));
        Assert.Equal(events.OrderByDescending(e => e.Change.At).Select(e => e.Change.At), events.Select(e => e.Change.At));
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Alice.RecentTrustEvents(0));
    }
}
