using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;

namespace Enigm.Ota.Metadata;

/// <summary>
/// A public key as TUF metadata lists it (TUF 4.2 "KEY"): <c>{"keytype", "scheme", "keyval":
/// {"public": hex}}</c>. The standard <c>ed25519</c> type keeps classical repositories readable by
/// standard TUF clients; the Enigm types carry post-quantum keys. A key of a type this build does not
/// know is kept (so its keyid and the metadata stay intact) but never counts towards a threshold.
/// </summary>
public sealed class TufKey
{
    /// <summary>The key types this build verifies: (keytype, scheme) → algorithm.</summary>
    private static readonly (string KeyType, string Scheme, SignatureAlgorithm Algorithm)[] KnownTypes =
    [
        ("ed25519", "ed25519", SignatureAlgorithm.Ed25519),
        ("enigm-composite", "id-MLDSA87-ECDSA-P384-SHA512", SignatureAlgorithm.MlDsa87EcdsaP384),
        ("ml-dsa", "ML-DSA-87", SignatureAlgorithm.MlDsa87),
        ("slh-dsa", "SLH-DSA-SHA2-256s", SignatureAlgorithm.SlhDsaSha2_256s),
    ];

    private readonly byte[]? _publicKey;

    private TufKey(JsonObjectValue json, string keyType, string scheme, SignatureAlgorithm? algorithm, byte[]? publicKey)
    {
        Json = json;
        KeyType = keyType;
        Scheme = scheme;
        Algorithm = algorithm;
        _publicKey = publicKey;
        // TUF 4.2: KEYID is the hex SHA-256 of the canonical JSON of the key object.
        KeyId = Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(json)));
    }

    public string KeyType { get; }

    public string Scheme { get; }

    /// <summary>The verifying algorithm, or null for a key type this build does not support.</summary>
    public SignatureAlgorithm? Algorithm { get; }

    public bool IsSupported => Algorithm is not null;

    /// <summary>The raw public key for supported types.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The key object as it appears in metadata, unknown members included.</summary>
    public JsonObjectValue Json { get; }

    public string KeyId { get; }

    /// <summary>The (keytype, scheme) for an algorithm Enigm signs TUF metadata with.</summary>
    public static (string KeyType, string Scheme) TypeOf(SignatureAlgorithm algorithm)
    {
        foreach (var known in KnownTypes)
            if (known.Algorithm == algorithm) return (known.KeyType, known.Scheme);
        throw new AlgorithmUnavailableException($"{algorithm.Name} is not a TUF key type of Enigm.");
    }

    public static TufKey Create(SignatureAlgorithm algorithm, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var (keyType, scheme) = TypeOf(algorithm);
        var json = new JsonObjectValue(
        [
            new("keytype", new JsonStringValue(keyType)),
            new("scheme", new JsonStringValue(scheme)),
            new("keyval", new JsonObjectValue([new("public", new JsonStringValue(Convert.ToHexStringLower(publicKey)))])),
        ]);
        return FromJson(json);
    }

    /// <summary>Reads a key object. Unknown types are accepted; a known type with a bad public key is not.</summary>
    public static TufKey FromJson(JsonObjectValue json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var keyType = json.RequiredString("keytype");
        var scheme = json.RequiredString("scheme");
        var keyval = json.Required<JsonObjectValue>("keyval");
        foreach (var known in KnownTypes)
        {
            if (known.KeyType != keyType || known.Scheme != scheme) continue;
            var hex = keyval.RequiredString("public");
            var publicKey = Hex.DecodeLower(hex, "public key");
            if (publicKey.Length != known.Algorithm.PublicKeySize)
                throw new MalformedInputException($"{keyType} public key has {publicKey.Length} bytes, expected {known.Algorithm.PublicKeySize}.");
            return new TufKey(json, keyType, scheme, known.Algorithm, publicKey);
        }

        return new TufKey(json, keyType, scheme, null, null);
    }

    /// <summary>
    /// Verifies a hex signature over <paramref name="message"/> (the canonical JSON of "signed").
    /// False for unsupported key types, undecodable hex, keys the provider rejects and bad signatures.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, string signatureHex, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(signatureHex);
        ArgumentNullException.ThrowIfNull(providers);
        if (Algorithm is null) return false;
        if (signatureHex.Length > 2 * Algorithm.MaxSignatureSize || !Hex.TryDecodeLower(signatureHex, out var signature))
            return false;
        try
        {
            return providers.Signature(Algorithm).Verify(_publicKey, message, signature);
        }
        catch (InvalidKeyException)
        {
            return false;
        }
    }

    public override string ToString() => $"TufKey({KeyType}/{Scheme}, {KeyId[..16]})";
}
