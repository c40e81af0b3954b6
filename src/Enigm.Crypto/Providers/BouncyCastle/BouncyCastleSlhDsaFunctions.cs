using System.Reflection;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// FIPS 205 functions on BouncyCastle's SLH-DSA for any of the twelve parameter sets: key generation from
/// explicit seeds, pure signing and verification with a context, and slh_verify_internal. The provider
/// uses them for the two sets Enigm implements; known-answer runs also use them for the ten others.
/// </summary>
internal static class BouncyCastleSlhDsaFunctions
{
    // BouncyCastle 2.7.0 implements slh_verify_internal (FIPS 205 Algorithm 20) as the internal method
    // SlhDsaPublicKeyParameters.VerifyInternal(byte[] M, int off, int len, byte[] SIG); its pure SlhDsaSigner
    // calls it on M' = 0 ‖ |ctx| ‖ ctx ‖ M. There is no public entry point, so ACVP's internal-interface
    // sigVer vectors reach it by reflection; when a future version moves it, those vectors count as unsupported.
    private static readonly MethodInfo? VerifyInternalMethod = typeof(SlhDsaPublicKeyParameters).GetMethod(
        "VerifyInternal",
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
        [typeof(byte[]), typeof(int), typeof(int), typeof(byte[])]);

    private static readonly Dictionary<string, SlhDsaParameters> ByName = new(StringComparer.Ordinal)
    {
        ["SLH-DSA-SHA2-128s"] = SlhDsaParameters.slh_dsa_sha2_128s,
        ["SLH-DSA-SHAKE-128s"] = SlhDsaParameters.slh_dsa_shake_128s,
        ["SLH-DSA-SHA2-128f"] = SlhDsaParameters.slh_dsa_sha2_128f,
        ["SLH-DSA-SHAKE-128f"] = SlhDsaParameters.slh_dsa_shake_128f,
        ["SLH-DSA-SHA2-192s"] = SlhDsaParameters.slh_dsa_sha2_192s,
        ["SLH-DSA-SHAKE-192s"] = SlhDsaParameters.slh_dsa_shake_192s,
        ["SLH-DSA-SHA2-192f"] = SlhDsaParameters.slh_dsa_sha2_192f,
        ["SLH-DSA-SHAKE-192f"] = SlhDsaParameters.slh_dsa_shake_192f,
        ["SLH-DSA-SHA2-256s"] = SlhDsaParameters.slh_dsa_sha2_256s,
        ["SLH-DSA-SHAKE-256s"] = SlhDsaParameters.slh_dsa_shake_256s,
        ["SLH-DSA-SHA2-256f"] = SlhDsaParameters.slh_dsa_sha2_256f,
        ["SLH-DSA-SHAKE-256f"] = SlhDsaParameters.slh_dsa_shake_256f,
    };

    public static bool HasVerifyInternal => VerifyInternalMethod is not null;

    /// <summary>The parameter set for a FIPS 205 / ACVP name such as <c>SLH-DSA-SHA2-128s</c>; null when unknown.</summary>
    public static SlhDsaParameters? Parameters(string name) => ByName.GetValueOrDefault(name);

    /// <summary>n, the security parameter in bytes (FIPS 205 Table 2).</summary>
    public static int N(SlhDsaParameters parameters) => PublicKeySize(parameters) / 2;

    /// <summary>PK.seed ‖ PK.root: 2n bytes.</summary>
    public static int PublicKeySize(SlhDsaParameters parameters) => parameters.ParameterSet.Name switch
    {
        var s when s.Contains("128", StringComparison.Ordinal) => 32,
        var s when s.Contains("192", StringComparison.Ordinal) => 48,
        _ => 64,
    };

    public static int SignatureSize(SlhDsaParameters parameters)
    {
        var signer = new SlhDsaSigner(parameters, deterministic: true);
        signer.Init(false, SlhDsaPublicKeyParameters.FromEncoding(parameters, new byte[PublicKeySize(parameters)]));
        return signer.GetMaxSignatureSize();
    }

