using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>The admin listener: its own credential, metadata only, disable; and logs that hold no secrets or bodies.</summary>
public sealed class AdminTests
{
    [Fact]
    public async Task Admin_api_needs_its_credential()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = relay.Admin.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = relay.Admin.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guessed-credential");

        await RelayAssert.Problem(await anonymous.GetAsync(RelayRoutes.AdminStats), 401, RelayProblem.Unauthenticated);
        await RelayAssert.Problem(await wrong.GetAsync(RelayRoutes.AdminStats), 401, RelayProblem.Unauthenticated);
        Assert.True((await relay.Admin.GetAsync(RelayRoutes.AdminStats)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Admin_credential_file_is_private_and_restarts_keep_it_and_the_log_key()
    {
        await using var relay = await RelayFixture.StartAsync();
        var path = relay.Server.AdminCredentialPath!;
        var credential = File.ReadAllText(path);
        var logKey = relay.Server.LogPublicKey;

        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.NotEqual(relay.Public.BaseAddress, relay.Admin.BaseAddress);
        await relay.Server.StopAsync();
        await using var again = await RelayServer.StartAsync(new RelayServerOptions
        {
            Store = relay.Store,
            DataDirectory = relay.DataFolder,
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            LogKeyArgon2 = new Enigm.Keys.Protection.Argon2idSettings(Enigm.Keys.Protection.Argon2idSettings.MinMemoryKiB, 1, 1),
        });
        Assert.Equal(credential, File.ReadAllText(again.AdminCredentialPath!));
        Assert.Equal(logKey, again.LogPublicKey);
    }

    [Fact]
    public async Task Admin_responses_show_queue_depths_but_never_a_submitted_body()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        const string Secret = "the-plaintext-nobody-may-see";
        var body = Encoding.UTF8.GetBytes(Secret);
        await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [new OutgoingMessage("phone", new byte[16], body)]), RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);

        var one = await relay.Admin.GetStringAsync(RelayRoutes.AdminAccount.Replace("{account}", bob.Id, StringComparison.Ordinal));
        var all = await relay.Admin.GetStringAsync(RelayRoutes.AdminAccounts);
        var stats = await relay.Admin.GetStringAsync(RelayRoutes.AdminStats);

        var account = System.Text.Json.JsonSerializer.Deserialize(one, RelayJson.Default.AdminAccount)!;
        Assert.Equal(1, Assert.Single(account.Devices).QueuedMessages);
        Assert.Contains(bob.Id, all, StringComparison.Ordinal);
        foreach (var text in new[] { one, all, stats })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(body), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Admin_routes_do_not_exist_on_the_public_listener_nor_public_routes_on_the_admin_one()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var withCredential = new HttpClient { BaseAddress = relay.Public.BaseAddress };
        withCredential.DefaultRequestHeaders.Authorization = relay.Admin.DefaultRequestHeaders.Authorization;

        await RelayAssert.Problem(await withCredential.GetAsync(RelayRoutes.AdminStats), 404, RelayProblem.NotFound);
        await RelayAssert.Problem(await relay.Admin.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest([1]), RelayJson.Default.CreateAccountRequest), 404, RelayProblem.NotFound);
    }

    [Fact]
    public async Task Disabling_an_unknown_account_is_unknown_account()
    {
        await using var relay = await RelayFixture.StartAsync();

        var response = await relay.Admin.PostAsync(RelayRoutes.AdminDisableAccount.Replace("{account}", new string('a', 64), StringComparison.Ordinal), null);

        await RelayAssert.Problem(response, 404, RelayProblem.UnknownAccount);
    }

    [Fact]
    public async Task Logs_hold_no_tokens_bodies_or_credentials()
    {
        var sink = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(sink));
        await using var relay = await RelayFixture.StartAsync(o => o with { LoggerFactory = factory });
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        var token = await alice.LoginAsync(relay, "phone");
        using var alicePhone = relay.Client(token);
        const string Secret = "a-message-body-for-the-log-scan";
        await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [new OutgoingMessage("phone", new byte[16], Encoding.UTF8.GetBytes(Secret))]), RelayJson.Default.SubmitRequest);
        await relay.Public.GetAsync(RelayRoutes.MailboxStream + "?token=" + token);
        await relay.Admin.GetAsync(RelayRoutes.AdminStats);

        var credential = relay.Admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var logs = string.Join("\n", sink.Lines);
        Assert.Contains(RelayRoutes.Messages, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(credential, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), logs, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
