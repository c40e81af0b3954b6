using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Xunit;

namespace Enigm.Trust.Tests.Enrollment;

/// <summary>Enrollment wired to a real device log: the add-device entry carries both signatures, or nothing is appended.</summary>
public sealed class DeviceLogEnrollmentTests
{
    private static readonly Crypto.Primitives.ISignatureScheme Scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    [Fact]
    public void A_linked_device_is_trusted_in_the_log_the_new_device_receives()
    {
        using var phoneKey = Scheme.GenerateKey();
        using var tabletKey = Scheme.GenerateKey();
        var phoneId = DeviceLogWriter.DeviceIdFor(phoneKey);
        var log = DeviceLogWriter.CreateGenesis(phoneId, "phone", phoneKey);

        using var tablet = NewDeviceEnrollment.Start();
        using var phone = ExistingDeviceEnrollment.Open(tablet.Code.ToText(), log.Account, new DeviceLogEnrollmentLog(log, phoneId, phoneKey));
        tablet.ReceiveReveal(phone.ReceiveReady(tablet.ReceiveHello(phone.Hello)));
        phone.Confirm(true);
        tablet.Confirm(true);
        var request = phone.ReceiveDeviceInfo(tablet.SendDeviceInfo(new DeviceKeyCosigner(tabletKey), "tablet"));
        tablet.ReceiveAccountState(phone.ReceiveSignature(tablet.ReceiveAddDeviceRequest(request)));

        var received = DeviceLogVerifier.Verify(DeviceLogFile.Decode(tablet.AccountState.ToArray()));
        Assert.Equal(log.Account, received.Account);
        Assert.True(received.IsTrusted(DeviceLogWriter.DeviceIdFor(tabletKey)));
        Assert.Equal("tablet", received.Find(DeviceLogWriter.DeviceIdFor(tabletKey))!.Name);
        Assert.Equal(2, log.Entries.Count);
    }

    [Fact]
    public void A_bad_proof_of_possession_is_refused_and_nothing_is_appended()
    {
        using var phoneKey = Scheme.GenerateKey();
        using var tabletKey = Scheme.GenerateKey();
        var phoneId = DeviceLogWriter.DeviceIdFor(phoneKey);
        var log = DeviceLogWriter.CreateGenesis(phoneId, "phone", phoneKey);
        var adapter = new DeviceLogEnrollmentLog(log, phoneId, phoneKey);
        var cosigner = new DeviceKeyCosigner(tabletKey);

        var prepared = adapter.PrepareAddDevice(cosigner.DeviceKey, "tablet");
        Assert.True(cosigner.EntryAddsThisDevice(prepared));
        var signature = cosigner.SignEntry(prepared);
        signature[10] ^= 1;

        Assert.Throws<DeviceLogSignatureException>(() => adapter.CompleteAddDevice(prepared, signature));
        Assert.Single(log.Entries);
    }

    [Fact]
    public void The_new_device_refuses_to_cosign_an_entry_for_another_key()
    {
        using var phoneKey = Scheme.GenerateKey();
        using var tabletKey = Scheme.GenerateKey();
        using var otherKey = Scheme.GenerateKey();
        var phoneId = DeviceLogWriter.DeviceIdFor(phoneKey);
        var log = DeviceLogWriter.CreateGenesis(phoneId, "phone", phoneKey);
        var adapter = new DeviceLogEnrollmentLog(log, phoneId, phoneKey);

        var prepared = adapter.PrepareAddDevice(new DeviceKeyCosigner(otherKey).DeviceKey, "impostor");

        Assert.False(new DeviceKeyCosigner(tabletKey).EntryAddsThisDevice(prepared));
        Assert.False(new DeviceKeyCosigner(tabletKey).EntryAddsThisDevice([1, 2, 3]));
    }
}
