using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>
/// One key holder's ability to sign TUF metadata (TUF 4.2: a signature over the canonical JSON of
/// "signed", written as hex). The repository never sees private keys, only signers.
/// </summary>
public interface ITufSigner
{
    /// <summary>The public key as metadata lists it; its keyid names the signature.</summary>
    TufKey Key { get; }

    /// <summary>Signs the canonical bytes of a "signed" object.</summary>
    TufSignature Sign(ReadOnlySpan<byte> signedBytes);
}

/// <summary>An <see cref="ITufSigner"/> over a <see cref="PrivateKey"/> the caller owns (and disposes).</summary>
public sealed class PrivateKeyTufSigner(PrivateKey privateKey, CryptoProviders? providers = null) : ITufSigner
{
    private readonly TufSigner _signer = new(privateKey, providers);

    public TufKey Key => _signer.Key;

    public TufSignature Sign(ReadOnlySpan<byte> signedBytes) => _signer.Sign(signedBytes);
}

/// <summary>
/// An <see cref="ITufSigner"/> over a key held in an Enigm key store: the private key never leaves the
/// <see cref="KeyRing"/>, which also refuses to sign with a suspended, revoked or expired key.
/// </summary>
public sealed class KeyRingTufSigner : ITufSigner
{
    private readonly KeyRing _ring;

    public KeyRingTufSigner(KeyRing ring, KeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(record);
        _ring = ring;
        Record = record;
        var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => a.Name == record.Algorithm) as SignatureAlgorithm
            ?? throw new AlgorithmUnavailableException($"Key {record.Id} ({record.Algorithm}) is not a signature key.");
        Key = TufKey.Create(algorithm, record.PublicKey);
    }

    /// <summary>The key store's record of the key (id, purpose, state).</summary>
    public KeyRecord Record { get; }

    public TufKey Key { get; }

    public TufSignature Sign(ReadOnlySpan<byte> signedBytes) =>
        new(Key.KeyId, Convert.ToHexStringLower(_ring.Sign(Record.Id, signedBytes)));
}
