using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Revocation;

/// <summary>
/// Signed revocation statements that a third party can check offline with only the bytes and the
/// authority's public key (docs/keys-audit.md). Encoding, deterministic CBOR:
/// <c>[version, suite, type = RevocationStatement, body (bstr), signature (bstr)]</c> with
/// <c>body = CBOR [revoked key id, revoked algorithm, SHA-256(revoked public key), reason, revoked at
/// (unix ms), authority key id, authority algorithm, authority public key]</c>. The signature covers
/// <c>"enigm-keys/revocation/v1" ‖ binary FormatHeader (6 bytes) ‖ body</c>, so neither the header nor
/// any body byte can change without it failing.
/// </summary>
public static class RevocationStatements
{
    /// <summary>Ceiling for an encoded statement: an SLH-DSA-SHA2-256s authority signature plus the body fits well inside.</summary>
    public const int MaxEncodedSize = 64 * 1024;

    public const int MaxReasonLength = 1024;

    public const int MaxKeyIdLength = 256;

    private const int MaxAlgorithmNameLength = 64;

    private const int Sha256Size = 32;

    private static readonly byte[] DomainLabel = "enigm-keys/revocation/v1"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// Signs <paramref name="statement"/> with the authority key. The statement must name that key's
    /// algorithm and public key, and a suite that uses the algorithm; its texts must be within limits
    /// (<see cref="RevocationInvalidException"/> otherwise).
    /// </summary>
    public static byte[] Sign(RevocationStatement statement, ISignatureScheme authorityScheme, PrivateKey authorityKey)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(authorityScheme);
        ArgumentNullException.ThrowIfNull(authorityKey);
        if (authorityKey.Algorithm != authorityScheme.Algorithm)
            throw new ArgumentException($"Authority key is {authorityKey.Algorithm.Name}, scheme is {authorityScheme.Algorithm.Name}.", nameof(authorityKey));
        if (statement.AuthorityAlgorithm != authorityScheme.Algorithm.Name)
            throw new RevocationInvalidException($"the statement names authority algorithm '{Printable(statement.AuthorityAlgorithm)}' but is signed with {authorityScheme.Algorithm.Name}");
        if (!CryptographicOperations.FixedTimeEquals(statement.AuthorityPublicKey, authorityKey.PublicKey))
            throw new RevocationInvalidException("the statement's authority public key is not the signing key's");

        var suite = SuiteRegistry.Get(statement.SuiteId);
        CheckContent(statement, suite);

