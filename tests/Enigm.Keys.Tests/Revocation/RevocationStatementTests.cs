using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys.Errors;
using Enigm.Keys.Revocation;
using Xunit;

namespace Enigm.Keys.Tests.Revocation;

public sealed class RevocationStatementTests
{
    private static readonly DateTimeOffset RevokedAt = new(2025, 6, 1, 9, 30, 15, 250, TimeSpan.Zero);

    private static readonly Lazy<PrivateKey> SharedAuthority = new(() => Scheme.GenerateKey());

    private static readonly Lazy<PrivateKey> SharedRevoked = new(() => Scheme.GenerateKey());

    private static readonly Lazy<byte[]> SharedEncoded = new(() => RevocationStatements.Sign(Statement(), Scheme, Authority));

    private static ISignatureScheme Scheme => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    private static PrivateKey Authority => SharedAuthority.Value;

    private static PrivateKey Revoked => SharedRevoked.Value;

    private static byte[] Encoded => SharedEncoded.Value;

    private static RevocationStatement Statement(string reason = "key material exposed in backup") => new(
        RevokedKeyId: "device-7.v2",
        RevokedAlgorithm: Revoked.Algorithm.Name,
        RevokedPublicKeySha256: SHA256.HashData(Revoked.PublicKey),
        Reason: reason,
        RevokedAt: RevokedAt,
        AuthorityKeyId: "root-signing.v1",
        AuthorityAlgorithm: Authority.Algorithm.Name,
        AuthorityPublicKey: Authority.PublicKey,
        SuiteId: 1);

    private static RevocationStatement VerifyBytes(byte[] encoded, byte[]? authorityPublicKey = null) =>
        RevocationStatements.Verify(encoded, authorityPublicKey ?? Authority.PublicKey, SuitePolicy.Default, CryptoProviders.Default);

    [Fact]
    public void A_signed_statement_verifies_with_only_the_bytes_and_the_authority_key()
    {
        var statement = VerifyBytes([.. Encoded], [.. Authority.PublicKey]);

        Assert.Equal("device-7.v2", statement.RevokedKeyId);
        Assert.Equal("id-MLDSA65-Ed25519-SHA512", statement.RevokedAlgorithm);
        Assert.Equal(SHA256.HashData(Revoked.PublicKey), statement.RevokedPublicKeySha256);
        Assert.Equal("key material exposed in backup", statement.Reason);
        Assert.Equal(RevokedAt, statement.RevokedAt);
        Assert.Equal("root-signing.v1", statement.AuthorityKeyId);
        Assert.Equal(Authority.PublicKey, statement.AuthorityPublicKey);
        Assert.Equal((ushort)1, statement.SuiteId);
    }

    [Fact]
    public void Signing_is_deterministic_in_everything_but_the_signature_and_uses_the_documented_layout()
    {
        var reader = new CborReader(Encoded, CborConformanceMode.Canonical);
        Assert.Equal(5, reader.ReadStartArray());
        Assert.Equal((1UL, 1UL, 4UL), (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64()));
        var body = reader.ReadByteString();
        var signature = reader.ReadByteString();

        byte[] message = [.. "enigm-keys/revocation/v1"u8, (byte)'E', (byte)'N', 1, 0, 1, 4, .. body];
        Assert.True(Scheme.Verify(Authority.PublicKey, message, signature));
    }

    [Fact]
    public void A_statement_concerns_the_revoked_key_and_no_other()
    {
        var statement = VerifyBytes(Encoded);
        using var other = Scheme.GenerateKey();

        Assert.True(RevocationStatements.Concerns(statement, Revoked.PublicKey));
        Assert.False(RevocationStatements.Concerns(statement, other.PublicKey));
        Assert.False(RevocationStatements.Concerns(statement, Authority.PublicKey));
        Assert.False(RevocationStatements.Concerns(statement, Revoked.PublicKey.AsSpan(1)));
    }

    [Fact]
    public void Another_authority_key_is_rejected()
    {
        using var other = Scheme.GenerateKey();

        Assert.Throws<RevocationInvalidException>(() => VerifyBytes(Encoded, other.PublicKey));
        Assert.Throws<RevocationInvalidException>(() => VerifyBytes(Encoded, []));
    }

    [Fact]
    public void A_statement_signed_by_an_impostor_naming_the_real_authority_fails_its_signature()
    {
        using var impostor = Scheme.GenerateKey();
        var encoded = RevocationStatements.Sign(Statement() with { AuthorityPublicKey = impostor.PublicKey }, Scheme, impostor);

        Assert.Throws<RevocationInvalidException>(() => VerifyBytes(encoded));
    }

