using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Keys.Revocation;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <see cref="RevocationStatements.Verify"/> of fuzzed statement bytes against a fixed trusted authority
/// (an id-MLDSA65-Ed25519-SHA512 key from a fixed seed, the device-signature algorithm of suites 1 and 2)
/// under <see cref="SuitePolicy.Default"/>. Input: the encoded statement. Documented rejections:
/// <c>MalformedInputException</c>, <c>RevocationInvalidException</c>, <c>SignatureInvalidException</c>,
/// suite-policy errors — all <c>EnigmException</c>s. An accepted statement must be one the authority
/// really signed (its fields equal those of a seed statement): anything else is a forgery.
/// </summary>
internal static class RevocationTarget
{
    private static readonly SignatureAlgorithm AuthorityAlgorithm = SignatureAlgorithm.MlDsa65Ed25519;

    private static readonly DateTimeOffset RevokedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);

    private static readonly Lazy<RevocationFixture> Fixture = new(RevocationFixture.Create);

    public static FuzzTarget Target { get; } = new(
        "revocation",
        "RevocationStatements.Verify with a fixed authority key and SuitePolicy.Default; typed rejections only, never accepts a statement the authority did not sign.",
        static () => _ = Fixture.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var statement = RevocationStatements.Verify(input.ToArray(), fixture.AuthorityPublicKey, SuitePolicy.Default, Fixtures.Providers);
        FuzzInvariantException.Check(fixture.Signed.Contains(Identity(statement)), $"accepted a revocation of '{statement.RevokedKeyId}' that the authority never signed (forgery)");
        FuzzInvariantException.Check(statement.AuthorityPublicKey.AsSpan().SequenceEqual(fixture.AuthorityPublicKey), "accepted a statement naming another authority key");
    }

    /// <summary>Every field of a statement, as one comparable string.</summary>
    private static string Identity(RevocationStatement s) =>
        string.Join(
            '\u0001',
            s.RevokedKeyId,
            s.RevokedAlgorithm,
            Convert.ToHexStringLower(s.RevokedPublicKeySha256),
            s.Reason,
            s.RevokedAt.ToUnixTimeMilliseconds(),
            s.AuthorityKeyId,
            s.AuthorityAlgorithm,
            Convert.ToHexStringLower(s.AuthorityPublicKey),
            s.SuiteId);

    private static IEnumerable<FuzzSeed> Seeds() => Fixture.Value.Seeds;

    private sealed class RevocationFixture
    {
        public required byte[] AuthorityPublicKey { get; init; }

        public required HashSet<string> Signed { get; init; }

        public required List<FuzzSeed> Seeds { get; init; }

        public static RevocationFixture Create()
        {
            if (!Fixtures.IsAvailable(AuthorityAlgorithm))
            {
                // No provider here: every statement is rejected; the seeds are structural only.
                return new RevocationFixture { AuthorityPublicKey = Fixtures.Pattern(AuthorityAlgorithm.PublicKeySize, 9), Signed = [], Seeds = [new FuzzSeed("no-provider", [0x85, 0x01, 0x01, 0x04, 0x40, 0x40])] };
            }

            var (scheme, authority) = Fixtures.Signature(AuthorityAlgorithm);
            var publicKey = authority.PublicKey.ToArray();
            var signed = new HashSet<string>(StringComparer.Ordinal);
            var seeds = new List<FuzzSeed>();

            RevocationStatement Statement(string keyId, string algorithm, string reason, ushort suite, string authorityId = "fuzz-authority") =>
                new(keyId, algorithm, SHA256.HashData(Fixtures.Pattern(64, (byte)keyId.Length)), reason, RevokedAt, authorityId, AuthorityAlgorithm.Name, publicKey, suite);

            void Add(string label, RevocationStatement statement)
            {
                seeds.Add(new FuzzSeed(label, RevocationStatements.Sign(statement, scheme, authority)));
                signed.Add(Identity(statement));
            }

            Add("suite1-mlkem", Statement("k1", KemAlgorithm.MlKem768.Name, "key compromise", 1));
            Add("suite2-signing", Statement("signing-key-0002", SignatureAlgorithm.MlDsa65.Name, "", 2));
            Add("suite1-unicode-reason", Statement("k3", AeadAlgorithm.Aes256Gcm.Name, "clé perdue — superseded", 1));

            // Near misses: another authority (valid signature, untrusted key), a header the policy refuses,
            // a signature cut short.
            using var other = OtherAuthority(scheme);
            var foreign = new RevocationStatement("k1", KemAlgorithm.MlKem768.Name, new byte[32], "key compromise", RevokedAt, "other", AuthorityAlgorithm.Name, other.PublicKey.ToArray(), 1);
            seeds.Add(new FuzzSeed("untrusted-authority", RevocationStatements.Sign(foreign, scheme, other)));
            var good = seeds[0].Bytes;
            var suite3 = (byte[])good.Clone();
            suite3[2] = 0x03; // 0x85 [version 1, suite 1 -> 3, type 4, ...]
            seeds.Add(new FuzzSeed("suite3-header", suite3));
            seeds.Add(new FuzzSeed("short-signature", CutSignature(good)));
            return new RevocationFixture { AuthorityPublicKey = publicKey, Signed = signed, Seeds = seeds };
        }

        private static PrivateKey OtherAuthority(Crypto.Primitives.ISignatureScheme scheme)
        {
            var seed = Fixtures.Pattern(AuthorityAlgorithm.PrivateKeySize, 77);
            seed[0] = 0x01;
            try
            {
                return scheme.ImportPrivateKey(seed, PrivateKeyFormat.Seed);
            }
            catch (EnigmException)
            {
                return scheme.GenerateKey();
            }
        }

        /// <summary>The same statement with its signature shortened to 64 bytes (re-encoded canonically).</summary>
        private static byte[] CutSignature(byte[] encoded)
        {
            var reader = new System.Formats.Cbor.CborReader(encoded, System.Formats.Cbor.CborConformanceMode.Canonical);
            reader.ReadStartArray();
            var version = reader.ReadUInt32();
            var suite = reader.ReadUInt32();
            var type = reader.ReadUInt32();
            var body = reader.ReadByteString();
            var signature = reader.ReadByteString();
            var writer = CanonicalCbor.CreateWriter();
            writer.WriteStartArray(5);
            writer.WriteUInt32(version);
            writer.WriteUInt32(suite);
            writer.WriteUInt32(type);
            writer.WriteByteString(body);
            writer.WriteByteString(signature[..64]);
            writer.WriteEndArray();
            return writer.Encode();
        }
    }
}
