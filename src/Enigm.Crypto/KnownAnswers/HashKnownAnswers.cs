using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// The published examples for SHA-256 and SHA-512 (FIPS 180-2 Appendices B and C, kept in NIST's FIPS 180-4
/// example files) and SHA3-256 (NIST's FIPS 202 example values). The vectors folder holds no hash files, so
/// these few values are embedded; every provider must reproduce each digest exactly.
/// </summary>
internal static class HashKnownAnswers
{
    private const string Abc = "abc";
    private const string Message448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    private const string Message896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    /// <summary>One million repetitions of "a", the long-message example of FIPS 180-2 and FIPS 202.</summary>
    private static readonly string MillionA = new('a', 1_000_000);

    private static readonly Dictionary<HashAlgorithm, (string Name, string Message, string Digest)[]> Examples = new()
    {
        [HashAlgorithm.Sha256] =
        [
            ("abc", Abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("empty", string.Empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("448-bit two-block message", Message448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("one million 'a'", MillionA, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ],
        [HashAlgorithm.Sha512] =
        [
            ("abc", Abc, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
            ("empty", string.Empty, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
            ("896-bit two-block message", Message896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
            ("one million 'a'", MillionA, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
        ],
        [HashAlgorithm.Sha3_256] =
        [
            ("abc", Abc, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
            ("empty", string.Empty, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
            ("448-bit message", Message448, "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376"),
            ("896-bit message", Message896, "916f6061fe879741ca6469b43971dfdb28b1a32dc36cb3254e812be27aad1d18"),
            ("one million 'a'", MillionA, "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1"),
        ],
    };

    public static void RunPublishedExamples(KnownAnswerContext context, KnownAnswerReport report, HashAlgorithm algorithm)
    {
        var hash = context.Primitive<IHash>(algorithm);
        foreach (var (name, message, digest) in Examples[algorithm])
        {
            var expected = Convert.FromHexString(digest);
            var (ok, detail) = SymmetricVerdicts.MustSucceed(
                () =>
                {
                    var actual = new byte[algorithm.Size];
                    hash.Hash(System.Text.Encoding.ASCII.GetBytes(message), actual);
                    return actual.AsSpan().SequenceEqual(expected);
                },
                "digest differs from the published value");
            report.Record(ok, name, detail);
        }
    }
}