    [Fact]
    public void Flipping_any_bit_outside_the_signature_is_rejected_with_a_typed_error()
    {
        var encoded = Encoded;
        var signatureStart = encoded.Length - Scheme.Algorithm.MaxSignatureSize;
        for (var i = 0; i < signatureStart; i++)
        {
            var tampered = (byte[])encoded.Clone();
            tampered[i] ^= (byte)(1 << (i % 8));
            AssertRejected(tampered);
        }
    }

    [Fact]
    public void Flipping_bits_in_the_signature_is_rejected()
    {
        var encoded = Encoded;
        var signatureStart = encoded.Length - Scheme.Algorithm.MaxSignatureSize;
        for (var i = signatureStart; i < encoded.Length; i += 17)
        {
            var tampered = (byte[])encoded.Clone();
            tampered[i] ^= 0x80;
            Assert.Throws<SignatureInvalidException>(() => VerifyBytes(tampered));
        }
    }

    [Fact]
    public void Truncated_extended_empty_and_oversized_encodings_are_malformed()
    {
        Assert.Throws<MalformedInputException>(() => VerifyBytes(Encoded[..^1]));
        Assert.Throws<MalformedInputException>(() => VerifyBytes([.. Encoded, 0]));
        Assert.Throws<MalformedInputException>(() => VerifyBytes([]));
        Assert.Throws<MalformedInputException>(() => VerifyBytes(new byte[RevocationStatements.MaxEncodedSize + 1]));
    }

    [Fact]
    public void A_suite_the_policy_refuses_is_rejected()
    {
        var encoded = RevocationStatements.Sign(Statement() with { SuiteId = 2 }, Scheme, Authority);
        var policy = SuitePolicy.Default.With(2, SuiteStatus.Refused);

        Assert.Equal((ushort)2, VerifyBytes(encoded).SuiteId);
        Assert.Throws<SuiteRefusedException>(() => RevocationStatements.Verify(encoded, Authority.PublicKey, policy, CryptoProviders.Default));
    }

    [Fact]
    public void Statements_with_unacceptable_content_are_not_signed()
    {
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement(new string('r', RevocationStatements.MaxReasonLength + 1)), Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement("ok\u001b]0;pwned\u0007"), Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement() with { RevokedKeyId = "" }, Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement() with { RevokedPublicKeySha256 = new byte[31] }, Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement() with { RevokedAlgorithm = "RSA-2048" }, Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement() with { AuthorityAlgorithm = "Ed25519" }, Scheme, Authority));
        Assert.Throws<RevocationInvalidException>(() => RevocationStatements.Sign(Statement() with { RevokedAt = DateTimeOffset.UnixEpoch.AddSeconds(-1) }, Scheme, Authority));
        Assert.Throws<UnknownSuiteException>(() => RevocationStatements.Sign(Statement() with { SuiteId = 999 }, Scheme, Authority));
        Assert.NotNull(RevocationStatements.Sign(Statement(new string('r', RevocationStatements.MaxReasonLength)), Scheme, Authority));
    }

    [Fact]
    public void An_ed25519_authority_also_works()
    {
        var ed25519 = CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519);
        using var authority = ed25519.GenerateKey();
        var encoded = RevocationStatements.Sign(Statement() with { AuthorityAlgorithm = "Ed25519", AuthorityPublicKey = authority.PublicKey }, ed25519, authority);

        Assert.Equal("Ed25519", VerifyBytes(encoded, authority.PublicKey).AuthorityAlgorithm);
        Assert.Throws<RevocationInvalidException>(() => VerifyBytes(encoded));
    }

    [Fact]
    public void Random_mutations_give_only_typed_errors()
    {
        var random = new Random(4);
        var accepted = 0;
        for (var i = 0; i < 600; i++)
        {
            var mutated = Mutate(Encoded, random);
            try
            {
                VerifyBytes(mutated);
                accepted++;
            }
            catch (EnigmException)
            {
            }
        }

        // A mutation may only be accepted if it left the bytes unchanged.
        Assert.True(accepted == 0, $"{accepted} mutated statements verified");
    }

    private static void AssertRejected(byte[] tampered)
    {
        var error = Record.Exception(() => VerifyBytes(tampered));
        Assert.NotNull(error);
        Assert.True(
            error is MalformedInputException or SignatureInvalidException or RevocationInvalidException
                or UnknownSuiteException or SuiteRefusedException or UnsupportedFormatVersionException,
            $"unexpected {error.GetType().Name}: {error.Message}");
    }

    private static byte[] Mutate(byte[] data, Random random)
    {
        var bytes = data.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }

        if (bytes.SequenceEqual(data)) bytes.Add(0);
        return [.. bytes];
    }
}
