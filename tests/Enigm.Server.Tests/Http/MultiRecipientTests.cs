using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>The multi-recipient submit: stored once, delivered as ordinary entries by fetch and stream, and every refusal.</summary>
public sealed class MultiRecipientTests
{
    [Fact]
    public async Task One_shared_body_reaches_every_listed_device_with_its_own_part_and_is_stored_once()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var carol = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        alice.AddDevice("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(alicePhone), RelayJson.Default.DeviceLogResponse);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        bob.AddDevice("laptop");
        await RelayAssert.Ok(await bob.PushLogAsync(bobPhone), RelayJson.Default.DeviceLogResponse);

        var shared = Encoding.UTF8.GetBytes(new string('g', 4000));
        // Alice's phone sends: it leaves itself out, and lists her laptop.
        RecipientDevice[] recipients =
        [
            new(bob.Id, "phone", [1, 2, 3]), new(bob.Id, "laptop", [4]), new(carol.Id, "phone"), new(alice.Id, "laptop", [5, 5]),
        ];
        var response = await alicePhone.PostAsJsonAsync(RelayRoutes.MultiRecipientMessages, new MultiRecipientSubmitRequest(RandomNumberGenerator.GetBytes(16), shared, recipients), RelayJson.Default.MultiRecipientSubmitRequest);
        Assert.Equal(4, (await RelayAssert.Ok(response, RelayJson.Default.SubmitResponse)).Stored);
        Assert.Equal(4000 + 3 + 1 + 0 + 2, (await relay.Store.StatsAsync()).QueuedBytes);

        var bobMail = Assert.Single((await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse)).Messages);
        Assert.Equal(shared, bobMail.Shared);
        Assert.Equal([1, 2, 3], bobMail.Body);

        // Carol's phone receives it over the delivery WebSocket like any other message.
        using var socket = await StreamTests.Connect(relay, await carol.LoginAsync(relay, "phone"));
        var frame = await StreamTests.Receive(socket);
        Assert.Equal(shared, frame.Message!.Shared);
        Assert.Empty(frame.Message.Body);

        // Acks by bob's phone leave the payload for the others.
        Assert.Equal(204, (int)(await bobPhone.PostAsJsonAsync(RelayRoutes.MailboxAck, new AckRequest([bobMail.Seq]), RelayJson.Default.AckRequest)).StatusCode);
        Assert.Equal(4000 + 1 + 0 + 2, (await relay.Store.StatsAsync()).QueuedBytes);
    }

    [Fact]
    public async Task Every_account_must_be_listed_with_exactly_its_current_devices()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var carol = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        bob.AddDevice("laptop");
        await RelayAssert.Ok(await bob.PushLogAsync(bobPhone), RelayJson.Default.DeviceLogResponse);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));

        RecipientDevice[] wrong = [new(bob.Id, "phone"), new(carol.Id, "phone"), new(carol.Id, "watch")];
        var response = await alicePhone.PostAsJsonAsync(RelayRoutes.MultiRecipientMessages, new MultiRecipientSubmitRequest(RandomNumberGenerator.GetBytes(16), [9], wrong), RelayJson.Default.MultiRecipientSubmitRequest);

        var problem = await RelayAssert.Problem(response, 409, RelayProblem.DevicesMismatch);
        Assert.Equal([bob.Id + "/laptop"], problem.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([carol.Id + "/watch"], problem.GetProperty("extra").EnumerateArray().Select(e => e.GetString()));
        var accounts = problem.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("account").GetString()!);
        Assert.Equal(["laptop"], accounts[bob.Id].GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["watch"], accounts[carol.Id].GetProperty("extra").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, (await relay.Store.StatsAsync()).QueuedMessages);
    }

    [Fact]
    public async Task Sealed_sender_needs_every_recipient_accounts_delivery_token()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);
        using var carol = await TestAccount.CreateAsync(relay);
        var bobToken = await SetDeliveryTokenAsync(relay, bob);
        var carolToken = await SetDeliveryTokenAsync(relay, carol);
        RecipientDevice[] recipients = [new(bob.Id, "phone"), new(carol.Id, "phone")];

        RecipientAccess[][] refused =
        [
            [],
            [new(bob.Id, bobToken)],
            [new(bob.Id, bobToken), new(carol.Id, bobToken)],
        ];
        foreach (var access in refused)
            await RelayAssert.Problem(await SealedAsync(relay, new MultiRecipientSubmitRequest(RandomNumberGenerator.GetBytes(16), [1], recipients, access)), 401, RelayProblem.Unauthenticated);
        Assert.Equal(0, (await relay.Store.StatsAsync()).QueuedMessages);

        var accepted = await SealedAsync(relay, new MultiRecipientSubmitRequest(RandomNumberGenerator.GetBytes(16), [1], recipients, [new(bob.Id, bobToken), new(carol.Id, carolToken)]));
        Assert.Equal(2, (await RelayAssert.Ok(accepted, RelayJson.Default.SubmitResponse)).Stored);
    }

    [Fact]
    public async Task Unauthenticated_unknown_oversized_and_malformed_submits_are_refused_and_change_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var id = RandomNumberGenerator.GetBytes(16);

        // No bearer token and no access list.
        await RelayAssert.Problem(await SealedAsync(relay, new MultiRecipientSubmitRequest(id, [1], [new(bob.Id, "phone")])), 401, RelayProblem.Unauthenticated);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], [new(bob.Id, "phone"), new(new string('c', 64), "phone")])), 404, RelayProblem.UnknownAccount);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], [new(bob.Id, "phone", new byte[RelayLimits.MaxRecipientPartBytes + 1])])), 413, RelayProblem.TooLarge);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, new byte[RelayLimits.MaxMessageBytes + 1], [new(bob.Id, "phone")])), 413, RelayProblem.TooLarge);
        var tooMany = Enumerable.Range(0, RelayLimits.MaxRecipientsPerMultiSubmit + 1).Select(i => new RecipientDevice(bob.Id, "d" + i)).ToArray();
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], tooMany)), 413, RelayProblem.TooLarge);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], [new(bob.Id, "phone"), new(bob.Id, "phone")])), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest([1, 2], [1], [new(bob.Id, "phone")])), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [], [new(bob.Id, "phone")])), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], [])), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await Post(alicePhone, new MultiRecipientSubmitRequest(id, [1], [new("BOB", "phone")])), 400, RelayProblem.Malformed);
        using var raw = new StringContent("{\"messageId\":", Encoding.UTF8, "application/json");
        await RelayAssert.Problem(await alicePhone.PostAsync(RelayRoutes.MultiRecipientMessages, raw), 400, RelayProblem.Malformed);

        Assert.Equal(0, (await relay.Store.StatsAsync()).QueuedMessages);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, MultiRecipientSubmitRequest request) =>
        client.PostAsJsonAsync(RelayRoutes.MultiRecipientMessages, request, RelayJson.Default.MultiRecipientSubmitRequest);

    private static Task<HttpResponseMessage> SealedAsync(RelayFixture relay, MultiRecipientSubmitRequest request) => Post(relay.Public, request);

    private static async Task<byte[]> SetDeliveryTokenAsync(RelayFixture relay, TestAccount account)
    {
        using var phone = relay.Client(await account.LoginAsync(relay, "phone"));
        var token = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(204, (int)(await phone.PutAsJsonAsync(RelayRoutes.DeliveryToken, new DeliveryTokenRequest(token), RelayJson.Default.DeliveryTokenRequest)).StatusCode);
        return token;
    }
}
