using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>TUF 4.2 signature entry: the signing key's id and the hex signature.</summary>
public sealed record TufSignature(string KeyId, string Sig);

/// <summary>
/// The signed envelope of TUF 4.2: <c>{"signed": ROLE, "signatures": [{"keyid", "sig"}]}</c>.
/// Signatures cover the canonical JSON of "signed" as received, so members this build does not model
/// are kept in <see cref="SignedJson"/> and still verify.
/// </summary>
public sealed class Metadata<T>
    where T : RoleMetadata, IRoleMetadata<T>
{
    /// <summary>Most signatures one file may carry; far above any sensible threshold.</summary>
    public const int MaxSignatures = 1024;

    private byte[]? _signedBytes;

    private Metadata(T signed, JsonObjectValue signedJson, IReadOnlyList<TufSignature> signatures)
    {
        Signed = signed;
        SignedJson = signedJson;
        Signatures = signatures;
    }

    public T Signed { get; }

    public JsonObjectValue SignedJson { get; }

    public IReadOnlyList<TufSignature> Signatures { get; }

    /// <summary>
    /// The bytes the signatures cover: canonical JSON of "signed" (for parsed metadata whose "signed"
    /// was already canonical, the received bytes, which are equal to it).
    /// </summary>
    public ReadOnlySpan<byte> SignedBytes => _signedBytes ??= CanonicalJson.Serialize(SignedJson);

    /// <summary>New, unsigned metadata for a role built in code.</summary>
    public static Metadata<T> Create(T signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return new Metadata<T>(signed, signed.ToJson(), []);
    }

    /// <summary>Parses untrusted bytes; structure is validated, signatures are not (see <see cref="ThresholdVerifier"/>).</summary>
    public static Metadata<T> FromBytes(ReadOnlySpan<byte> json, int maxBytes = CanonicalJson.DefaultMaxBytes)
    {
        // TUF 4.2: signatures cover the canonical JSON of "signed". When the received bytes of "signed"
        // are proven canonical by the strict reader they are exactly that serialisation, so they are
        // used as is; otherwise SignedBytes re-serialises the parsed value (and signatures over the
        // non-canonical bytes do not verify).
        var envelope = CanonicalJson.ParseObject(json, maxBytes, "signed", out var canonicalSigned);
        foreach (var name in envelope.Keys)
            if (name is not ("signed" or "signatures")) throw new MalformedInputException($"Unexpected envelope member \"{name}\".");
        var signedJson = envelope.Required<JsonObjectValue>("signed");
        var signatureArray = envelope.Required<JsonArrayValue>("signatures");
        if (signatureArray.Count > MaxSignatures)
            throw new MalformedInputException($"{signatureArray.Count} signatures exceed the limit of {MaxSignatures}.");
        var signatures = signatureArray.Select(s =>
        {
            var entry = s as JsonObjectValue ?? throw new MalformedInputException("Signature entry is not an object.");
            return new TufSignature(entry.RequiredString("keyid"), entry.RequiredString("sig"));
        }).ToList();
        return new Metadata<T>(T.FromJson(signedJson), signedJson, signatures)
        {
            _signedBytes = canonicalSigned is { } range ? json[range].ToArray() : null,
        };
    }

    /// <summary>The envelope as canonical JSON (what Enigm publishes).</summary>
    public byte[] ToBytes() => CanonicalJson.Serialize(new JsonObjectValue(
    [
        new("signed", SignedJson),
        new("signatures", new JsonArrayValue(Signatures.Select(s => (JsonNodeValue)new JsonObjectValue(
        [
            new("keyid", new JsonStringValue(s.KeyId)),
            new("sig", new JsonStringValue(s.Sig)),
        ])).ToList())),
    ]));

    /// <summary>Adds a signature, replacing an earlier one by the same key.</summary>
    public Metadata<T> WithSignature(TufSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var signatures = Signatures.Where(s => s.KeyId != signature.KeyId).Append(signature).ToList();
        return new Metadata<T>(Signed, SignedJson, signatures) { _signedBytes = _signedBytes };
    }

    /// <summary>Signs the canonical "signed" bytes with <paramref name="signer"/>.</summary>
    public Metadata<T> Sign(TufSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return WithSignature(signer.Sign(SignedBytes));
    }

    /// <summary>Same signatures, raw: for tests and tools that must build unusual envelopes.</summary>
    internal Metadata<T> WithSignatures(IReadOnlyList<TufSignature> signatures) =>
        new(Signed, SignedJson, signatures);
}
