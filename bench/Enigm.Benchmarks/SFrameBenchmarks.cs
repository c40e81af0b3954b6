using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Relay;

namespace Enigm.Benchmarks;

/// <summary>
/// SFrame (RFC 9605) protect + unprotect of one 160-byte frame (20 ms of audio at 64 kbit/s), against the bare
/// BCL AES-256-GCM encrypt + decrypt of the same 160 bytes in the same run (the baseline; issue 15's goal is a
/// ratio of at most 1.3 for the default suite AES_256_GCM_SHA512_128). SFrame adds the header encoding and
/// parsing, the KID lookup, the nonce (salt XOR counter) and the replay window. The counter grows every call, as
/// on a real stream, so every frame is fresh to the receiver. Frames per second per core = 10^9 / Mean (ns).
/// </summary>
[Config(typeof(ShortConfig))]
public class SFrameBenchmarks
{
    private const int FrameSize = 160;
    private readonly byte[] _plaintext = BenchmarkData.Bytes(FrameSize);
    private readonly byte[] _frame = new byte[FrameSize + SFrameHeader.MaxEncodedSize + 16];
    private readonly byte[] _output = new byte[FrameSize + SFrameHeader.MaxEncodedSize + 16];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _aad = [0x99, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00];
    private AesGcm _gcm = null!;
    private SFrameSender _sender = null!;
    private SFrameReceiver _receiver = null!;
    private ulong _counter;

    [Params(5, 4, 1)]
    public int Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var suite = SFrameCipherSuite.FromId((ushort)Suite);
        var baseKey = BenchmarkData.Bytes(suite.HashSize);
        _sender = new SFrameSender(suite, 0x0105, baseKey);
        _receiver = new SFrameReceiver(suite);
        _receiver.AddKey(0x0105, baseKey);
        _gcm = new AesGcm(BenchmarkData.Bytes(32), 16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gcm.Dispose();
        _sender.Dispose();
        _receiver.Dispose();
    }

    /// <summary>The anchor: AES-256-GCM seal and open of 160 bytes with a 7-byte AAD and a fresh nonce.</summary>
    [Benchmark(Baseline = true)]
    public int BareAes256GcmSealOpen()
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(4), _counter++);
        var ciphertext = _frame.AsSpan(0, FrameSize);
        var tag = _frame.AsSpan(FrameSize, 16);
        _gcm.Encrypt(_nonce, _plaintext, ciphertext, tag, _aad);
        _gcm.Decrypt(_nonce, ciphertext, tag, _output.AsSpan(0, FrameSize), _aad);
        return _output[0];
    }

    [Benchmark]
    public int ProtectUnprotect()
    {
        var length = _sender.ProtectInto(_plaintext, _frame);
        _receiver.UnprotectInto(_frame.AsSpan(0, length), _output, out var plaintextLength);
        return plaintextLength;
    }

    [Benchmark]
    public int Protect() => _sender.ProtectInto(_plaintext, _frame);
}
