using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys;

namespace Enigm.Server.Transparency;

/// <summary>
/// Lets Enigm.Trust's <see cref="Enigm.Trust.Transparency.TransparencyLog.SignTreeHead"/> sign through a
/// <see cref="KeyRing"/>, which never hands a private key out (only Enigm.Keys persists and unwraps private keys). The
/// <see cref="PrivateKey"/> the log passes is <see cref="Handle"/>: public key only, no secret material; every signature
/// is made by <see cref="KeyRing.Sign"/> with the ring's usage checks and audit.
/// </summary>
internal sealed class KeyRingSigner(KeyRing ring, string keyId, SignatureAlgorithm algorithm, byte[] publicKey) : ISignatureScheme, IDisposable
{
    public SignatureAlgorithm Algorithm => algorithm;

    public string Provider => "enigm-keyring";

    /// <summary>Names the ring's key for <see cref="Sign"/>: it holds the public key and an empty secret.</summary>
    public PrivateKey Handle { get; } = new(algorithm, SecretBytes.CopyFrom([]), PrivateKeyFormat.Seed, publicKey);

    public byte[] PublicKey => publicKey;

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        if (!ReferenceEquals(privateKey, Handle)) throw new ArgumentException("This scheme signs only with its key ring handle.", nameof(privateKey));
        return ring.Sign(keyId, message, context);
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default) =>
        ring.Options.Providers.Signature(algorithm).Verify(publicKey, message, signature, context);

    public PrivateKey GenerateKey() => throw new NotSupportedException("The log key lives in the key ring.");

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed) =>
        throw new NotSupportedException("The log key lives in the key ring.");

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => ring.Options.Providers.Signature(algorithm).ValidatePublicKey(publicKey);

    public void Dispose() => Handle.Dispose();
}
