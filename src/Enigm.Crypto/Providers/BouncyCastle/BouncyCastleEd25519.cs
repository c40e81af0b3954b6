using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// RFC 8032 Ed25519 (pure) through BouncyCastle's <see cref="Ed25519Signer"/>. The private key is the
/// 32-byte seed. A 32-byte public key that does not decode to a curve point is not a key error here:
/// as with libsodium, it simply never verifies (RFC 8032 §5.1.7 step 1).
/// </summary>
internal sealed class BouncyCastleEd25519 : ISignatureScheme
{
    private const int SeedSize = 32;

    public SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

    public string Provider => ProviderNames.BouncyCastle;

    public PrivateKey GenerateKey()
    {
        var seed = new byte[SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return ImportPrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        // RFC 8032 §5.1.5: the private key is the 32-byte seed; there is no other standard form.
        SignatureGuards.RequirePrivateKeyLength(privateKey, SeedSize, Algorithm, format);
        var key = new Ed25519PrivateKeyParameters(privateKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Seed, key.GeneratePublicKey().GetEncoded());
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireNoContext(context, Algorithm);
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(privateKey.Material));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        ValidatePublicKey(publicKey);
        if (!context.IsEmpty || signature.Length != Algorithm.MaxSignatureSize) return false;
        try
        {
            var signer = new Ed25519Signer();
            signer.Init(false, new Ed25519PublicKeyParameters(publicKey));
            signer.BlockUpdate(message);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (ArgumentException)
        {
            // The 32 bytes are not the encoding of a curve point.
            return false;
        }
    }
}
