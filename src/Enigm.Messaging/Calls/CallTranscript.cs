using System.Security.Cryptography;
using Enigm.Crypto.Secrets;

namespace Enigm.Messaging.Calls;

/// <summary>
/// What a call's pairwise setup derives from its transcript (docs/calls.md, "Setup"):
/// <code>
/// TH          = SHA-256("enigm/call/v1/transcript" + offer + answer)
/// call_secret = HKDF-SHA-256(ikm = X-Wing shared secret, salt = TH, info = "enigm/call/v1/call-secret", 32)
/// sas_hash    = HKDF-SHA-256(ikm = X-Wing shared secret, salt = TH, info = "enigm/call/v1/sas", 32)
/// SAS         = B32(first 20 bits of sas_hash)                         (ZRTP, RFC 6189 §4.5.2 and §5.1.6)
/// </code>
/// The offer names both device identities and the call id, and the answer names the offer by its hash, so the
/// transcript covers everything either side sent. As in ZRTP, the SAS depends on the shared secret: a
/// man in the middle holds a different secret with each side, so the two sides read different SAS.
/// </summary>
internal static class CallTranscript
{
    /// <summary>ZRTP's base-32 alphabet for the B32 SAS rendering (RFC 6189 §5.1.6), chosen to be read aloud.</summary>
    private const string B32Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    private static ReadOnlySpan<byte> TranscriptLabel => "enigm/call/v1/transcript"u8;

    private static ReadOnlySpan<byte> CallSecretLabel => "enigm/call/v1/call-secret"u8;

    private static ReadOnlySpan<byte> SasLabel => "enigm/call/v1/sas"u8;

    public static byte[] Hash(ReadOnlySpan<byte> offer, ReadOnlySpan<byte> answer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TranscriptLabel);
        hash.AppendData(offer);
        hash.AppendData(answer);
        return hash.GetHashAndReset();
    }

    public static SecretBytes CallSecret(SecretBytes sharedSecret, ReadOnlySpan<byte> transcriptHash)
    {
        var secret = new SecretBytes(32);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret.Span, secret.WritableSpan, transcriptHash, CallSecretLabel);
        return secret;
    }

    public static string ShortAuthenticationString(SecretBytes sharedSecret, ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> sasHash = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret.Span, sasHash, transcriptHash, SasLabel);
        // RFC 6189 §5.1.6: the leftmost 20 bits, 5 bits per character, most significant first.
        var bits = ((uint)sasHash[0] << 12) | ((uint)sasHash[1] << 4) | ((uint)sasHash[2] >> 4);
        CryptographicOperations.ZeroMemory(sasHash);
        Span<char> sas = stackalloc char[4];
        for (var i = 0; i < 4; i++) sas[i] = B32Alphabet[(int)((bits >> (15 - (5 * i))) & 0x1F)];
        return new string(sas);
    }
}
