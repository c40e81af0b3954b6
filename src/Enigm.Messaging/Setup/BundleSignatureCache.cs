using System.Security.Cryptography;
using Enigm.Crypto.Suites;

namespace Enigm.Messaging.Setup;

/// <summary>
/// Remembers prekey-bundle signatures that verified, so that setting up a second session with a device (a
/// re-establishment, a simultaneous initiation, re-learning its identity after a restart) does not pay the composite
/// ML-DSA-65 + Ed25519 verification again (docs/benchmarks.md, "PQXDH setup"). The signed part of a bundle commits
/// to every one-time KEM key by hash, so it stays the same across fetches until the device republishes, while the
/// one-time keys handed out differ. An entry is the SHA-256 of (the device's public key as its verified device log
/// holds it now, the signed message, the signature) plus the policy; the device must still pass the log's trust
/// check on every use (done before the cache is asked), so a revoked device is refused and a rotated device key
/// misses. Bounded: the oldest entry is evicted beyond <see cref="Capacity"/>. Thread-safe.
/// </summary>
public sealed class BundleSignatureCache(int capacity = 1024)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(UInt128, UInt128), LinkedListNode<((UInt128, UInt128) Key, SuitePolicy Policy)>> _index = [];
    private readonly LinkedList<((UInt128, UInt128) Key, SuitePolicy Policy)> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be positive.");

    /// <summary>How many verifications were answered from the cache (for measurements and tests).</summary>
    public long Hits { get; private set; }

    /// <summary>
    /// True when the same triple verified before under the same policy (counted in <see cref="Hits"/>);
    /// <paramref name="key"/> is what <see cref="Remember"/> takes once a missed triple has verified.
    /// </summary>
    internal bool Knows(byte[] devicePublicKey, byte[] signedMessage, byte[] signature, SuitePolicy policy, out (UInt128, UInt128) key)
    {
        key = Key(devicePublicKey, signedMessage, signature);
        lock (_gate)
        {
            if (!_index.TryGetValue(key, out var node) || !ReferenceEquals(node.Value.Policy, policy)) return false;
            Hits++;
            return true;
        }
    }

    /// <summary>Remembers a triple; call only once its signature has verified (a failure must remember nothing).</summary>
    internal void Remember((UInt128, UInt128) key, SuitePolicy policy)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var stale)) _order.Remove(stale);
            _index[key] = _order.AddLast((key, policy));
            while (_index.Count > Capacity)
            {
                _index.Remove(_order.First!.Value.Key);
                _order.RemoveFirst();
            }
        }
    }

    private static (UInt128, UInt128) Key(byte[] devicePublicKey, byte[] signedMessage, byte[] signature)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in new[] { devicePublicKey, signedMessage, signature })
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, part.Length); // unambiguous concatenation
            hash.AppendData(length);
            hash.AppendData(part);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest[16..]));
    }
}
