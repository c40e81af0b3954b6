using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Enrollment;

/// <summary>
/// The new device's side of enrollment (docs/trust-verification.md, "Enrollment"): show the
/// <see cref="Code"/>, answer Hello with Ready, receive Reveal, compare the SAS, send the device key,
/// co-sign the add-device entry, receive the account state. Each step fails closed.
/// </summary>
public sealed class NewDeviceEnrollment : EnrollmentSession
{
    /// <summary>Largest co-signature the new device sends (SLH-DSA-SHA2-256s is 29792 bytes).</summary>
    internal const int MaxSignatureSize = 64 << 10;

    private readonly EnrollmentOptions _options;
    private readonly TimeProvider _time;
    private readonly PrivateKey _kemKey;
    private byte[]? _newNonce;
    private byte[]? _commitment;
    private bool _codeUsed;
    private INewDeviceCosigner? _cosigner;
    private byte[]? _accountState;

    private NewDeviceEnrollment(LinkCode code, PrivateKey kemKey, EnrollmentOptions options, TimeProvider time)
    {
        Code = code;
        _kemKey = kemKey;
        _options = options;
        _time = time;
    }

    /// <summary>The code to show (QR: <see cref="LinkCode.ToBytes"/>; text: <see cref="LinkCode.ToText"/>).</summary>
    public LinkCode Code { get; }

    /// <summary>The account that is enrolling this device, as named in Hello (bound into the SAS).</summary>
    public AccountFingerprint? ExistingAccount { get; private set; }

    /// <summary>The account state received at the end (null before).</summary>
    public ReadOnlySpan<byte> AccountState => _accountState;

