using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>Submit, fetch, ack; the exact device list; sealed sender's delivery token and its rate limit.</summary>
public sealed class MessagingTests
{
    [Fact]
    public async Task Submitted_message_is_fetched_by_its_device_and_deleted_only_by_ack()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));

        var submit = await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [TestAccount.Message("phone", "hello bob")]), RelayJson.Default.SubmitRequest);
        Assert.Equal(1, (await RelayAssert.Ok(submit, RelayJson.Default.SubmitResponse)).Stored);

        var mailbox = await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse);
        var message = Assert.Single(mailbox.Messages);
        Assert.Equal("hello bob", Encoding.UTF8.GetString(message.Body));
        var again = await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse);
        Assert.Single(again.Messages);

        // Alice's own mailbox is empty, and her ack of Bob's message deletes nothing: a device touches only its own mailbox.
        Assert.Empty((await RelayAssert.Ok(await alicePhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse)).Messages);
        Assert.Equal(204, (int)(await alicePhone.PostAsJsonAsync(RelayRoutes.MailboxAck, new AckRequest([message.Seq]), RelayJson.Default.AckRequest)).StatusCode);
        Assert.Single((await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse)).Messages);

        Assert.Equal(204, (int)(await bobPhone.PostAsJsonAsync(RelayRoutes.MailboxAck, new AckRequest([message.Seq]), RelayJson.Default.AckRequest)).StatusCode);
        Assert.Empty((await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse)).Messages);
    }

    [Fact]
    public async Task A_retried_submit_is_stored_once()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var request = new SubmitRequest(bob.Id, [TestAccount.Message("phone", "once")]);

        await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, request, RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);
        var retry = await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, request, RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);

        Assert.Equal(0, retry.Stored);
        Assert.Equal(1, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Device_list_must_be_the_recipients_current_devices()
    {
        await using var relay = await RelayFixture.StartAsync();
        var accounts = await BobWithPhoneLaptopAndRevokedTabletAsync(relay);
        using var alice = accounts.Alice;
        using var bob = accounts.Bob;
        using var alicePhone = accounts.AlicePhone;

        var wrong = new SubmitRequest(bob.Id, [TestAccount.Message("phone", "x"), TestAccount.Message("tablet", "x")]);
        var response = await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, wrong, RelayJson.Default.SubmitRequest);

        var problem = await RelayAssert.Problem(response, 409, RelayProblem.DevicesMismatch);
        Assert.Equal(["laptop"], problem.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["tablet"], problem.GetProperty("extra").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);

        var right = new SubmitRequest(bob.Id, [TestAccount.Message("phone", "x"), TestAccount.Message("laptop", "x")]);
        Assert.Equal(2, (await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, right, RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse)).Stored);
    }

    [Fact]
    public async Task Every_current_device_plus_a_revoked_or_unknown_one_is_a_mismatch_naming_the_extra()
    {
        await using var relay = await RelayFixture.StartAsync();
        var accounts = await BobWithPhoneLaptopAndRevokedTabletAsync(relay);
        using var alice = accounts.Alice;
        using var bob = accounts.Bob;
        using var alicePhone = accounts.AlicePhone;

        foreach (var extra in (string[])["tablet", "ghost"])
        {
            var request = new SubmitRequest(bob.Id, [TestAccount.Message("phone", "x"), TestAccount.Message("laptop", "x"), TestAccount.Message(extra, "x")]);
            var problem = await RelayAssert.Problem(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, request, RelayJson.Default.SubmitRequest), 409, RelayProblem.DevicesMismatch);
            Assert.Empty(problem.GetProperty("missing").EnumerateArray());
            Assert.Equal([extra], problem.GetProperty("extra").EnumerateArray().Select(e => e.GetString()));
        }

        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task A_device_writing_to_its_own_account_need_not_list_itself_but_every_other_device()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        alice.AddDevice("laptop");
        alice.AddDevice("tablet");
        await RelayAssert.Ok(await alice.PushLogAsync(alicePhone), RelayJson.Default.DeviceLogResponse);

        // Leaving out another own device is still a mismatch that names it.
        var partial = new SubmitRequest(alice.Id, [TestAccount.Message("laptop", "x")]);
        var problem = await RelayAssert.Problem(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, partial, RelayJson.Default.SubmitRequest), 409, RelayProblem.DevicesMismatch);
        Assert.Equal(["tablet"], problem.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));

        var others = new SubmitRequest(alice.Id, [TestAccount.Message("laptop", "x"), TestAccount.Message("tablet", "x")]);
        Assert.Equal(2, (await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, others, RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse)).Stored);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(alice.Id, "phone")).Messages);

        // Another account's device gets no such exemption: bob must address alice's phone too.
        using var bob = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        var fromBob = new SubmitRequest(alice.Id, [TestAccount.Message("laptop", "x"), TestAccount.Message("tablet", "x")]);
        problem = await RelayAssert.Problem(await bobPhone.PostAsJsonAsync(RelayRoutes.Messages, fromBob, RelayJson.Default.SubmitRequest), 409, RelayProblem.DevicesMismatch);
        Assert.Equal(["phone"], problem.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Sealed_sender_needs_the_recipients_delivery_token()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        var deliveryToken = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(204, (int)(await bobPhone.PutAsJsonAsync(RelayRoutes.DeliveryToken, new DeliveryTokenRequest(deliveryToken), RelayJson.Default.DeliveryTokenRequest)).StatusCode);

        var wrongToken = await SealedSubmit(relay, bob.Id, RandomNumberGenerator.GetBytes(32), "guess");
        await RelayAssert.Problem(wrongToken, 401, RelayProblem.Unauthenticated);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);

        var accepted = await SealedSubmit(relay, bob.Id, deliveryToken, "sealed hello");
        Assert.Equal(1, (await RelayAssert.Ok(accepted, RelayJson.Default.SubmitResponse)).Stored);
        var message = Assert.Single((await RelayAssert.Ok(await bobPhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse)).Messages);
        Assert.Equal("sealed hello", Encoding.UTF8.GetString(message.Body));
    }

    [Fact]
    public async Task Sealed_sender_to_a_recipient_without_a_delivery_token_is_refused()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);

        await RelayAssert.Problem(await SealedSubmit(relay, bob.Id, RandomNumberGenerator.GetBytes(32), "x"), 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task Sealed_senders_are_rate_limited_per_recipient_with_retry_after()
    {
        await using var relay = await RelayFixture.StartAsync(o => o with { RateLimits = o.RateLimits with { PerRecipient = new Enigm.Server.Hosting.BucketSize(3, 0.01) } });
        using var bob = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        var deliveryToken = RandomNumberGenerator.GetBytes(32);
        await bobPhone.PutAsJsonAsync(RelayRoutes.DeliveryToken, new DeliveryTokenRequest(deliveryToken), RelayJson.Default.DeliveryTokenRequest);

        for (var i = 0; i < 3; i++) await RelayAssert.Ok(await SealedSubmit(relay, bob.Id, deliveryToken, "m" + i), RelayJson.Default.SubmitResponse);
        var limited = await SealedSubmit(relay, bob.Id, deliveryToken, "one too many");

        await RelayAssert.Problem(limited, 429, RelayProblem.RateLimited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Senders_are_rate_limited_per_device()
    {
        await using var relay = await RelayFixture.StartAsync(o => o with { RateLimits = o.RateLimits with { PerSenderDevice = new Enigm.Server.Hosting.BucketSize(2, 0.01) } });
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));

        for (var i = 0; i < 2; i++)
            await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [TestAccount.Message("phone", "m")]), RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);
        var limited = await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [TestAccount.Message("phone", "m")]), RelayJson.Default.SubmitRequest);

        await RelayAssert.Problem(limited, 429, RelayProblem.RateLimited);
    }

    private static async Task<HttpResponseMessage> SealedSubmit(RelayFixture relay, string recipient, byte[] deliveryToken, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RelayRoutes.Messages)
        {
            Content = JsonContent.Create(new SubmitRequest(recipient, [TestAccount.Message("phone", text)]), RelayJson.Default.SubmitRequest),
        };
        request.Headers.Add(RelayRoutes.UnidentifiedAccessHeader, Convert.ToBase64String(deliveryToken).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        return await relay.Public.SendAsync(request);
    }

    // Bob's log (pushed from his phone) lists a phone, a laptop and a revoked tablet; alice is logged in on her phone.
    private static async Task<(TestAccount Alice, TestAccount Bob, HttpClient AlicePhone)> BobWithPhoneLaptopAndRevokedTabletAsync(RelayFixture relay)
    {
        var alice = await TestAccount.CreateAsync(relay);
        var bob = await TestAccount.CreateAsync(relay);
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        bob.AddDevice("laptop");
        bob.AddDevice("tablet");
        bob.Revoke("tablet");
        await RelayAssert.Ok(await bob.PushLogAsync(bobPhone), RelayJson.Default.DeviceLogResponse);
        return (alice, bob, relay.Client(await alice.LoginAsync(relay, "phone")));
    }
}
