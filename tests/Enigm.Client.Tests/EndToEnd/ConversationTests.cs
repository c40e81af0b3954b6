using Enigm.Client.Errors;
using Enigm.Client.Tests.Support;
using Xunit;

namespace Enigm.Client.Tests.EndToEnd;

/// <summary>Alice with two devices and Bob with one, through a real relay on loopback.</summary>
public sealed class ConversationTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice1 = null!;
    private EnigmClient _alice2 = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice1 = await _devices.CreateAsync("alice1", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        _alice2 = await _devices.LinkAsync(_alice1, "alice2", _relay.Url);
        await _alice1.AddContactAsync("bob", _bob.Account);
        await _alice2.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("alice", _alice1.Account);
    }

    public async Task DisposeAsync()
    {
        _alice1.Dispose();
        _alice2.Dispose();
        _bob.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task Linked_device_joins_the_account_and_both_devices_list_it()
    {
        Assert.Equal(_alice1.Account, _alice2.Account);
        var devices = await _alice1.ListDevicesAsync();
        Assert.Equal(2, devices.Count(d => !d.Revoked));
        Assert.Contains(devices, d => d.DeviceId == _alice2.DeviceId && d.Name == "alice2");
        Assert.Single(devices, d => d.IsThisDevice && d.DeviceId == _alice1.DeviceId);
    }

    [Fact]
    public async Task Messages_reach_every_device_of_both_accounts_both_ways()
    {
        var sent = await _alice1.SendTextAsync("bob", "hello bob");
        Assert.Equal(1, sent.RecipientDevices);
        Assert.Equal(1, sent.OwnDevices);

        var atBob = Assert.Single((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages);
        Assert.Equal("hello bob", atBob.Text);
        Assert.Equal("alice", atBob.FromContact);
        Assert.Equal(_alice1.DeviceId, atBob.FromDevice);
        Assert.Equal(sent.MessageId, atBob.MessageId);

        var copy = Assert.Single((await _alice2.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages);
        Assert.True(copy.FromOwnAccount);
        Assert.Equal("bob", copy.ToContact);
        Assert.Equal("hello bob", copy.Text);

        var reply = await _bob.SendTextAsync("alice", "hello both alices");
        Assert.Equal(2, reply.RecipientDevices);
        foreach (var alice in new[] { _alice1, _alice2 })
        {
            var received = Assert.Single((await alice.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages);
            Assert.Equal("hello both alices", received.Text);
            Assert.Equal("bob", received.FromContact);
        }

        await _alice2.SendTextAsync("bob", "from the second device");
        Assert.Equal("from the second device", Assert.Single((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
        Assert.Equal(_alice2.DeviceId, Assert.Single(_bob.StoredMessages(1)).FromDevice);
        Assert.Equal("from the second device", Assert.Single((await _alice1.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
    }

    [Fact]
    public async Task Bob_answers_with_sealed_sender_once_alice_handed_him_her_delivery_token()
    {
        Assert.False(_bob.Contact("alice").HasDeliveryToken);
        await _alice1.SendTextAsync("bob", "here is my token, inside the message");
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.True(_bob.Contact("alice").HasDeliveryToken);
        await _bob.SendTextAsync("alice", "sent without my identity on the request");
        Assert.Equal("sent without my identity on the request", Assert.Single((await _alice1.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
    }

    [Fact]
    public async Task Attachment_round_trips_to_every_device_with_progress()
    {
        var file = Path.Combine(_devices.Folder, "photo.bin");
        var bytes = new byte[300_000];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        var uploaded = new List<TransferProgress>();
        await _alice1.SendFileAsync("bob", file, "a photo", new SyncProgress(uploaded));
        Assert.NotEmpty(uploaded);
        Assert.Equal(uploaded[^1].Total, uploaded[^1].Transferred);

        foreach (var device in new[] { _bob, _alice2 })
        {
            var message = Assert.Single((await device.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages);
            Assert.Equal("a photo", message.Text);
            var attachment = Assert.IsType<ReceivedAttachment>(message.Attachment);
            Assert.Null(attachment.Error);
            Assert.Equal("photo.bin", attachment.FileName);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(attachment.SavedPath!));
        }
    }

    [Fact]
    public async Task Revoked_device_gets_nothing_more_and_the_relay_refuses_it()
    {
        var revoked = await _alice1.RevokeDeviceAsync(_alice2.DeviceId, "lost");
        Assert.True(revoked.Revoked);

        // Bob still has the old log pinned: the relay's mismatch makes him fetch, verify and follow the new one.
        var sent = await _bob.SendTextAsync("alice", "only for the remaining device");
        Assert.Equal(1, sent.RecipientDevices);
        Assert.Equal("only for the remaining device", Assert.Single((await _alice1.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
        var sentByAlice = await _alice1.SendTextAsync("bob", "my other device is gone");
        Assert.Equal(0, sentByAlice.OwnDevices);

        await Assert.ThrowsAsync<DeviceRevokedException>(() => _alice2.ReceiveAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task Safety_numbers_agree_on_both_sides_and_verify_the_contact()
    {
        var atAlice = _alice1.SafetyNumber("bob");
        var atBob = _bob.SafetyNumber("alice");
        Assert.Equal(atAlice.Digits, atBob.Digits);
        Assert.Throws<SafetyNumberMismatchException>(() => _alice1.VerifyContact("bob", new string('1', 60)));
        Assert.Equal(Trust.States.TrustState.Unverified, _alice1.Contact("bob").State);
        Assert.Equal(Trust.States.TrustState.Verified, _alice1.VerifyContact("bob", atBob.ToString()).State);
        Assert.Equal(Trust.States.TrustState.Verified, _bob.VerifyContactByQr("alice", _alice1.SafetyNumberQr("bob")).State);
        Assert.Contains(_bob.TrustReview().Accounts, a => a.Contact == "alice" && a.State == Trust.States.TrustState.Verified);
    }

    private sealed class SyncProgress(List<TransferProgress> seen) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (seen) seen.Add(value);
        }
    }
}
