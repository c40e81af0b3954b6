using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Primitives;

/// <summary>The result of an encapsulation: a ciphertext to send and the shared secret to keep.</summary>
public sealed class KemEncapsulation(byte[] ciphertext, SecretBytes sharedSecret) : IDisposable
{
    public byte[] Ciphertext { get; } = ciphertext;

    public SecretBytes SharedSecret { get; } = sharedSecret;

    public void Dispose() => SharedSecret.Dispose();
}

/// <summary>
/// A key-encapsulation mechanism from one provider. Implementations throw only
/// <see cref="EnigmException"/> subclasses: <see cref="Errors.InvalidKeyException"/> for a
/// public or private key that fails the standard's checks (FIPS 203 7.2/7.3 input checks), and
/// <see cref="Errors.MalformedInputException"/> for a ciphertext of the wrong length. A well-formed but
/// tampered ciphertext decapsulates to an unrelated secret (FIPS 203 implicit rejection).
/// </summary>
public interface IKem
{
    KemAlgorithm Algorithm { get; }

    /// <summary>Provider name as reported by <c>enigm selftest</c>.</summary>
    string Provider { get; }

    PrivateKey GenerateKeyPair();

    /// <summary>Deterministic key generation from the standard seed (FIPS 203 d‖z; X-Wing 32-byte seed).</summary>
    PrivateKey DeriveKeyPair(ReadOnlySpan<byte> seed);

    /// <summary>Imports an expanded decapsulation key (FIPS 203 dk), checking its embedded hash.</summary>
    PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey);

    /// <summary>Checks a public key (length and, for ML-KEM, the FIPS 203 7.2 modulus check).</summary>
    void ValidatePublicKey(ReadOnlySpan<byte> publicKey);

    KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey);

    /// <summary>Encapsulation with caller-supplied randomness, for known-answer tests only.</summary>
    KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness);

    SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext);
}
