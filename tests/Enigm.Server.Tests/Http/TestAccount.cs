using System.Net.Http.Json;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Relay;
using Enigm.Trust.DeviceLog;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>
/// An account as a client holds it: a real device log written by Enigm.Trust's <see cref="DeviceLogWriter"/> with fresh
/// composite device keys, plus the relay calls to create it, push its log and log a device in.
/// </summary>
public sealed class TestAccount : IDisposable
{
    private readonly Dictionary<string, PrivateKey> _keys = new(StringComparer.Ordinal);

    private TestAccount(DeviceLogWriter log, string firstDevice, PrivateKey key)
    {
        Log = log;
        _keys[firstDevice] = key;
    }

    public static ISignatureScheme Scheme => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    public DeviceLogWriter Log { get; }

    public string Id => Log.Account.Hex;

    public byte[] LogFile => DeviceLogFile.Encode(Log.Entries);

    public PrivateKey Key(string device) => _keys[device];

    /// <summary>A new account's genesis (not yet on the relay).</summary>
    public static TestAccount New(string firstDevice = "phone")
    {
        var key = Scheme.GenerateKey();
        return new TestAccount(DeviceLogWriter.CreateGenesis(firstDevice, firstDevice, key), firstDevice, key);
    }

    /// <summary>Creates the account on the relay and returns it.</summary>
    public static async Task<TestAccount> CreateAsync(RelayFixture relay, string firstDevice = "phone")
    {
        var account = New(firstDevice);
        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(account.LogFile), RelayJson.Default.CreateAccountRequest);
        await RelayAssert.Ok(response, RelayJson.Default.DeviceLogResponse);
        return account;
    }

    /// <summary>Adds a device to the local log (authorised by <paramref name="by"/>), not yet pushed.</summary>
    public void AddDevice(string device, string by = "phone")
    {
        var key = Scheme.GenerateKey();
        Log.AddDevice(device, device, key, by, _keys[by]);
        _keys[device] = key;
    }

    public void Revoke(string device, string by = "phone") => Log.RevokeDevice(device, "lost", by, _keys[by]);

    public Task<HttpResponseMessage> PushLogAsync(HttpClient client, byte[]? log = null) =>
        client.PostAsJsonAsync(RelayRoutes.AccountLog.Replace("{account}", Id, StringComparison.Ordinal), new AppendLogRequest(log ?? LogFile), RelayJson.Default.AppendLogRequest);

    /// <summary>Challenge, signature with the device's key, token.</summary>
    public async Task<string> LoginAsync(RelayFixture relay, string device)
    {
        var (challenge, signature) = await SignChallengeAsync(relay, device, _keys[device]);
        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(Id, device, challenge, signature), RelayJson.Default.TokenRequest);
        return (await RelayAssert.Ok(response, RelayJson.Default.TokenResponse)).Token;
    }

    /// <summary>A fresh challenge for the device, signed with <paramref name="key"/> (any key: tests pass wrong ones).</summary>
    public async Task<(byte[] Challenge, byte[] Signature)> SignChallengeAsync(RelayFixture relay, string device, PrivateKey key)
    {
        var response = await relay.Public.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(Id, device), RelayJson.Default.ChallengeRequest);
        var challenge = (await RelayAssert.Ok(response, RelayJson.Default.ChallengeResponse)).Challenge;
        return (challenge, Scheme.Sign(key, RelayAuth.SignedMessage("relay-under-test", Id, device, challenge)));
    }

    public static OutgoingMessage Message(string device, string text) =>
        new(device, RandomNumberGenerator.GetBytes(16), System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        foreach (var key in _keys.Values) key.Dispose();
    }
}
