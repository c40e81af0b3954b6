using Enigm.Client.Errors;
using Enigm.Client.State;
using Enigm.Client.Tests.Support;
using Enigm.Keys;
using Enigm.Keys.Errors;
using Enigm.Server.Storage;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;

namespace Enigm.Client.Tests.EndToEnd;

/// <summary>Duplicates, tampering, reopening, a wrong passphrase and a relay that swaps a device log.</summary>
public sealed class RobustnessTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice = await _devices.CreateAsync("alice", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        await _alice.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("alice", _alice.Account);
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task A_message_delivered_twice_is_stored_once()
    {
        await _alice.SendTextAsync("bob", "only once");
        var delivered = Assert.Single((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);

        // The ack was lost: the relay delivers the same message again.
        var first = await _bob.HandleAsync(delivered, null, CancellationToken.None);
        var second = await _bob.HandleAsync(delivered, null, CancellationToken.None);

        Assert.Equal("only once", first.Message?.Text);
        Assert.Null(second.Message);
        Assert.True(second.Acknowledge);
        Assert.Contains(second.Notices, n => n.Kind == ClientNoticeKind.Duplicate);
        Assert.Single(_bob.StoredMessages(), m => m.Text == "only once");
    }

    [Fact]
    public async Task A_retried_submit_is_delivered_once()
    {
        await _alice.SendTextAsync("bob", "first");
        // The same submit again, as a client retrying after a lost answer: same id, same ciphertext.
        var stored = Assert.Single((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
        var alicesRelay = _alice.Relay;
        await alicesRelay.SubmitAsync(new global::Enigm.Relay.SubmitRequest(_bob.Account, [new global::Enigm.Relay.OutgoingMessage(_bob.DeviceId, stored.MessageId, stored.Body)]), null, CancellationToken.None);

        var received = await _bob.ReceiveAsync(TimeSpan.FromSeconds(2));
        Assert.Single(received.Messages, m => m.Text == "first");
        Assert.Empty((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
    }

    [Fact]
    public async Task A_tampered_message_is_refused_and_the_genuine_one_still_opens()
    {
        await _alice.SendTextAsync("bob", "genuine");
        var delivered = Assert.Single((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
        var body = delivered.Body.ToArray();
        body[body.Length - 20] ^= 0x01;

        var tampered = await _bob.HandleAsync(delivered with { Body = body }, null, CancellationToken.None);
        Assert.Null(tampered.Message);
        Assert.Contains(tampered.Notices, n => n.Kind == ClientNoticeKind.MessageRefused);

        var genuine = await _bob.HandleAsync(delivered, null, CancellationToken.None);
        Assert.Equal("genuine", genuine.Message?.Text);
    }

    [Fact]
    public async Task A_message_under_another_message_id_is_refused()
    {
        await _alice.SendTextAsync("bob", "spliced");
        var delivered = Assert.Single((await _bob.Relay.MailboxAsync(10, 0, CancellationToken.None)).Messages);
        var relabelled = await _bob.HandleAsync(delivered with { MessageId = new byte[16] }, null, CancellationToken.None);
        Assert.Null(relabelled.Message);
        Assert.Contains(relabelled.Notices, n => n.Kind == ClientNoticeKind.MessageRefused);
    }

    [Fact]
    public async Task State_survives_reopening_the_client()
    {
        await _alice.SendTextAsync("bob", "before closing");
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        var account = _bob.Account;
        _bob.Dispose();

        _bob = _devices.Open("bob");
        Assert.Equal(account, _bob.Account);
        Assert.Equal("alice", Assert.Single(_bob.Contacts()).Name);
        Assert.Contains(_bob.StoredMessages(), m => m.Text == "before closing");

        // The sessions were kept: the conversation goes on in both directions.
        await _alice.SendTextAsync("bob", "after reopening");
        Assert.Equal("after reopening", Assert.Single((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
        await _bob.SendTextAsync("alice", "still here");
        Assert.Equal("still here", Assert.Single((await _alice.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
    }

    [Fact]
    public void A_wrong_passphrase_is_refused()
    {
        _bob.Dispose();
        Assert.Throws<WrongPassphraseException>(() => _devices.Open("bob", "not the passphrase at all, sorry"));
        _bob = _devices.Open("bob");
    }

    [Theory]
    [InlineData(2)] // written by a newer build
    [InlineData(0)] // no build writes it: damaged
    public void A_home_of_a_client_format_this_build_does_not_read_is_refused_and_left_unchanged(int version)
    {
        _bob.Dispose();
        var before = RewriteDeviceVersion(version);

        var refused = Assert.Throws<ClientStateException>(() => _devices.Open("bob"));
        Assert.Contains($"format {version}", refused.Message, StringComparison.Ordinal);
        // Refused before anything was rewritten: the stored device record is byte-for-byte what was there.
        using (var ring = KeyRing.Open(new ClientOptions { Home = _devices.Home("bob") }.StorePath, _ => TestDevices.Protector()))
        {
            Assert.Equal(before, ring.Records.Get(RecordNames.Device));
        }

        RewriteDeviceVersion(ClientStoreFormat.Current);
        _bob = _devices.Open("bob");
    }

    /// <summary>Rewrites client/device with another format version through the key ring (a sealed record); returns what was stored.</summary>
    private byte[] RewriteDeviceVersion(int version)
    {
        using var ring = KeyRing.Open(new ClientOptions { Home = _devices.Home("bob") }.StorePath, _ => TestDevices.Protector());
        var device = StateJson.Read(RecordNames.Device, ring.Records.Get(RecordNames.Device)!, StateJson.Default.DeviceRecord);
        var bytes = StateJson.Write(device with { Version = version }, StateJson.Default.DeviceRecord);
        ring.Records.Put(RecordNames.Device, bytes);
        return bytes;
    }

    [Fact]
    public async Task Creating_a_second_device_in_the_same_home_is_refused()
    {
        await Assert.ThrowsAsync<ClientStateException>(() => _devices.CreateAsync("bob", _relay.Url));
        Assert.Throws<ClientStateException>(() => _devices.Open("nobody"));
    }

    [Fact]
    public async Task A_relay_that_swaps_a_device_log_is_caught()
    {
        // The relay replaces alice's log with another account's (mallory's), devices and all.
        using var mallory = await _devices.CreateAsync("mallory", _relay.Url);
        var stored = (await _relay.Store.GetAccountAsync(_alice.Account))!;
        var forged = (await _relay.Store.GetAccountAsync(mallory.Account))!;
        Assert.True(await _relay.Store.ReplaceDeviceLogAsync(_alice.Account, stored.LogEntries, forged.DeviceLog, forged.LogEntries, stored.Devices));

        // A newcomer gets mallory's log under alice's account id: its genesis is not alice's.
        using var carol = await _devices.CreateAsync("carol", _relay.Url);
        await Assert.ThrowsAsync<DeviceLogForkException>(() => carol.AddContactAsync("alice", _alice.Account));
        Assert.Empty(carol.Contacts());
        var refresh = await Assert.ThrowsAnyAsync<EnigmException>(() => _alice.ListDevicesAsync());
        Assert.True(refresh is DeviceLogForkException or TransparencyProofException, refresh.GetType().Name);
    }

    [Fact]
    public async Task A_relay_that_serves_a_shorter_log_is_caught()
    {
        // Alice's log grows (a device is linked), then the relay serves the old genesis-only log again.
        var genesisOnly = (await _relay.Store.GetAccountAsync(_alice.Account))!;
        using var alice2 = await _devices.LinkAsync(_alice, "alice2", _relay.Url);
        await _bob.SendTextAsync("alice", "to both devices");
        var grown = (await _relay.Store.GetAccountAsync(_alice.Account))!;
        Assert.True(await _relay.Store.ReplaceDeviceLogAsync(_alice.Account, grown.LogEntries, genesisOnly.DeviceLog, genesisOnly.LogEntries, grown.Devices));

        var error = await Assert.ThrowsAnyAsync<EnigmException>(() => _alice.ListDevicesAsync());
        Assert.True(error is DeviceLogRollbackException or TransparencyProofException, error.GetType().Name);
    }
}
