using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers.Signatures;

namespace Enigm.Crypto.Hybrid;

/// <summary>
/// The traditional half of a composite and the encodings the draft fixes for it (§4 "Serialization"):
/// Ed25519 keys and signatures as in RFC 8032 §3 with the 32-byte raw private key; ECDSA public keys as
/// uncompressed X9.62 points, private keys as RFC 5915 ECPrivateKey (NamedCurve present, publicKey
/// absent) and signatures as the DER Ecdsa-Sig-Value of RFC 3279 §2.2.3.
/// Enigm's component providers speak the raw forms (seed or scalar, P1363 r‖s); this class converts.
/// </summary>
internal abstract class CompositeTraditionalComponent
{
    public static readonly CompositeTraditionalComponent Ed25519 = new Ed25519Component();

    public static readonly CompositeTraditionalComponent EcdsaP384 = new EcdsaP384Component();

    public abstract SignatureAlgorithm Algorithm { get; }

    /// <summary>Composite tradSK → the component provider's private key bytes (caller zeroes).</summary>
    public abstract byte[] DecodePrivateKey(ReadOnlySpan<byte> tradSK);

    /// <summary>The component provider's private key bytes → composite tradSK.</summary>
    public abstract byte[] EncodePrivateKey(ReadOnlySpan<byte> componentPrivateKey);

    /// <summary>The format the component provider expects for <see cref="DecodePrivateKey"/>'s output.</summary>
    public abstract Secrets.PrivateKeyFormat ComponentFormat { get; }

    /// <summary>Component signature → composite tradSig.</summary>
    public abstract byte[] EncodeSignature(byte[] componentSignature);

    /// <summary>Composite tradSig → component signature; false when it is not a well-formed encoding.</summary>
    public abstract bool TryDecodeSignature(ReadOnlySpan<byte> tradSig, out byte[] componentSignature);

    private sealed class Ed25519Component : CompositeTraditionalComponent
    {
        public override SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

        public override Secrets.PrivateKeyFormat ComponentFormat => Secrets.PrivateKeyFormat.Seed;

        public override byte[] DecodePrivateKey(ReadOnlySpan<byte> tradSK) =>
            tradSK.Length == 32 ? tradSK.ToArray() : throw new Errors.InvalidKeyException("Composite Ed25519 private key must be 32 bytes.");

        public override byte[] EncodePrivateKey(ReadOnlySpan<byte> componentPrivateKey) => componentPrivateKey.ToArray();

        public override byte[] EncodeSignature(byte[] componentSignature) => componentSignature;

        public override bool TryDecodeSignature(ReadOnlySpan<byte> tradSig, out byte[] componentSignature)
        {
            componentSignature = tradSig.ToArray();
            return tradSig.Length == 64;
        }
    }

    private sealed class EcdsaP384Component : CompositeTraditionalComponent
    {
        public override SignatureAlgorithm Algorithm => SignatureAlgorithm.EcdsaP384;

        public override Secrets.PrivateKeyFormat ComponentFormat => Secrets.PrivateKeyFormat.Expanded;

        public override byte[] DecodePrivateKey(ReadOnlySpan<byte> tradSK) => EcPrivateKeyEncoding.DecodeP384(tradSK);

        public override byte[] EncodePrivateKey(ReadOnlySpan<byte> componentPrivateKey) => EcPrivateKeyEncoding.EncodeP384(componentPrivateKey);

        public override byte[] EncodeSignature(byte[] componentSignature) => EcdsaSignatureEncoding.P1363ToDer(componentSignature);

        public override bool TryDecodeSignature(ReadOnlySpan<byte> tradSig, out byte[] componentSignature) =>
            EcdsaSignatureEncoding.TryDerToP1363(tradSig, P384.FieldSize, out componentSignature);
    }
}
