using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>The device side: enrollment in three steps, and the writer refusing what verifiers would reject.</summary>
public sealed class DeviceLogWriterTests
{
    [Fact]
    public void Adds_a_device_in_three_steps_across_devices()
    {
        var existing = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        using var newKey = Key(2);

        // Existing device → (channel) → new device → (channel) → existing device.
        var unsigned = existing.PrepareAddDevice("laptop", "Laptop", newKey.PublicKey);
        var received = UnsignedDeviceLogEntry.Decode(unsigned.Bytes);
        Assert.Equal((DeviceLogEntryKind.AddDevice, "laptop", "Laptop"), (received.Kind, received.SubjectId, received.SubjectName));
        var proof = DeviceLogWriter.SignAsNewDevice(received, newKey);
        existing.CompleteAddDevice(unsigned, "phone", Key(1), proof);

        var set = DeviceLogVerifier.Verify(existing.Entries);
        Assert.True(set.IsTrusted("laptop"));
        Assert.Equal(Encoded(newKey), set.Find("laptop")!.PublicKey);
    }

    [Fact]
    public void New_device_refuses_to_sign_an_entry_adding_another_key()
    {
        var existing = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        var unsigned = existing.PrepareAddDevice("laptop", "Laptop", Key(3).PublicKey);
        Assert.Throws<MalformedInputException>(() => DeviceLogWriter.SignAsNewDevice(UnsignedDeviceLogEntry.Decode(unsigned.Bytes), Key(2)));
    }

    [Fact]
    public void Unsigned_entry_bytes_with_signatures_are_refused()
    {
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        Assert.Throws<MalformedInputException>(() => UnsignedDeviceLogEntry.Decode(writer.Entries[0]));
    }

    [Fact]
    public void A_wrong_proof_of_possession_is_refused_and_the_log_is_unchanged()
    {
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        var unsigned = writer.PrepareAddDevice("laptop", "Laptop", Key(2).PublicKey);
        var wrongProof = DeviceLogWriter.SignAsNewDevice(writer.PrepareAddDevice("laptop", "Laptop", Key(2).PublicKey), Key(2))[..^1];
        Assert.Throws<DeviceLogSignatureException>(() => writer.CompleteAddDevice(unsigned, "phone", Key(1), wrongProof));
        Assert.Single(writer.Entries);
        Assert.False(writer.State.IsTrusted("laptop"));
    }

    [Fact]
    public void Writer_refuses_a_revoked_device_as_signer()
    {
        var writer = Sample();
        var before = writer.Head;
        Assert.Throws<UntrustedSignerException>(() => writer.AddDevice("tv", "TV", Key(9), "tablet", Key(3)));
        Assert.Equal(before, writer.Head);
    }

    [Fact]
    public void Open_continues_a_verified_log()
    {
        var writer = DeviceLogWriter.Open(Sample().Entries);
        writer.AddDevice("watch", "Watch", Key(10), "laptop", Key(4));
        var set = DeviceLogVerifier.Verify(writer.Entries);
        Assert.Equal(["phone", "laptop", "watch"], set.Devices.Select(d => d.Id));
    }

    [Fact]
    public void Device_id_is_derived_from_the_public_key()
    {
        using var key = Key(1);
        var id = DeviceLogWriter.DeviceIdFor(key);
        Assert.Matches("^dev-[0-9a-f]{16}$", id);
        Assert.Equal(id, DeviceLogWriter.DeviceIdFor(Key(1)));
        Assert.NotEqual(id, DeviceLogWriter.DeviceIdFor(Key(2)));
    }

    [Fact]
    public void Writer_refuses_ids_and_texts_the_verifier_would_reject()
    {
        Assert.Throws<ArgumentException>(() => DeviceLogWriter.CreateGenesis("bad id", "Phone", Key(1)));
        Assert.Throws<ArgumentException>(() => DeviceLogWriter.CreateGenesis("phone", "evil\u001b[2J", Key(1)));
    }

    [Fact]
    public void Tracker_stores_the_head_and_detects_a_later_rollback()
    {
        var store = new InMemoryDeviceLogStore();
        var tracker = new DeviceLogTracker(store);
        var full = Sample().Entries;
        var set = tracker.Accept(full);
        Assert.Equal(set.Head, store.ReadLastSeenHead(set.Account));
        var loaded = tracker.Load(set.Account)!;
        Assert.Equal(set.Head, loaded.Head);
        Assert.Equal(set.Devices.Select(d => d.Id), loaded.Devices.Select(d => d.Id));
        Assert.Throws<DeviceLogRollbackException>(() => tracker.Accept(full.Take(2).ToList(), set.Account));
        Assert.Throws<DeviceLogRollbackException>(() => tracker.Accept(full.Take(2).ToList()));
        Assert.Equal(full.Count, store.ReadEntries(set.Account).Count);
    }
}