    /// <summary>
    /// FIPS 205 Algorithm 18, slh_keygen_internal: BouncyCastle's key-pair generator draws SK.seed, SK.prf and
    /// PK.seed from its random source in that order, so a source that returns exactly those bytes runs the
    /// library's own key generation on them. Returns the 4n-byte sk (caller zeroes it) and the 2n-byte pk.
    /// </summary>
    public static (byte[] PrivateKey, byte[] PublicKey) KeyGenInternal(SlhDsaParameters parameters, ReadOnlySpan<byte> skSeed, ReadOnlySpan<byte> skPrf, ReadOnlySpan<byte> pkSeed)
    {
        var n = N(parameters);
        if (skSeed.Length != n || skPrf.Length != n || pkSeed.Length != n)
            throw new ArgumentException($"SLH-DSA seeds must be {n} bytes each.");

        var seeds = new byte[3 * n];
        try
        {
            skSeed.CopyTo(seeds);
            skPrf.CopyTo(seeds.AsSpan(n));
            pkSeed.CopyTo(seeds.AsSpan(2 * n));
            var generator = new SlhDsaKeyPairGenerator();
            generator.Init(new SlhDsaKeyGenerationParameters(new SecureRandom(new ExactBytesGenerator(seeds)), parameters));
            var pair = generator.GenerateKeyPair();
            var privateKey = (SlhDsaPrivateKeyParameters)pair.Private;
            return (privateKey.GetEncoded(), ((SlhDsaPublicKeyParameters)pair.Public).GetEncoded());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }
    }

    /// <summary>FIPS 205 Algorithm 22, slh_sign (pure, hedged): M' = 0 ‖ |ctx| ‖ ctx ‖ M, opt_rand from BouncyCastle's CSPRNG.</summary>
    public static byte[] Sign(SlhDsaParameters parameters, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
    {
        var sk = privateKey.ToArray();
        var ctx = context.ToArray();
        try
        {
            var signer = new SlhDsaSigner(parameters, deterministic: false);
            signer.Init(true, new ParametersWithContext(SlhDsaPrivateKeyParameters.FromEncoding(parameters, sk), ctx));
            signer.BlockUpdate(message);
            return signer.GenerateSignature();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sk);
        }
    }

    /// <summary>FIPS 205 Algorithm 24, slh_verify (pure). The caller has checked the public-key length.</summary>
    public static bool Verify(SlhDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context)
    {
        var verifier = new SlhDsaSigner(parameters, deterministic: false);
        verifier.Init(false, new ParametersWithContext(SlhDsaPublicKeyParameters.FromEncoding(parameters, publicKey.ToArray()), context.ToArray()));
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }

    /// <summary>FIPS 205 Algorithm 20, slh_verify_internal; null when this BouncyCastle build does not expose it.</summary>
    public static bool? VerifyInternal(SlhDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (VerifyInternalMethod is null) return null;

        // The pure signer checks the signature length before calling the internal function; so do we.
        if (publicKey.Length != PublicKeySize(parameters) || signature.Length != SignatureSize(parameters))
            return false;

        var key = SlhDsaPublicKeyParameters.FromEncoding(parameters, publicKey.ToArray());
        var m = message.ToArray();
        try
        {
            return (bool)VerifyInternalMethod.Invoke(key, [m, 0, m.Length, signature.ToArray()])!;
        }
        catch (TargetInvocationException)
        {
            return false;
        }
    }

    /// <summary>A random source that hands out exactly the given bytes once, then refuses.</summary>
    private sealed class ExactBytesGenerator(byte[] source) : Org.BouncyCastle.Crypto.Prng.IRandomGenerator
    {
        private int _position;

        public void AddSeedMaterial(byte[] seed) { }

        public void AddSeedMaterial(ReadOnlySpan<byte> seed) { }

        public void AddSeedMaterial(long seed) { }

        public void NextBytes(byte[] bytes) => NextBytes(bytes.AsSpan());

        public void NextBytes(byte[] bytes, int start, int len) => NextBytes(bytes.AsSpan(start, len));

        public void NextBytes(Span<byte> output)
        {
            if (_position + output.Length > source.Length)
                throw new CryptoException("SLH-DSA key generation asked for more seed bytes than FIPS 205 Algorithm 21 draws.");
            source.AsSpan(_position, output.Length).CopyTo(output);
            _position += output.Length;
        }
    }
}
