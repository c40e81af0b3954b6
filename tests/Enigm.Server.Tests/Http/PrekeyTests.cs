using System.Net.Http.Json;
using System.Security.Cryptography;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>Prekey upload, counts, and bundle handout: each one-time key at most once, also under concurrency.</summary>
public sealed class PrekeyTests
{
    [Fact]
    public async Task Twenty_concurrent_fetchers_never_receive_the_same_one_time_key()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        await Upload(alicePhone, oneTime: 15, kem: 12);

        var bundle = RelayRoutes.Bundle.Replace("{account}", alice.Id, StringComparison.Ordinal).Replace("{device}", "phone", StringComparison.Ordinal);
        var handed = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await RelayAssert.Ok(await bobPhone.GetAsync(bundle), RelayJson.Default.BundleResponse))));

        var oneTime = handed.Where(b => b.OneTimePrekey is not null).Select(b => b.OneTimePrekey!.Id).ToList();
        var kemKeys = handed.Where(b => b.OneTimeKemPrekey is not null).Select(b => b.OneTimeKemPrekey!.Id).ToList();
        Assert.Equal(15, oneTime.Count);
        Assert.Equal(15, oneTime.Distinct().Count());
        Assert.Equal(12, kemKeys.Count);
        Assert.Equal(12, kemKeys.Distinct().Count());
        Assert.All(handed, b => Assert.Equal(32, b.Bundle.Length));
        var left = await RelayAssert.Ok(await alicePhone.GetAsync(RelayRoutes.Prekeys), RelayJson.Default.PrekeyCountResponse);
        Assert.Equal(new PrekeyCountResponse(0, 0, true), left);
    }

    [Fact]
    public async Task Upload_reports_counts_and_a_fetch_consumes_one_of_each_kind()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        var counts = await Upload(phone, oneTime: 3, kem: 2);
        Assert.Equal(new PrekeyCountResponse(3, 2, true), counts);

        var bundle = RelayRoutes.Bundle.Replace("{account}", alice.Id, StringComparison.Ordinal).Replace("{device}", "phone", StringComparison.Ordinal);
        var first = await RelayAssert.Ok(await phone.GetAsync(bundle), RelayJson.Default.BundleResponse);
        Assert.NotNull(first.OneTimePrekey);
        Assert.NotNull(first.OneTimeKemPrekey);
        Assert.Equal(new PrekeyCountResponse(2, 1, true), await RelayAssert.Ok(await phone.GetAsync(RelayRoutes.Prekeys), RelayJson.Default.PrekeyCountResponse));
    }

    [Fact]
    public async Task Bundle_of_a_device_that_never_uploaded_is_no_prekey_bundle()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        var bundle = RelayRoutes.Bundle.Replace("{account}", alice.Id, StringComparison.Ordinal).Replace("{device}", "phone", StringComparison.Ordinal);
        await RelayAssert.Problem(await phone.GetAsync(bundle), 404, RelayProblem.NoBundle);
        var unknown = RelayRoutes.Bundle.Replace("{account}", alice.Id, StringComparison.Ordinal).Replace("{device}", "toaster", StringComparison.Ordinal);
        await RelayAssert.Problem(await phone.GetAsync(unknown), 404, RelayProblem.UnknownDevice);
    }

    [Fact]
    public async Task Refuses_malformed_one_time_keys_and_stores_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));

        var shortKey = new UploadPrekeysRequest(new byte[32], [new OneTimePrekey(1, new byte[31])], []);
        await RelayAssert.Problem(await phone.PutAsJsonAsync(RelayRoutes.Prekeys, shortKey, RelayJson.Default.UploadPrekeysRequest), 400, RelayProblem.Malformed);
        var tooMany = new UploadPrekeysRequest(new byte[32], [.. Enumerable.Range(0, RelayLimits.MaxOneTimePrekeysPerUpload + 1).Select(i => new OneTimePrekey((uint)i, new byte[32]))], []);
        await RelayAssert.Problem(await phone.PutAsJsonAsync(RelayRoutes.Prekeys, tooMany, RelayJson.Default.UploadPrekeysRequest), 413, RelayProblem.TooLarge);

        Assert.Equal(new PrekeyCountResponse(0, 0, false), await RelayAssert.Ok(await phone.GetAsync(RelayRoutes.Prekeys), RelayJson.Default.PrekeyCountResponse));
    }

    private static async Task<PrekeyCountResponse> Upload(HttpClient client, int oneTime, int kem)
    {
        var request = new UploadPrekeysRequest(
            RandomNumberGenerator.GetBytes(32),
            [.. Enumerable.Range(1, oneTime).Select(i => new OneTimePrekey((uint)i, RandomNumberGenerator.GetBytes(32)))],
            [.. Enumerable.Range(1, kem).Select(i => new OneTimePrekey((uint)(1000 + i), RandomNumberGenerator.GetBytes(1184)))]);
        return await RelayAssert.Ok(await client.PutAsJsonAsync(RelayRoutes.Prekeys, request, RelayJson.Default.UploadPrekeysRequest), RelayJson.Default.PrekeyCountResponse);
    }
}
