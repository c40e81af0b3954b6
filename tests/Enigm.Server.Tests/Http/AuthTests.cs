using System.Net.Http.Json;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>Challenge → token, and the refusals: bad signature, reused challenge, revoked device, disabled account.</summary>
public sealed class AuthTests
{
    [Fact]
    public async Task Device_signing_its_challenge_gets_a_token_that_authenticates()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var token = await alice.LoginAsync(relay, "phone");

        using var client = relay.Client(token);
        var counts = await RelayAssert.Ok(await client.GetAsync(RelayRoutes.Prekeys), RelayJson.Default.PrekeyCountResponse);
        Assert.False(counts.HasBundle);
    }

    [Fact]
    public async Task Refuses_a_signature_by_another_key()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var mallory = TestAccount.New();
        var (challenge, signature) = await alice.SignChallengeAsync(relay, "phone", mallory.Key("phone"));

        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(alice.Id, "phone", challenge, signature), RelayJson.Default.TokenRequest);

        await RelayAssert.Problem(response, 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task Refuses_a_signature_over_another_server_id()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(alice.Id, "phone"), RelayJson.Default.ChallengeRequest);
        var challenge = (await RelayAssert.Ok(response, RelayJson.Default.ChallengeResponse)).Challenge;
        var signature = TestAccount.Scheme.Sign(alice.Key("phone"), RelayAuth.SignedMessage("another-relay", alice.Id, "phone", challenge));

        var refused = await relay.Public.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(alice.Id, "phone", challenge, signature), RelayJson.Default.TokenRequest);

        await RelayAssert.Problem(refused, 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task A_challenge_is_used_once()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var (challenge, signature) = await alice.SignChallengeAsync(relay, "phone", alice.Key("phone"));
        var request = new TokenRequest(alice.Id, "phone", challenge, signature);

        await RelayAssert.Ok(await relay.Public.PostAsJsonAsync(RelayRoutes.Token, request, RelayJson.Default.TokenRequest), RelayJson.Default.TokenResponse);
        var replay = await relay.Public.PostAsJsonAsync(RelayRoutes.Token, request, RelayJson.Default.TokenRequest);

        await RelayAssert.Problem(replay, 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task A_failed_signature_burns_the_challenge()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var mallory = TestAccount.New();
        var (challenge, wrong) = await alice.SignChallengeAsync(relay, "phone", mallory.Key("phone"));
        await RelayAssert.Problem(await relay.Public.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(alice.Id, "phone", challenge, wrong), RelayJson.Default.TokenRequest), 401, RelayProblem.Unauthenticated);

        var right = TestAccount.Scheme.Sign(alice.Key("phone"), RelayAuth.SignedMessage("relay-under-test", alice.Id, "phone", challenge));
        var retry = await relay.Public.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(alice.Id, "phone", challenge, right), RelayJson.Default.TokenRequest);

        await RelayAssert.Problem(retry, 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task Revoked_device_is_refused_at_once_also_with_its_existing_token()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        alice.AddDevice("laptop");
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);
        using var laptop = relay.Client(await alice.LoginAsync(relay, "laptop"));
        Assert.True((await laptop.GetAsync(RelayRoutes.Mailbox)).IsSuccessStatusCode);

        alice.Revoke("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        var withOldToken = await laptop.GetAsync(RelayRoutes.Mailbox);
        Assert.Equal(401, (int)withOldToken.StatusCode);
        var challenge = await relay.Public.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(alice.Id, "laptop"), RelayJson.Default.ChallengeRequest);
        await RelayAssert.Problem(challenge, 403, RelayProblem.DeviceRevoked);
        Assert.True((await phone.GetAsync(RelayRoutes.Mailbox)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Disabled_account_is_refused_also_with_an_existing_token()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        var disable = await relay.Admin.PostAsync(RelayRoutes.AdminDisableAccount.Replace("{account}", alice.Id, StringComparison.Ordinal), null);
        Assert.Equal(204, (int)disable.StatusCode);

        Assert.Equal(401, (int)(await phone.GetAsync(RelayRoutes.Mailbox)).StatusCode);
        var challenge = await relay.Public.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(alice.Id, "phone"), RelayJson.Default.ChallengeRequest);
        await RelayAssert.Problem(challenge, 403, RelayProblem.AccountDisabled);
    }

    [Fact]
    public async Task Token_of_a_disabled_account_is_refused_even_if_its_row_survived()
    {
        // Tokens are dropped on disable; this checks the per-request account check on its own by disabling in the store.
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        await relay.Store.SetDisabledAsync(alice.Id, true);

        await RelayAssert.Problem(await phone.GetAsync(RelayRoutes.Mailbox), 403, RelayProblem.AccountDisabled);
    }

    [Fact]
    public async Task Token_of_a_revoked_device_is_refused_even_if_its_row_survived()
    {
        // Revocation drops tokens; this checks the per-request device check on its own by marking the device revoked in the store.
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        alice.AddDevice("laptop");
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);
        using var laptop = relay.Client(await alice.LoginAsync(relay, "laptop"));

        Assert.True(await relay.Store.ReplaceDeviceLogAsync(alice.Id, 2, alice.LogFile, 2, [new("phone", false), new("laptop", true)]));

        await RelayAssert.Problem(await laptop.GetAsync(RelayRoutes.Mailbox), 403, RelayProblem.DeviceRevoked);
        Assert.True((await phone.GetAsync(RelayRoutes.Mailbox)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Unknown_or_missing_tokens_are_unauthenticated()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var stranger = relay.Client("not-a-token");

        await RelayAssert.Problem(await stranger.GetAsync(RelayRoutes.Mailbox), 401, RelayProblem.Unauthenticated);
        await RelayAssert.Problem(await relay.Public.GetAsync(RelayRoutes.Mailbox), 401, RelayProblem.Unauthenticated);
    }
}
