using System.Collections.Concurrent;
using Enigm.Server.Hosting;

namespace Enigm.Server.Limits;

/// <summary>
/// Token buckets keyed by a string (a sender device, a recipient account, a client address), per relay node: each key
/// holds up to <see cref="BucketSize.Capacity"/> tokens refilled at <see cref="BucketSize.RefillPerSecond"/>. A request
/// takes one token or is refused with the time until one is available (the 429's Retry-After). Bounded memory: past
/// <see cref="MaxKeys"/> keys the full (idle) buckets are dropped, since a full bucket is the same as no bucket.
/// </summary>
public sealed class TokenBuckets(BucketSize size, TimeProvider time)
{
    public const int MaxKeys = 100_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token for <paramref name="key"/>; false with <paramref name="retryAfter"/> when the bucket is empty.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        if (_buckets.Count >= MaxKeys) Prune(now);
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(size.Capacity, now));
        lock (bucket)
        {
            bucket.Refill(now, size, time);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / size.RefillPerSecond);
            return false;
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, size, time);
                if (bucket.Tokens >= size.Capacity) _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public void Refill(long now, BucketSize size, TimeProvider time)
        {
            var elapsed = time.GetElapsedTime(updated, now).TotalSeconds;
            if (elapsed > 0) Tokens = Math.Min(size.Capacity, Tokens + (elapsed * size.RefillPerSecond));
            updated = now;
        }
    }
}
