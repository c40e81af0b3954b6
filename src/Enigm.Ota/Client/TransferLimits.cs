namespace Enigm.Ota.Client;

/// <summary>
/// Bounds on how long one file may take to arrive over the network, against TUF's slow retrieval
/// attack (specification 1.0.x, section 1.5.2: "an attacker may be able to prevent clients from
/// being aware of interference with receiving updates by responding to client requests so slowly
/// that automated updates never complete"). A length limit alone does not help: a server that sends
/// headers and then one byte a minute never exceeds it. Every file fetched over HTTP must therefore
/// <list type="bullet">
/// <item>send its response headers within <see cref="HeadersTimeout"/>;</item>
/// <item>arrive completely within <see cref="FileTimeout"/> of the request; and</item>
/// <item>once <see cref="RateGracePeriod"/> has passed, keep an average rate (bytes so far divided by
/// the time since the request) of at least <see cref="MinimumBytesPerSecond"/>.</item>
/// </list>
/// Breaking any of them ends the transfer with <see cref="Errors.SlowRetrievalException"/>.
/// </summary>
public sealed record TransferLimits
{
    /// <summary>The defaults: headers in 30 s, each file within 1 h, at least 4 KiB/s on average after 10 s.</summary>
    public static TransferLimits Default { get; } = new();

    /// <summary>Time allowed from the request to the end of the response headers.</summary>
    public TimeSpan HeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed from the request to the last byte of one file (metadata or target).</summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Lowest average rate accepted after <see cref="RateGracePeriod"/>; 0 turns the rate rule off.</summary>
    public long MinimumBytesPerSecond { get; init; } = 4 * 1024;

    /// <summary>Time from the request before the average rate is enforced (slow starts, small files).</summary>
    public TimeSpan RateGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit that cannot be enforced.</summary>
    public TransferLimits Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeadersTimeout, TimeSpan.Zero, nameof(HeadersTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FileTimeout, TimeSpan.Zero, nameof(FileTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(MinimumBytesPerSecond, nameof(MinimumBytesPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(RateGracePeriod, TimeSpan.Zero, nameof(RateGracePeriod));
        return this;
    }
}