    /// <summary>Step 1: a fresh X-Wing key pair, code id and one-time secret, valid for <see cref="EnrollmentOptions.CodeLifetime"/>.</summary>
    public static NewDeviceEnrollment Start(EnrollmentOptions? options = null, TimeProvider? time = null)
    {
        options ??= EnrollmentOptions.Default;
        time ??= TimeProvider.System;
        // A code the other device's policy would refuse is not worth showing: check what it relies on.
        var suite = options.SuitePolicy.Preferred;
        options.SuitePolicy.Require(suite.Id, LinkCode.ReliedOn(suite));
        var kemKey = CryptoProviders.Default.Kem(suite.HybridKem).GenerateKeyPair();
        var secret = new SecretBytes(LinkCode.SecretSize);
        RandomNumberGenerator.Fill(secret.WritableSpan);
        var expires = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + options.CodeLifetime).ToUnixTimeSeconds());
        var code = new LinkCode(suite, RandomNumberGenerator.GetBytes(LinkCode.CodeIdSize), expires, kemKey.PublicKey, secret);
        return new NewDeviceEnrollment(code, kemKey, options, time);
    }

    /// <summary>
    /// Step 3: checks the Hello (code id, expiry, single use), decapsulates, derives the channel keys
    /// and authenticates Hello with them (a wrong one-time secret or KEM key fails here with
    /// <see cref="EnrollmentCodeInvalidException"/>). Returns the Ready message to send back.
    /// </summary>
    public byte[] ReceiveHello(byte[] hello) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (_codeUsed) throw new EnrollmentReplayException("This link code was already used.");
        RequireStage(EnrollmentStage.Started);
        var suite = Code.Suite;
        var ciphertextSize = suite.HybridKem.CiphertextSize;
        var clearSize = LinkCode.CodeIdSize + ciphertextSize + AccountFingerprint.Length + suite.Hash.Size;
        var expectedSize = EnrollmentChannel.HeaderSize + clearSize + suite.Aead.TagSize;
        if (hello.Length != expectedSize)
            throw new MalformedInputException($"A Hello is {expectedSize} bytes, not {hello.Length}.");
        var (type, sequence) = EnrollmentChannel.ReadHeader(hello, expectedSize);
        if (type != (byte)EnrollmentMessageType.Hello || sequence != 0)
            throw new EnrollmentCodeInvalidException($"Expected a Hello, got message type {type} number {sequence}.");

        var fields = hello.AsSpan(EnrollmentChannel.HeaderSize, clearSize);
        if (!fields[..LinkCode.CodeIdSize].SequenceEqual(Code.CodeId))
            throw new EnrollmentCodeInvalidException("The Hello names another link code.");
        if (_time.GetUtcNow() >= Code.ExpiresAt)
            throw new EnrollmentExpiredException($"The link code expired at {Code.ExpiresAt:O}.");

        var ciphertext = fields.Slice(LinkCode.CodeIdSize, ciphertextSize);
        var account = new AccountFingerprint(fields.Slice(LinkCode.CodeIdSize + ciphertextSize, AccountFingerprint.Length));
        var commitment = fields[(LinkCode.CodeIdSize + ciphertextSize + AccountFingerprint.Length)..].ToArray();

        var transcript = EnrollmentChannel.TranscriptHash(suite, Code.PublicPart(), hello.AsSpan(0, EnrollmentChannel.HeaderSize + clearSize));
        using (var shared = CryptoProviders.Default.Kem(suite.HybridKem).Decapsulate(_kemKey, ciphertext))
            Channel = EnrollmentChannel.Derive(suite, shared.Span, Code.OneTimeSecret.Span, transcript, existingSide: false);
        Channel.Open(hello, EnrollmentMessageType.Hello, maxPayload: 0, clearFieldsSize: clearSize);

        // Authenticated: the code is spent, whatever happens next.
        _codeUsed = true;
        ExistingAccount = account;
        _commitment = commitment;
        _newNonce = RandomNumberGenerator.GetBytes(EnrollmentChannel.NonceSize);
        Stage = EnrollmentStage.ChannelOpen;
        return Channel.Seal(EnrollmentMessageType.Ready, _newNonce);
    });

    /// <summary>Step 4 (new side): opens Reveal, checks the existing device's nonce against its commitment, computes the SAS.</summary>
    public void ReceiveReveal(byte[] reveal) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(reveal);
        RequireReceiveStage(EnrollmentStage.ChannelOpen, reveal, EnrollmentMessageType.Reveal);
        var existingNonce = Channel!.Open(reveal, EnrollmentMessageType.Reveal, EnrollmentChannel.NonceSize);
        if (existingNonce.Length != EnrollmentChannel.NonceSize
            || !CryptographicOperations.FixedTimeEquals(EnrollmentChannel.Commitment(Code.Suite, existingNonce), _commitment))
            throw new EnrollmentCodeInvalidException("The existing device's SAS nonce does not match its commitment.");
        Sas = Channel.Sas(existingNonce, _newNonce);
        Stage = EnrollmentStage.AwaitingConfirmation;
        return 0;
    });

    /// <summary>Step 5 (after <see cref="EnrollmentSession.Confirm"/>): announces this device's signing key and name.</summary>
    public byte[] SendDeviceInfo(INewDeviceCosigner cosigner, string deviceName) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(cosigner);
        ArgumentNullException.ThrowIfNull(deviceName);
        RequireStage(EnrollmentStage.Confirmed);
        _cosigner = cosigner;
        var payload = DeviceInfo.Encode(cosigner.DeviceKey, deviceName);
        Stage = EnrollmentStage.AddingDevice;
        return Channel!.Seal(EnrollmentMessageType.DeviceInfo, payload);
    });

    /// <summary>
    /// Step 5 (continued): opens the unsigned add-device entry, checks through the cosigner that it adds
    /// this device's key, and returns the co-signature message.
    /// </summary>
    public byte[] ReceiveAddDeviceRequest(byte[] request) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireReceiveStage(EnrollmentStage.AddingDevice, request, EnrollmentMessageType.AddDeviceRequest);
        if (_cosigner is null) throw new InvalidOperationException("Send the device info first.");
        var prepared = Channel!.Open(request, EnrollmentMessageType.AddDeviceRequest, _options.MaxPreparedEntrySize);
        if (!_cosigner.EntryAddsThisDevice(prepared))
            throw new EnrollmentCodeInvalidException("The entry to co-sign does not add this device's key.");
        var signature = _cosigner.SignEntry(prepared);
        if (signature.Length > MaxSignatureSize) throw new InvalidOperationException("Co-signature is larger than the protocol allows.");
        return Channel.Seal(EnrollmentMessageType.DeviceSignature, signature);
    });

    /// <summary>Step 6: opens the account state; the enrollment is complete.</summary>
    public byte[] ReceiveAccountState(byte[] message) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireReceiveStage(EnrollmentStage.AddingDevice, message, EnrollmentMessageType.AccountState);
        _accountState = Channel!.Open(message, EnrollmentMessageType.AccountState, _options.MaxAccountStateSize);
        Stage = EnrollmentStage.Completed;
        return _accountState;
    });

    private protected override void DisposeCore()
    {
        _kemKey.Dispose();
        Code.Dispose();
    }
}