        var body = EncodeBody(statement);
        var header = new FormatHeader(FormatHeader.CurrentVersion, statement.SuiteId, ObjectType.RevocationStatement);
        var signature = authorityScheme.Sign(authorityKey, SignedMessage(header, body));

        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        header.WriteTo(writer);
        writer.WriteByteString(body);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Decodes and checks a statement: strict canonical CBOR within <see cref="MaxEncodedSize"/>
    /// (<see cref="MalformedInputException"/>), suite accepted by <paramref name="policy"/>, authority is
    /// <paramref name="trustedAuthorityPublicKey"/> with an algorithm of that suite
    /// (<see cref="RevocationInvalidException"/>) that the policy accepts (<see cref="SuiteRefusedException"/>),
    /// and the signature verifies (<see cref="SignatureInvalidException"/>).
    /// </summary>
    public static RevocationStatement Verify(ReadOnlyMemory<byte> encoded, ReadOnlySpan<byte> trustedAuthorityPublicKey, SuitePolicy policy, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(providers);

        var (header, body, signature) = CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var h = FormatHeader.Read(reader, ObjectType.RevocationStatement, policy);
            var b = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
            var s = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
            reader.ReadEndArray();
            return (h, b, s);
        });
        var suite = policy.Require(header.SuiteId);
        var statement = CanonicalCbor.Decode(body, MaxEncodedSize, reader => DecodeBody(reader, header.SuiteId));

        // The authority: a signature algorithm of the statement's suite, and the key the caller trusts.
        if (CryptoAlgorithm.Find(AlgorithmKind.Signature, statement.AuthorityAlgorithm) is not SignatureAlgorithm algorithm)
            throw new MalformedInputException($"Unknown authority algorithm '{Printable(statement.AuthorityAlgorithm)}'.");
        if (!suite.Uses(algorithm))
            throw new RevocationInvalidException($"authority algorithm {algorithm.Name} is not part of {suite}");
        // The statement relies on the authority's algorithm alone (refused: Ed25519 refused by name; a
        // composite only when it is refused by name or both its halves are).
        policy.Require(header.SuiteId, algorithm);
        if (statement.AuthorityPublicKey.Length != algorithm.PublicKeySize)
            throw new MalformedInputException($"{algorithm.Name} authority public key has {statement.AuthorityPublicKey.Length} bytes; expected {algorithm.PublicKeySize}.");
        if (!CryptographicOperations.FixedTimeEquals(statement.AuthorityPublicKey, trustedAuthorityPublicKey))
            throw new RevocationInvalidException($"signed by '{Printable(statement.AuthorityKeyId)}', which is not the trusted authority");
        if (signature.Length < algorithm.MinSignatureSize || signature.Length > algorithm.MaxSignatureSize)
            throw new SignatureInvalidException($"{algorithm.Name} revocation signature has {signature.Length} bytes.");

        providers.Signature(algorithm).VerifyOrThrow(trustedAuthorityPublicKey, SignedMessage(header, body), signature);
        return statement;
    }

    /// <summary>True when the statement revokes exactly this public key (SHA-256 comparison in fixed time).</summary>
    public static bool Concerns(RevocationStatement statement, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Span<byte> digest = stackalloc byte[Sha256Size];
        SHA256.HashData(publicKey, digest);
        return CryptographicOperations.FixedTimeEquals(digest, statement.RevokedPublicKeySha256);
    }

    private static byte[] SignedMessage(FormatHeader header, byte[] body)
    {
        var message = new byte[DomainLabel.Length + FormatHeader.BinarySize + body.Length];
        DomainLabel.CopyTo(message, 0);
        header.WriteTo(message.AsSpan(DomainLabel.Length));
        body.CopyTo(message, DomainLabel.Length + FormatHeader.BinarySize);
        return message;
    }

    private static byte[] EncodeBody(RevocationStatement s)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(8);
        writer.WriteTextString(s.RevokedKeyId);
        writer.WriteTextString(s.RevokedAlgorithm);
        writer.WriteByteString(s.RevokedPublicKeySha256);
        writer.WriteTextString(s.Reason);
        writer.WriteUInt64((ulong)s.RevokedAt.ToUnixTimeMilliseconds());
        writer.WriteTextString(s.AuthorityKeyId);
        writer.WriteTextString(s.AuthorityAlgorithm);
        writer.WriteByteString(s.AuthorityPublicKey);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static RevocationStatement DecodeBody(CborReader reader, ushort suiteId)
    {
        CanonicalCbor.ReadArrayStart(reader, 8);
        var revokedKeyId = ReadText(reader, "revoked key id", MaxKeyIdLength, allowEmpty: false);
        var revokedAlgorithm = ReadText(reader, "revoked algorithm", MaxAlgorithmNameLength, allowEmpty: false);
        var revokedHash = CanonicalCbor.ReadBytes(reader, Sha256Size);
        var reason = ReadText(reader, "reason", MaxReasonLength, allowEmpty: true);
        var revokedAt = (long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds);
        var authorityKeyId = ReadText(reader, "authority key id", MaxKeyIdLength, allowEmpty: false);
        var authorityAlgorithm = ReadText(reader, "authority algorithm", MaxAlgorithmNameLength, allowEmpty: false);
        var authorityPublicKey = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
        reader.ReadEndArray();

        if (revokedHash.Length != Sha256Size)
            throw new MalformedInputException($"Revoked key hash has {revokedHash.Length} bytes; expected {Sha256Size}.");
        if (!CryptoAlgorithm.All.Any(a => a.Name == revokedAlgorithm))
            throw new MalformedInputException($"Unknown revoked-key algorithm '{Printable(revokedAlgorithm)}'.");
        return new RevocationStatement(
            revokedKeyId, revokedAlgorithm, revokedHash, reason, DateTimeOffset.FromUnixTimeMilliseconds(revokedAt),
            authorityKeyId, authorityAlgorithm, authorityPublicKey, suiteId);
    }

    private static string ReadText(CborReader reader, string field, int maxBytes, bool allowEmpty)
    {
        var value = CanonicalCbor.ReadText(reader, maxBytes);
        return TextProblem(field, value, maxBytes, allowEmpty) is { } problem
            ? throw new MalformedInputException($"Revocation statement: {problem}.")
            : value;
    }

    /// <summary>What a signer may put in a statement; the same rules the verifier applies.</summary>
    private static void CheckContent(RevocationStatement s, Suite suite)
    {
        var problem = TextProblem("revoked key id", s.RevokedKeyId, MaxKeyIdLength, allowEmpty: false)
            ?? TextProblem("revoked algorithm", s.RevokedAlgorithm, MaxAlgorithmNameLength, allowEmpty: false)
            ?? TextProblem("reason", s.Reason, MaxReasonLength, allowEmpty: true)
            ?? TextProblem("authority key id", s.AuthorityKeyId, MaxKeyIdLength, allowEmpty: false);
        if (problem is not null) throw new RevocationInvalidException(problem);
        if (s.RevokedPublicKeySha256 is not { Length: Sha256Size })
            throw new RevocationInvalidException("the revoked key hash must be a 32-byte SHA-256");
        if (!CryptoAlgorithm.All.Any(a => a.Name == s.RevokedAlgorithm))
            throw new RevocationInvalidException($"unknown revoked-key algorithm '{Printable(s.RevokedAlgorithm)}'");
        var unixMs = s.RevokedAt.ToUnixTimeMilliseconds();
        if (unixMs < 0)
            throw new RevocationInvalidException("revocation time before the Unix epoch");
        if (CryptoAlgorithm.Find(AlgorithmKind.Signature, s.AuthorityAlgorithm) is not SignatureAlgorithm algorithm || !suite.Uses(algorithm))
            throw new RevocationInvalidException($"authority algorithm '{Printable(s.AuthorityAlgorithm)}' is not part of {suite}");
    }

    /// <summary>
    /// Texts are valid Unicode, within their UTF-8 byte limit and free of control characters (statements
    /// are shown to people, and a terminal escape in a reason must not reach their screen).
    /// </summary>
    private static string? TextProblem(string field, string? value, int maxBytes, bool allowEmpty)
    {
        if (value is null) return $"{field} is missing";
        if (value.Length == 0 && !allowEmpty) return $"{field} is empty";
        if (value.Any(char.IsControl)) return $"{field} contains control characters";
        try
        {
            if (StrictUtf8.GetByteCount(value) > maxBytes) return $"{field} exceeds {maxBytes} bytes";
        }
        catch (EncoderFallbackException)
        {
            return $"{field} is not valid Unicode text";
        }

        return null;
    }

    private static string Printable(string? text) =>
        text is null ? "(none)" : new([.. text.Take(MaxAlgorithmNameLength).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
