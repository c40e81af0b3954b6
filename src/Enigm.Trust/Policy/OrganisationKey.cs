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

    public static string IdOf(byte[] encodedPublicKey) =>
        "org-" + Convert.ToHexStringLower(SHA256.HashData(encodedPublicKey).AsSpan(0, 8));
}
