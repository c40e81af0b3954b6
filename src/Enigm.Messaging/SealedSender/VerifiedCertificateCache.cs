using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.SealedSender;

/// <summary>
/// Remembers which sender certificates have verified, so that opening sealed-sender layers from one sender device
/// costs one composite signature verification, not one per message (docs/benchmarks.md, "Messaging speed against
/// the libsignal anchors": the verification is ≈ 350 µs of a 560 µs open). An entry is the SHA-256 of the exact
/// certificate bytes, the head of the device log it was verified against and the policy used; it is reused only
/// when all three are the same again. A device log head hashes the whole log (each entry hashes its predecessor),
/// so any change to the sender's account — a revocation, a rotated device key — gives a new head and a fresh
/// verification; the cached answer is exactly what verifying again would return. Bounded: the oldest entry is
/// evicted beyond <see cref="Capacity"/>. Thread-safe.
/// </summary>
public sealed class VerifiedCertificateCache(int capacity = 1024)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128Pair, LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be positive.");

    /// <summary>How many certificates are remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _index.Count;
        }
    }

    /// <summary>How many verifications were answered from the cache (for measurements and tests).</summary>
    public long Hits { get; private set; }

    /// <summary><see cref="IdentityCertificate.Verify"/>, or its remembered answer for the same certificate, log head and policy.</summary>
    public VerifiedIdentity Verify(ReadOnlyMemory<byte> certificate, TrustedDeviceSet senderLog, SuitePolicy policy, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(senderLog);
        ArgumentNullException.ThrowIfNull(policy);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(certificate.Span, digest);
        var key = UInt128Pair.From(digest);
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node) && node.Value.Head.Equals(senderLog.Head) && ReferenceEquals(node.Value.Policy, policy))
            {
                Hits++;
                return node.Value.Identity;
            }
        }

        // Verified outside the lock: a failure throws and remembers nothing.
        var identity = IdentityCertificate.Verify(certificate, senderLog, policy, providers);
        lock (_gate)
        {
            if (_index.Remove(key, out var stale)) _order.Remove(stale);
            _index[key] = _order.AddLast(new Entry(key, senderLog.Head, policy, identity));
            while (_index.Count > Capacity)
            {
                _index.Remove(_order.First!.Value.Key);
                _order.RemoveFirst();
            }
        }

        return identity;
    }

    private sealed record Entry(UInt128Pair Key, DeviceLogHead Head, SuitePolicy Policy, VerifiedIdentity Identity);

    private readonly record struct UInt128Pair(UInt128 High, UInt128 Low)
    {
        public static UInt128Pair From(ReadOnlySpan<byte> digest) =>
            new(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest[16..]));
    }
}
