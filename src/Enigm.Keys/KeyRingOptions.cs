using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Keys.Model;

namespace Enigm.Keys;

/// <summary>How a <see cref="KeyRing"/> is composed: clock, providers, policies and test seams.</summary>
public sealed record KeyRingOptions
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public CryptoProviders Providers { get; init; } = CryptoProviders.Default;

    public SuitePolicy SuitePolicy { get; init; } = SuitePolicy.Default;

    public RotationPolicy Rotation { get; init; } = new();

    /// <summary>
    /// Called at named points inside multi-step operations (e.g. <c>rotate:inserted</c>). Tests use it to
    /// kill the process between steps and prove the store stays consistent; null in production.
    /// </summary>
    public Action<string>? StepHook { get; init; }
}
