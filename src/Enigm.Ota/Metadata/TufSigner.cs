using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Ota.Metadata;

/// <summary>
/// Signs TUF metadata with one private key (TUF 4.2: the signature is over the canonical JSON of
/// "signed", written as hex). The private key stays owned by the caller.
/// </summary>
public sealed class TufSigner
{
    private readonly PrivateKey _privateKey;
    private readonly CryptoProviders _providers;

    public TufSigner(PrivateKey privateKey, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Algorithm is not Enigm.Crypto.Algorithms.SignatureAlgorithm algorithm)
            throw new ArgumentException("Not a signature key.", nameof(privateKey));
        _privateKey = privateKey;
        _providers = providers ?? CryptoProviders.Default;
        Key = TufKey.Create(algorithm, privateKey.PublicKey);
    }

    public TufKey Key { get; }

    public string KeyId => Key.KeyId;

    public TufSignature Sign(ReadOnlySpan<byte> signedBytes)
    {
        var signature = _providers.Signature(Key.Algorithm!).Sign(_privateKey, signedBytes);
        return new TufSignature(KeyId, Convert.ToHexStringLower(signature));
    }
}
