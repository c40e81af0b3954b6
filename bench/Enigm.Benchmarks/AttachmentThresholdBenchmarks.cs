using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Messaging.Attachments;

namespace Enigm.Benchmarks;

/// <summary>
/// Where the pipelined attachment digest starts to pay (<see cref="CiphertextDigests.PipelineThreshold"/>):
/// encryption of 64 KiB to 1 MiB with the digest hashed inline and on a second core, same key schedule and
/// chunking. Measure by wall clock (`walltime`): the pipelined work is on two threads.
/// </summary>
[Config(typeof(ShortConfig))]
public class AttachmentThresholdBenchmarks
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1 << 20);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly MemoryStream _ciphertext = new((1 << 20) + 4096);

    [Benchmark] public long Inline64KiB() => Run(64, pipelined: false);
    [Benchmark] public long Pipelined64KiB() => Run(64, pipelined: true);
    [Benchmark] public long Inline128KiB() => Run(128, pipelined: false);
    [Benchmark] public long Pipelined128KiB() => Run(128, pipelined: true);
    [Benchmark] public long Inline256KiB() => Run(256, pipelined: false);
    [Benchmark] public long Pipelined256KiB() => Run(256, pipelined: true);
    [Benchmark] public long Inline512KiB() => Run(512, pipelined: false);
    [Benchmark] public long Pipelined512KiB() => Run(512, pipelined: true);

    private long Run(int kib, bool pipelined)
    {
        _ciphertext.Position = 0;
        using ICiphertextDigest digest = pipelined ? new PipelinedCiphertextDigest() : new InlineCiphertextDigest();
        var length = ChunkedEncryption.Encrypt(_key, "enigm/attachment/v1"u8, new MemoryStream(_plaintext, 0, kib * 1024, writable: false), _ciphertext, digest);
        digest.Finish();
        return length;
    }
}
