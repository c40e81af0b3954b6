using System.Net.Http.Json;
using System.Text;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>Oversized, malformed and unauthenticated requests: problem+json with the stable code, and nothing changed.</summary>
public sealed class LimitsTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"deviceLog\": 12}")]
    [InlineData("{\"deviceLog\": \"not base64!\"}")]
    [InlineData("{}")]
    public async Task Malformed_account_creation_is_malformed_request_and_creates_nothing(string body)
    {
        await using var relay = await RelayFixture.StartAsync();

        var response = await relay.Public.PostAsync(RelayRoutes.Accounts, new StringContent(body, Encoding.UTF8, "application/json"));

        await RelayAssert.Problem(response, 400, RelayProblem.Malformed);
        Assert.Empty(await relay.Store.ListAccountsAsync(10, null));
    }

    [Fact]
    public async Task Oversized_submit_is_too_large_and_stores_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        var tooBig = new SubmitRequest(bob.Id, [new OutgoingMessage("phone", new byte[16], new byte[RelayLimits.MaxMessageBytes + 1])]);
        await RelayAssert.Problem(await phone.PostAsJsonAsync(RelayRoutes.Messages, tooBig, RelayJson.Default.SubmitRequest), 413, RelayProblem.TooLarge);

        // Declared over the request cap: refused from the headers (Expect: 100-continue, so the client waits for the verdict).
        var overRequestCap = new ByteArrayContent(new byte[RelayLimits.MaxRequestBytes + 1024]);
        overRequestCap.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, RelayRoutes.Messages) { Content = overRequestCap };
        request.Headers.ExpectContinue = true;
        await RelayAssert.Problem(await phone.SendAsync(request), 413, RelayProblem.TooLarge);

        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Oversized_body_without_a_declared_length_is_too_large()
    {
        await using var relay = await RelayFixture.StartAsync();

        var chunked = new StreamContent(new MemoryStream(new byte[64 * 1024]));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, RelayRoutes.Challenge) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;

        await RelayAssert.Problem(await relay.Public.SendAsync(request), 413, RelayProblem.TooLarge);
    }

    [Fact]
    public async Task Unauthenticated_submit_is_refused_and_stores_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);

        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [TestAccount.Message("phone", "x")]), RelayJson.Default.SubmitRequest);

        await RelayAssert.Problem(response, 401, RelayProblem.Unauthenticated);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Theory]
    [InlineData("/v1/nothing-here", "GET")]
    [InlineData(RelayRoutes.Mailbox, "DELETE")]
    [InlineData("/admin/v1/stats", "GET")]
    public async Task Unknown_routes_and_methods_are_problem_json(string path, string method)
    {
        await using var relay = await RelayFixture.StartAsync();

        var response = await relay.Public.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await RelayAssert.Problem(response, (int)response.StatusCode is 405 ? 405 : 404, RelayProblem.NotFound);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public async Task Bad_account_ids_in_routes_are_malformed(string account)
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.AccountLog.Replace("{account}", account, StringComparison.Ordinal)), 400, RelayProblem.Malformed);
    }

    [Fact]
    public async Task Bad_query_values_are_malformed()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.Mailbox + "?limit=-1"), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.Mailbox + "?limit=100000"), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await relay.Public.GetAsync(RelayRoutes.Consistency + "?from=5&to=2"), 400, RelayProblem.Malformed);
    }

    [Fact]
    public async Task Transparency_queries_on_an_empty_log_are_malformed_not_unavailable()
    {
        await using var relay = await RelayFixture.StartAsync();

        await RelayAssert.Problem(await relay.Public.GetAsync(RelayRoutes.Consistency), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await relay.Public.GetAsync($"{RelayRoutes.Inclusion}?account={new string('a', 64)}"), 404, RelayProblem.UnknownAccount);
        Assert.True((await relay.Public.GetAsync(RelayRoutes.TreeHead)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Attachment_round_trips_and_an_existing_id_is_refused()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var route = RelayRoutes.Attachment.Replace("{id}", "0123456789abcdef0123456789abcdef", StringComparison.Ordinal);
        var blob = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000);

        Assert.Equal(201, (int)(await phone.PutAsync(route, new ByteArrayContent(blob))).StatusCode);
        await RelayAssert.Problem(await phone.PutAsync(route, new ByteArrayContent([1, 2, 3])), 409, RelayProblem.AttachmentExists);
        Assert.Equal(blob, await phone.GetByteArrayAsync(route));
        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.Attachment.Replace("{id}", "../../etc/passwd", StringComparison.Ordinal)), 404, RelayProblem.NotFound);
        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.Attachment.Replace("{id}", "ffffffffffffffffffffffffffffffff", StringComparison.Ordinal)), 404, RelayProblem.NotFound);
        await RelayAssert.Problem(await relay.Public.GetAsync(route), 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task Rendezvous_carries_payloads_and_caps_a_channel()
    {
        await using var relay = await RelayFixture.StartAsync();
        var route = RelayRoutes.Rendezvous.Replace("{channel}", "c2VjcmV0LWxpbmstY29kZS1oYXNo", StringComparison.Ordinal);

        for (var i = 0; i < RelayLimits.MaxRendezvousMessages; i++)
            await RelayAssert.Ok(await relay.Public.PostAsJsonAsync(route, new RendezvousPost([(byte)i]), RelayJson.Default.RendezvousPost), RelayJson.Default.RendezvousPostResponse);
        await RelayAssert.Problem(await relay.Public.PostAsJsonAsync(route, new RendezvousPost([99]), RelayJson.Default.RendezvousPost), 413, RelayProblem.TooLarge);

        var read = await RelayAssert.Ok(await relay.Public.GetAsync(route + "?after=0"), RelayJson.Default.RendezvousMessages);
        Assert.Equal(RelayLimits.MaxRendezvousMessages, read.Messages.Length);
        Assert.Equal([0], read.Messages[0].Payload);
    }
}
