using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.Policy;

/// <summary>
/// The organisation admin's public key as clients pin it: an encoded <see cref="CryptoObject"/> public key of the suite's
/// device-signature algorithm (composite id-MLDSA65-Ed25519-SHA512). <see cref="Id"/>, <c>org-</c> and the first 8 bytes
/// of SHA-256 over the encoded key in hex, names the organisation in every policy and admin action, so a statement
/// signed by another organisation's key is refused by id before any signature is tried.
/// </summary>
public sealed class OrganisationKey
{
    private OrganisationKey(byte[] encoded, byte[] raw, ushort suiteId)
    {
        Encoded = encoded;
        Raw = raw;
        SuiteId = suiteId;
        Id = IdOf(encoded);
    }

    public string Id { get; }

    /// <summary>The encoded public key (what is pinned and published).</summary>
    public byte[] Encoded { get; }

    /// <summary>The raw public key the signature scheme takes.</summary>
    public byte[] Raw { get; }

    public ushort SuiteId { get; }

    /// <summary>Parses a pinned key; an unusable one is <see cref="OrganisationKeyException"/>.</summary>
    public static OrganisationKey FromEncoded(byte[] encoded, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        policy ??= SuitePolicy.Default;
        try
        {
            var key = CryptoObject.DecodePublicKey(encoded, policy, providers ?? CryptoProviders.Default);
            if (key.Algorithm != key.Suite.DeviceSignature)
                throw new OrganisationKeyException($"An organisation key must be a {key.Suite.DeviceSignature.Name} key, not {key.Algorithm.Name}.");
            return new OrganisationKey([.. encoded], key.Value, key.Suite.Id);
        }
        catch (Exception e) when (e is MalformedInputException or InvalidKeyException)
        {
            throw new OrganisationKeyException($"The organisation key is not a usable public key: {e.Message}");
        }
    }

    /// <summary>Wraps a raw public key of <paramref name="suite"/>'s device-signature algorithm.</summary>
    public static OrganisationKey FromRaw(byte[] raw, Suite? suite = null)
    {
        suite ??= SuiteRegistry.Suite1;
        return FromEncoded(new CryptoObject(ObjectType.PublicKey, suite, suite.DeviceSignature, raw).Encode());
    }

    /// <summary>
    /// The full fingerprint to compare or pin out of band: lowercase hex SHA-256 of the encoded public key. The
    /// <see cref="Id"/> is a 64-bit name, too short to stand for the key against a chosen substitute; this is not.
    /// </summary>
    public string Fingerprint => FingerprintOf(Encoded);

    public static string FingerprintOf(byte[] encodedPublicKey) => Convert.ToHexStringLower(SHA256.HashData(encodedPublicKey));

    /// <summary>
    /// Reads a fingerprint as a person types or pastes it: 64 hex digits, either case, with optional spaces, colons or
    /// dashes between them, optionally prefixed <c>sha256:</c>. Anything else is <see cref="OrganisationKeyException"/>.
    /// </summary>
    public static byte[] ParseFingerprint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[7..];
        if (trimmed.Length > 256) throw new OrganisationKeyException("An organisation fingerprint is 64 hex digits (SHA-256 of the key).");
        var hex = new string([.. trimmed.Where(c => c is not (' ' or ':' or '-'))]);
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            throw new OrganisationKeyException("An organisation fingerprint is 64 hex digits (SHA-256 of the key), as `enigm org init` prints it.");
        return Convert.FromHexString(hex);
    }

    public static string IdOf(byte[] encodedPublicKey) =>
        "org-" + Convert.ToHexStringLower(SHA256.HashData(encodedPublicKey).AsSpan(0, 8));
}
