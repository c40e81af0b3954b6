using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Enrollment;

/// <summary>
/// The existing device's side of enrollment (docs/trust-verification.md, "Enrollment"): read the link
/// code, send Hello, receive Ready and send Reveal, compare the SAS, then — only after both users
/// confirmed — have the <see cref="IEnrollmentLog"/> prepare the add-device entry, collect the new
/// device's co-signature, append and send the account state. Each step fails closed.
/// </summary>
public sealed class ExistingDeviceEnrollment : EnrollmentSession
{
    private const int MaxDeviceInfoSize = DeviceInfo.MaxSize;

    private readonly IEnrollmentLog _log;
    private readonly byte[] _existingNonce;
    private byte[]? _prepared;

    private ExistingDeviceEnrollment(IEnrollmentLog log, EnrollmentChannel channel, byte[] hello, byte[] existingNonce)
    {
        _log = log;
        Channel = channel;
        Hello = hello;
        _existingNonce = existingNonce;
    }

    /// <summary>The Hello message to send to the new device.</summary>
    public byte[] Hello { get; }

    /// <summary>The device being enrolled, once its DeviceInfo arrived.</summary>
    public EnrolledDeviceKey? NewDevice { get; private set; }

    public string? NewDeviceName { get; private set; }

    /// <summary>Step 2 from the text form of the link code. Any parse failure is <see cref="EnrollmentCodeInvalidException"/>.</summary>
    public static ExistingDeviceEnrollment Open(string linkCodeText, AccountFingerprint account, IEnrollmentLog log, EnrollmentOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(linkCodeText);
        options ??= EnrollmentOptions.Default;
        using var code = ParseOrInvalid(() => LinkCode.ParseText(linkCodeText, options.SuitePolicy));
        return Open(code, account, log, time);
    }

    /// <summary>Step 2 from the binary (QR) form of the link code.</summary>
    public static ExistingDeviceEnrollment Open(byte[] linkCodeBytes, AccountFingerprint account, IEnrollmentLog log, EnrollmentOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(linkCodeBytes);
        options ??= EnrollmentOptions.Default;
        using var code = ParseOrInvalid(() => LinkCode.Parse(linkCodeBytes, options.SuitePolicy));
        return Open(code, account, log, time);
    }

    /// <summary>
    /// Step 2: refuses an expired code, encapsulates to the new device's X-Wing key (draft-connolly-cfrg-xwing-kem),
    /// commits to this side's SAS nonce and builds Hello = header ‖ code id ‖ KEM ciphertext ‖ account
    /// fingerprint ‖ commitment ‖ AEAD tag (empty payload, clear fields as associated data).
    /// </summary>
    public static ExistingDeviceEnrollment Open(LinkCode code, AccountFingerprint account, IEnrollmentLog log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(log);
        time ??= TimeProvider.System;
        if (time.GetUtcNow() >= code.ExpiresAt)
            throw new EnrollmentExpiredException($"The link code expired at {code.ExpiresAt:O}.");

        var suite = code.Suite;
        var nonce = RandomNumberGenerator.GetBytes(EnrollmentChannel.NonceSize);
        using var encapsulation = CryptoProviders.Default.Kem(suite.HybridKem).Encapsulate(code.KemPublicKey);
        byte[] clearFields = [.. code.CodeId, .. encapsulation.Ciphertext, .. account.Bytes, .. EnrollmentChannel.Commitment(suite, nonce)];
        byte[] prefix = [.. EnrollmentChannel.Header(EnrollmentMessageType.Hello, 0), .. clearFields];
        var transcript = EnrollmentChannel.TranscriptHash(suite, code.PublicPart(), prefix);
        var channel = EnrollmentChannel.Derive(suite, encapsulation.SharedSecret.Span, code.OneTimeSecret.Span, transcript, existingSide: true);
        var hello = channel.Seal(EnrollmentMessageType.Hello, default, clearFields);
        return new ExistingDeviceEnrollment(log, channel, hello, nonce);
    }

    /// <summary>
    /// Step 4: opens Ready (proof that the new device holds the KEM key and the same one-time secret),
    /// computes the SAS and returns the Reveal message that opens this side's commitment.
    /// </summary>
    public byte[] ReceiveReady(byte[] ready) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(ready);
        RequireReceiveStage(EnrollmentStage.Started, ready, EnrollmentMessageType.Ready);
        var newNonce = Channel!.Open(ready, EnrollmentMessageType.Ready, EnrollmentChannel.NonceSize);
        if (newNonce.Length != EnrollmentChannel.NonceSize)
            throw new EnrollmentCodeInvalidException("The new device's SAS nonce has the wrong length.");
        var reveal = Channel.Seal(EnrollmentMessageType.Reveal, _existingNonce);
        Sas = Channel.Sas(_existingNonce, newNonce);
        Stage = EnrollmentStage.AwaitingConfirmation;
        return reveal;
    });

    /// <summary>
    /// Step 5: after this user confirmed the SAS, opens the new device's key and name (the new device
    /// only sends them after its own confirmation) and asks the log to prepare the entry to co-sign.
    /// Returns the AddDeviceRequest message.
    /// </summary>
    public byte[] ReceiveDeviceInfo(byte[] deviceInfo) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(deviceInfo);
        RequireReceiveStage(EnrollmentStage.Confirmed, deviceInfo, EnrollmentMessageType.DeviceInfo);
        var (key, name) = DeviceInfo.Decode(Channel!.Open(deviceInfo, EnrollmentMessageType.DeviceInfo, MaxDeviceInfoSize));
        CryptoProviders.Default.Signature(key.Algorithm).ValidatePublicKey(key.PublicKey);
        NewDevice = key;
        NewDeviceName = name;
        Stage = EnrollmentStage.AddingDevice;
        _prepared = _log.PrepareAddDevice(key, name);
        return Channel.Seal(EnrollmentMessageType.AddDeviceRequest, _prepared);
    });

    /// <summary>Step 6: opens the co-signature, has the log verify and append, and returns the AccountState message.</summary>
    public byte[] ReceiveSignature(byte[] signature) => Step(() =>
    {
        ArgumentNullException.ThrowIfNull(signature);
        RequireReceiveStage(EnrollmentStage.AddingDevice, signature, EnrollmentMessageType.DeviceSignature);
        var newDeviceSignature = Channel!.Open(signature, EnrollmentMessageType.DeviceSignature, NewDeviceEnrollment.MaxSignatureSize);
        var state = _log.CompleteAddDevice(_prepared!, newDeviceSignature);
        Stage = EnrollmentStage.Completed;
        return Channel.Seal(EnrollmentMessageType.AccountState, state);
    });

    private static LinkCode ParseOrInvalid(Func<LinkCode> parse)
    {
        try
        {
            return parse();
        }
        catch (MalformedInputException e)
        {
            throw new EnrollmentCodeInvalidException($"The link code is not valid: {e.Message}");
        }
        catch (InvalidKeyException e)
        {
            throw new EnrollmentCodeInvalidException($"The link code's key is not valid: {e.Message}");
        }
    }
}
