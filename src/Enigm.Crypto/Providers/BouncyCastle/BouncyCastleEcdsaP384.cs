using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// ECDSA over P-384 with SHA-384 through BouncyCastle's <see cref="ECDsaSigner"/>, with deterministic
/// nonces (RFC 6979 §3.2, HMAC-SHA-384). Same encodings as the BCL provider: SEC1 uncompressed public
/// key, 48-byte scalar, P1363 r‖s signature.
/// </summary>
internal sealed class BouncyCastleEcdsaP384 : ISignatureScheme
{
    private static readonly ECDomainParameters Domain = CreateDomain();

    public SignatureAlgorithm Algorithm => SignatureAlgorithm.EcdsaP384;

    public string Provider => ProviderNames.BouncyCastle;

    public PrivateKey GenerateKey()
    {
        var scalar = new byte[P384.FieldSize];
        try
        {
            do RandomNumberGenerator.Fill(scalar);
            while (!P384.IsValidScalar(scalar));
            return ImportPrivateKey(scalar, PrivateKeyFormat.Expanded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        // ECDSA has no seed: both formats mean the SEC1 §2.3.6 fixed-width 48-byte scalar.
        var d = DecodeScalar(privateKey);
        var q = Domain.G.Multiply(d).Normalize();
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Expanded, q.GetEncoded(compressed: false));
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => DecodePoint(publicKey);

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireNoContext(context, Algorithm);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha384Digest()));
        signer.Init(true, new ECPrivateKeyParameters(DecodeScalar(privateKey.Material), Domain));
        var rs = signer.GenerateSignature(Sha384(message));
        var signature = new byte[2 * P384.FieldSize];
        BigIntegers.AsUnsignedByteArray(rs[0], signature, 0, P384.FieldSize);
        BigIntegers.AsUnsignedByteArray(rs[1], signature, P384.FieldSize, P384.FieldSize);
        return signature;
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        var q = DecodePoint(publicKey);
        if (!context.IsEmpty || signature.Length != 2 * P384.FieldSize) return false;
        var r = new BigInteger(1, signature[..P384.FieldSize]);
        var s = new BigInteger(1, signature[P384.FieldSize..]);
        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(q, Domain));
        // ECDsaSigner.VerifySignature rejects r or s outside [1, n-1] (FIPS 186-5 §6.4.2 step 2).
        return signer.VerifySignature(Sha384(message), r, s);
    }

    private BigInteger DecodeScalar(ReadOnlySpan<byte> scalar)
    {
        SignatureGuards.RequirePrivateKeyLength(scalar, P384.FieldSize, Algorithm, PrivateKeyFormat.Expanded);
        if (!P384.IsValidScalar(scalar))
            throw new InvalidKeyException("P-384 private scalar is outside [1, n-1].");
        return new BigInteger(1, scalar);
    }

    private Org.BouncyCastle.Math.EC.ECPoint DecodePoint(ReadOnlySpan<byte> publicKey)
    {
        SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);
        if (publicKey[0] != 0x04)
            throw new InvalidKeyException("P-384 public key must be a SEC1 uncompressed point (0x04 ‖ X ‖ Y).");
        try
        {
            // DecodePoint checks the coordinates are field elements and the point is on the curve.
            var point = Domain.Curve.DecodePoint(publicKey.ToArray());
            return point.IsInfinity || !point.IsValid()
                ? throw new InvalidKeyException("P-384 public key is not a valid curve point.")
                : point;
        }
        catch (ArgumentException e)
        {
            throw new InvalidKeyException("P-384 public key is not a point on the curve.", e);
        }
    }

    private static byte[] Sha384(ReadOnlySpan<byte> message)
    {
        var digest = new Sha384Digest();
        digest.BlockUpdate(message);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash, 0);
        return hash;
    }

    private static ECDomainParameters CreateDomain()
    {
        var curve = SecNamedCurves.GetByName("secp384r1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H, curve.GetSeed());
    }
}
