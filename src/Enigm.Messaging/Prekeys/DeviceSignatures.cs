using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// Signing with a device's composite key and verifying against the key a verified device log holds for the
/// device now. A device that the log does not list (unknown or revoked) is never asked for a signature check:
/// trust comes from the log, never from the object being verified.
/// </summary>
internal static class DeviceSignatures
{
    public static byte[] Sign(CryptoProviders providers, PrivateKey deviceKey, byte[] message)
    {
        if (deviceKey.Algorithm is not SignatureAlgorithm algorithm)
            throw new ArgumentException($"{deviceKey.Algorithm.Name} is not a signature key.", nameof(deviceKey));
        return providers.Signature(algorithm).Sign(deviceKey, message);
    }

    /// <summary>
    /// The trusted device named by <paramref name="body"/> in <paramref name="log"/>: same account, listed as
    /// trusted (revoked and unknown devices give <see cref="UntrustedDeviceException"/>).
    /// </summary>
    public static TrustedDevice RequireTrusted(TrustedDeviceSet log, IdentityBody body)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!log.Account.Equals(body.Account))
            throw new UntrustedDeviceException(body.Account.Hex, body.DeviceId, $"the device log given is that of account {log.Account.Hex}");
        if (log.RevokedDevices.Any(d => d.Id == body.DeviceId))
            throw new UntrustedDeviceException(body.Account.Hex, body.DeviceId, "its account's device log revoked it");
        return log.Find(body.DeviceId)
            ?? throw new UntrustedDeviceException(body.Account.Hex, body.DeviceId, "its account's device log does not list it");
    }

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="message"/> with the device's current key.</summary>
    public static void Verify(TrustedDevice device, byte[] message, byte[] signature, SuitePolicy policy, CryptoProviders providers, string what)
    {
        var key = CryptoObject.Decode(device.PublicKey, ObjectType.PublicKey, policy);
        if (key.Algorithm is not SignatureAlgorithm algorithm || !algorithm.IsComposite)
            throw new PrekeyBundleInvalidException($"Device {device.Id} holds a {key.Algorithm.Name} key; a messaging identity needs a composite device key.");
        if (signature.Length < algorithm.MinSignatureSize || signature.Length > algorithm.MaxSignatureSize)
            throw new PrekeyBundleInvalidException($"The {what} signature has {signature.Length} bytes; {algorithm.Name} signatures have {algorithm.MinSignatureSize}..{algorithm.MaxSignatureSize}.");
        bool valid;
        try
        {
            valid = providers.Signature(algorithm).Verify(key.Value, message, signature);
        }
        catch (InvalidKeyException e)
        {
            throw new PrekeyBundleInvalidException($"The device key of {device.Id} cannot be used: {e.Message}");
        }

        if (!valid)
            throw new PrekeyBundleInvalidException($"The {what} signature does not verify with the current key of device {device.Id}.");
    }
}
