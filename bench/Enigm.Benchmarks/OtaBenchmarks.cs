using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Metadata;

namespace Enigm.Benchmarks;

/// <summary>
/// TUF 5.6 on a large targets role: length and hash check against the snapshot, canonical-JSON
/// parse, Ed25519 threshold verification, version and expiry, for 1k, 10k and 100k targets (each
/// with length, SHA-256, SHA-512 and Enigm release rules in custom). Target: 100k under 1 s.
/// </summary>
[Config(typeof(SlowConfig))]
public class OtaTargetsVerificationBenchmarks
{
    private static readonly DateTimeOffset Expires = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private PrivateKey _key = null!;
    private TrustedMetadataSet _trusted = null!;
    private byte[] _targets = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Targets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519).GenerateKey();
        var signer = new TufSigner(_key);
        var role = new RoleKeys([signer.KeyId], 1);
        var root = new RootMetadata
        {
            Version = 1,
            Expires = Expires,
            ConsistentSnapshot = true,
            Keys = new Dictionary<string, TufKey> { [signer.KeyId] = signer.Key },
            Roles = RootMetadata.TopLevelRoles.ToDictionary(r => r, _ => role),
        };
        var rules = new ReleaseRules { Version = "2.1.0", Channel = "stable", Models = ["m1"], RolloutPercent = 25 }.ToCustom();
        var files = new Dictionary<string, TargetFile>(Targets);
        for (var i = 0; i < Targets; i++)
        {
            var data = BitConverter.GetBytes(i);
            files[$"fw/app-{i.ToString(CultureInfo.InvariantCulture)}.bin"] = new TargetFile(1_000_000 + i, new Dictionary<string, string>
            {
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
                ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(data)),
            }, rules);
        }

        _targets = Metadata<TargetsMetadata>.Create(new TargetsMetadata { Version = 1, Expires = Expires, Targets = files }).Sign(signer).ToBytes();
        var snapshot = Metadata<SnapshotMetadata>.Create(new SnapshotMetadata
        {
            Version = 1,
            Expires = Expires,
            Meta = new Dictionary<string, MetaFile> { ["targets.json"] = MetaOf(_targets) },
        }).Sign(signer).ToBytes();
        var timestamp = Metadata<TimestampMetadata>.Create(new TimestampMetadata
        {
            Version = 1,
            Expires = Expires,
            Meta = new Dictionary<string, MetaFile> { ["snapshot.json"] = MetaOf(snapshot) },
        }).Sign(signer).ToBytes();
        _trusted = new TrustedMetadataSet(Metadata<RootMetadata>.Create(root).Sign(signer).ToBytes(), DateTimeOffset.UtcNow);
        _trusted.UpdateTimestamp(timestamp);
        _trusted.UpdateSnapshot(snapshot);
        Console.WriteLine($"// targets.json with {Targets} targets: {_targets.Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public int VerifyTargets() => _trusted.UpdateTargets(_targets).Signed.Targets.Count;

    private static MetaFile MetaOf(byte[] bytes) => new(1, bytes.Length, new Dictionary<string, string>
    {
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(bytes)),
    });
}

/// <summary>
/// TUF 5.7 artifact verification of a 1 GiB file in /tmp (page cache): length + SHA-256 + SHA-512
/// in one pass (<see cref="ArtifactVerifier"/>, the two hashes in parallel), against a single
/// SHA-256 pass (what <c>sha256sum</c> does) and a sequential SHA-256 then SHA-512 on each buffer.
/// Size: <c>ENIGM_BENCH_ARTIFACT_MIB</c> (default 1024).
/// </summary>
[Config(typeof(SlowConfig))]
public class OtaArtifactBenchmarks
{
    private const int BufferSize = 1024 * 1024;
    private string _path = null!;
    private long _length;
    private Dictionary<string, string> _hashes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mib = int.TryParse(Environment.GetEnvironmentVariable("ENIGM_BENCH_ARTIFACT_MIB"), CultureInfo.InvariantCulture, out var m) ? m : 1024;
        _path = Path.Combine(Path.GetTempPath(), $"enigm-bench-artifact-{mib}MiB.bin");
        _length = (long)mib * BufferSize;
        if (!File.Exists(_path) || new FileInfo(_path).Length != _length)
        {
            using var file = File.Create(_path);
            var chunk = new byte[BufferSize];
            for (var i = 0; i < mib; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                file.Write(chunk);
            }
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        Sequential(sha256, sha512);
        _hashes = new Dictionary<string, string>
        {
            ["sha256"] = Convert.ToHexStringLower(sha256.GetHashAndReset()),
            ["sha512"] = Convert.ToHexStringLower(sha512.GetHashAndReset()),
        };
        Console.WriteLine($"// artifact {_path}: {_length} bytes");
    }

    /// <summary>The product path: length + SHA-256 ‖ SHA-512 in parallel, one pass.</summary>
    [Benchmark]
    public void VerifyLengthSha256Sha512()
    {
        using var file = Open();
        ArtifactVerifier.Verify(file, null, "artifact", _length, _hashes);
    }

    /// <summary>The sha256sum equivalent: one SHA-256 pass.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sha256Only()
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Sequential(sha256, null);
        return sha256.GetHashAndReset();
    }

    /// <summary>Both hashes, one after the other on each buffer, one thread.</summary>
    [Benchmark]
    public byte[] Sha256ThenSha512Sequential()
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        Sequential(sha256, sha512);
        return sha512.GetHashAndReset();
    }

    private FileStream Open() => new(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    private void Sequential(IncrementalHash first, IncrementalHash? second)
    {
        using var file = Open();
        var buffer = new byte[BufferSize];
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            first.AppendData(buffer, 0, n);
            second?.AppendData(buffer, 0, n);
        }
    }
}
