using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Trust.Enrollment;

namespace Enigm.Trust.Tests.Enrollment;

/// <summary>
/// A stand-in device log: the "entry" is a label ‖ the new key ‖ the name; completing verifies the
/// co-signature and appends. Counts every call so tests can prove nothing was appended.
/// </summary>
internal sealed class FakeEnrollmentLog : IEnrollmentLog
{
    public static readonly byte[] EntryLabel = "fake-add-device:"u8.ToArray();

    public List<(EnrolledDeviceKey Key, string Name)> Prepared { get; } = [];

    public List<byte[]> Appended { get; } = [];

    /// <summary>When set, PrepareAddDevice returns this instead of an entry naming the device.</summary>
    public byte[]? PrepareOverride { get; set; }

    public byte[] PrepareAddDevice(EnrolledDeviceKey newDevice, string deviceName)
    {
        Prepared.Add((newDevice, deviceName));
        return PrepareOverride ?? [.. EntryLabel, .. newDevice.PublicKey, .. System.Text.Encoding.UTF8.GetBytes(deviceName)];
    }

    public byte[] CompleteAddDevice(byte[] prepared, byte[] newDeviceSignature)
    {
        var (key, _) = Prepared[^1];
        CryptoProviders.Default.Signature(key.Algorithm).VerifyOrThrow(key.PublicKey, prepared, newDeviceSignature);
        Appended.Add(prepared);
        return [.. "account-state:"u8, .. prepared];
    }
}

/// <summary>A new device's Ed25519 signing key behind <see cref="INewDeviceCosigner"/>.</summary>
internal sealed class TestCosigner : INewDeviceCosigner, IDisposable
{
    private readonly ISignatureScheme _scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519);
    private readonly PrivateKey _key;

    public TestCosigner()
    {
        _key = _scheme.GenerateKey();
        DeviceKey = new EnrolledDeviceKey(SignatureAlgorithm.Ed25519, _key.PublicKey);
    }

    public EnrolledDeviceKey DeviceKey { get; }

    public int Signed { get; private set; }

    public bool EntryAddsThisDevice(ReadOnlySpan<byte> preparedEntry) =>
        preparedEntry.StartsWith(FakeEnrollmentLog.EntryLabel) && preparedEntry.IndexOf(DeviceKey.PublicKey) >= 0;

    public byte[] SignEntry(ReadOnlySpan<byte> preparedEntry)
    {
        Signed++;
        return _scheme.Sign(_key, preparedEntry);
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>Both devices of one enrollment, wired to one clock.</summary>
internal sealed class EnrollmentPair : IDisposable
{
    public EnrollmentPair(States.ManualClock clock, EnrollmentOptions? options = null)
    {
        Clock = clock;
        Options = options ?? EnrollmentOptions.Default;
        New = NewDeviceEnrollment.Start(Options, clock);
    }

    public States.ManualClock Clock { get; }

    public EnrollmentOptions Options { get; }

    public NewDeviceEnrollment New { get; }

    public FakeEnrollmentLog Log { get; } = new();

    public TestCosigner Cosigner { get; } = new();

    public ExistingDeviceEnrollment OpenExisting(string? code = null) =>
        ExistingDeviceEnrollment.Open(code ?? New.Code.ToText(), Verification.Fingerprints.Alice, Log, Options, Clock);

    /// <summary>Runs Hello, Ready and Reveal; both sides then show their SAS.</summary>
    public ExistingDeviceEnrollment UpToSas()
    {
        var existing = OpenExisting();
        var ready = New.ReceiveHello(existing.Hello);
        New.ReceiveReveal(existing.ReceiveReady(ready));
        return existing;
    }

    public void Dispose()
    {
        New.Dispose();
        Cosigner.Dispose();
    }
}

/// <summary>Announces one device's key but signs with another's (a stolen-code attacker without the device key).</summary>
internal sealed class ImpostorCosigner(TestCosigner announced, TestCosigner signer) : INewDeviceCosigner
{
    public EnrolledDeviceKey DeviceKey => announced.DeviceKey;

    public bool EntryAddsThisDevice(ReadOnlySpan<byte> preparedEntry) => announced.EntryAddsThisDevice(preparedEntry);

    public byte[] SignEntry(ReadOnlySpan<byte> preparedEntry) => signer.SignEntry(preparedEntry);
}

internal static class Bytes
{
    public static byte[] Flip(byte[] message, int index)
    {
        var copy = message.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
