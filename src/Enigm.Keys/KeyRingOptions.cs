using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Keys.Model;

namespace Enigm.Keys;

/// <summary>How a <see cref="KeyRing"/> is composed: clock, providers and policies.</summary>
public sealed record KeyRingOptions
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public CryptoProviders Providers { get; init; } = CryptoProviders.Default;

    public SuitePolicy SuitePolicy { get; init; } = SuitePolicy.Default;

    public RotationPolicy Rotation { get; init; } = new();
}
