using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// Deterministic device keys and a raw entry builder for making logs the writer would refuse to write
/// (wrong links, untrusted signers, foreign suites) so the verifier's rejections can be tested.
/// </summary>
internal static class DeviceLogTestKit
{
    public static ISignatureScheme Scheme => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    /// <summary>The device key number <paramref name="n"/>: the same key in every run.</summary>
    public static PrivateKey Key(int n)
    {
        var seed = SHA512.HashData(BitConverter.GetBytes(n));
        return Scheme.ImportPrivateKey(seed, PrivateKeyFormat.Seed);
    }

    public static byte[] Encoded(PrivateKey key, ushort suite = 1) =>
        new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Get(suite), SignatureAlgorithm.MlDsa65Ed25519, key.PublicKey).Encode();

    /// <summary>An entry with exactly these fields and signatures, whatever the rules say.</summary>
    public static byte[] Raw(
        long sequence,
        byte[] previousHash,
        DeviceLogEntryKind kind,
        string subject,
        string name,
        byte[] publicKey,
        string reason,
        IReadOnlyList<(string Id, PrivateKey Key)> signers,
        ushort suite = 1)
    {
        var body = DeviceLogEncoding.EncodeBody(new DeviceLogEncoding.Body(sequence, previousHash, kind, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000), subject, name, publicKey, reason));
        var message = DeviceLogEncoding.SignedMessage(suite, body);
        return DeviceLogEncoding.EncodeEntry(suite, body, [.. signers.Select(s => new DeviceLogSignature(s.Id, Scheme.Sign(s.Key, message)))]);
    }

    public static byte[] Hash(byte[] entry) => SHA256.HashData(entry);

    /// <summary>
    /// A five-entry log: genesis "phone" (key 1), add "laptop" (key 2, by phone), add "tablet" (key 3,
    /// by laptop), rotate laptop to key 4, revoke tablet (by phone).
    /// </summary>
    public static DeviceLogWriter Sample()
    {
        var writer = DeviceLogWriter.CreateGenesis("phone", "Alice's phone", Key(1));
        writer.AddDevice("laptop", "Work laptop", Key(2), "phone", Key(1));
        writer.AddDevice("tablet", "Tablet", Key(3), "laptop", Key(2));
        writer.RotateDeviceKey("laptop", Key(2), Key(4));
        writer.RevokeDevice("tablet", "lost on a train", "phone", Key(1));
        return writer;
    }
}
