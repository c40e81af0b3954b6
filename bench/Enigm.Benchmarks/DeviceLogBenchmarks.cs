using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Trust.DeviceLog;

namespace Enigm.Benchmarks;

/// <summary>
/// Replaying a 1,000-entry device log from genesis (docs/trust-device-log.md): decode, hash chain, and
/// 1–2 id-MLDSA65-Ed25519-SHA512 verifications per entry. The log: 20 devices added, then rounds of key
/// rotations, revocations and additions, so every entry kind except recovery appears and the trusted set
/// stays around 20 devices (about 1,900 signature verifications in all).
/// </summary>
[Config(typeof(SlowConfig))]
public class DeviceLogBenchmarks
{
    public const int Entries = 1000;

    private IReadOnlyList<byte[]> _entries = null!;

    [GlobalSetup]
    public void Setup() => _entries = Build(Entries);

    [Benchmark]
    public int Verify1000Entries() => DeviceLogVerifier.Verify(_entries).Devices.Count;

    internal static IReadOnlyList<byte[]> Build(int count)
    {
        var scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);
        var keys = new Dictionary<string, PrivateKey>(StringComparer.Ordinal) { ["d0"] = scheme.GenerateKey() };
        var writer = DeviceLogWriter.CreateGenesis("d0", "device 0", keys["d0"]);
        var next = 1;
        while (writer.Entries.Count < count)
        {
            var ids = keys.Keys.Order(StringComparer.Ordinal).ToList();
            var step = writer.Entries.Count;
            if (ids.Count < 20 || step % 3 == 0)
            {
                var id = $"d{next++}";
                var key = scheme.GenerateKey();
                writer.AddDevice(id, $"device {id}", key, ids[step % ids.Count], keys[ids[step % ids.Count]]);
                keys[id] = key;
            }
            else if (step % 3 == 1)
            {
                var id = ids[step % ids.Count];
                var key = scheme.GenerateKey();
                writer.RotateDeviceKey(id, keys[id], key);
                keys[id].Dispose();
                keys[id] = key;
            }
            else
            {
                var (victim, signer) = (ids[step % ids.Count], ids[(step + 1) % ids.Count]);
                writer.RevokeDevice(victim, "benchmark", signer, keys[signer]);
                keys[victim].Dispose();
                keys.Remove(victim);
            }
        }

        foreach (var key in keys.Values) key.Dispose();
        return writer.Entries;
    }
}
