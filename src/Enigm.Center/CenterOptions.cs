using Enigm.Trust.States;

namespace Enigm.Center;

/// <summary>How <see cref="CenterHost"/> serves the Trust Security Center of one device.</summary>
public sealed record CenterOptions
{
    /// <summary>The device's home the page is bound to (its session cookie is named after it).</summary>
    public required string Home { get; init; }

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The trust policy the device's client runs with (shown: whether a changed contact blocks sending).</summary>
    public TrustPolicy TrustPolicy { get; init; } = TrustPolicy.Default;

    /// <summary>How long a linking approval waits for the new device.</summary>
    public TimeSpan LinkTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
