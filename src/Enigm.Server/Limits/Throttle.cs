using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Limits;

/// <summary>Refuses a request with 429 <c>rate-limited</c> and Retry-After when its bucket is empty.</summary>
public static class Throttle
{
    /// <summary>Unauthenticated requests that create state, per client address.</summary>
    public static void ByAddress(HttpContext context, RelayState state) =>
        Take(state.AddressBuckets, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", "this address");

    public static void Take(TokenBuckets buckets, string key, string who)
    {
        if (!buckets.TryTake(key, out var retryAfter))
            throw new RelayProblemException(429, RelayProblem.RateLimited, $"too many requests from {who}; retry later", retryAfter: retryAfter);
    }
}
