using Enigm.E2E.Tests.Support;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>A device its account revoked is refused by the server at once and gets none of the later messages.</summary>
public sealed class RevocationTests(SqliteRelayFixture relay) : IClassFixture<SqliteRelayFixture>
{
    private const int DeviceRevoked = 88;

    [Fact]
    public async Task A_revoked_device_is_refused_by_the_server_and_receives_nothing_more()
    {
        var server = await relay.StartAsync();
        var phone = relay.NewDevice("alice-phone");
        var tablet = relay.NewDevice("alice-tablet");
        var bob = relay.NewDevice("bob");
        await phone.InitAsync(server.Url, "alice");
        await bob.InitAsync(server.Url, "bob");
        await tablet.LinkAsync(server.Url, phone);
        await bob.AddContactAsync("alice", phone);
        await phone.AddContactAsync("bob", bob);
        await tablet.AddContactAsync("bob", bob);

        await bob.JsonAsync("send", "alice", "before the revocation");
        Assert.Single(await tablet.ReceiveAsync(wait: 10, expected: 1));

        await phone.JsonAsync("device", "revoke", tablet.Device);
        var devices = (await phone.JsonAsync("device", "list"))["devices"]!.AsArray();
        Assert.True((bool)devices.Single(d => (string)d!["id"]! == tablet.Device)!["revoked"]!);

        await bob.JsonAsync("send", "alice", "after the revocation");
        var atPhone = await phone.ReceiveAsync(wait: 10, expected: 2);
        Assert.Contains(atPhone, m => (string)m!["text"]! == "after the revocation");

        var refused = await tablet.RunAsync("receive");
        Assert.True(refused.Code == DeviceRevoked, $"revoked device receive: {refused}");
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var send = await tablet.RunAsync("send", "bob", "from a stolen tablet");
        Assert.True(send.Code == DeviceRevoked, $"revoked device send: {send}");
    }
}
