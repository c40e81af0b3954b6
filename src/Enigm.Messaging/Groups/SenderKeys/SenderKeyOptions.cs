using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// How a device runs its sender keys (docs/groups.md, "Sender keys"). The defaults are production values.
/// </summary>
public sealed record SenderKeyOptions
{
    /// <summary>
    /// The algorithm of each chain's message-signing key: Ed25519 (64-byte signatures, the default) or the
    /// composite id-MLDSA65-Ed25519-SHA512 (3,373 bytes, post-quantum insider authenticity). The choice is
    /// explained in docs/groups.md, "Why Ed25519 signs group messages".
    /// </summary>
    public SignatureAlgorithm SigningAlgorithm { get; init; } = SignatureAlgorithm.Ed25519;

    /// <summary>Periodic rotation: a sender starts a new chain after this many messages on one chain.</summary>
    public uint RotateAfterMessages { get; init; } = 1000;

    /// <summary>Periodic rotation: a sender starts a new chain once its chain is this old.</summary>
    public TimeSpan RotateAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How many message keys one chain may skip in a single step (Double Ratchet §3.5 MAX_SKIP, as libsignal's sender keys).</summary>
    public int MaxForwardJump { get; init; } = 1000;

    /// <summary>Skipped message keys kept per group over all received chains; beyond it the oldest are evicted.</summary>
    public int MaxSkippedKeys { get; init; } = 2000;

    /// <summary>Chains kept per sender device (the current one and older ones, for late messages).</summary>
    public int MaxChainsPerSender { get; init; } = 3;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public CryptoProviders Providers { get; init; } = CryptoProviders.Default;

    public SuitePolicy Policy { get; init; } = SuitePolicy.Default;

    public static SenderKeyOptions Default { get; } = new();

    internal void Validate()
    {
        if (SigningAlgorithm != SignatureAlgorithm.Ed25519 && SigningAlgorithm != SignatureAlgorithm.MlDsa65Ed25519)
            throw new ArgumentException($"Sender keys sign with Ed25519 or {SignatureAlgorithm.MlDsa65Ed25519.Name}, not {SigningAlgorithm.Name}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(RotateAfterMessages, 1u);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxForwardJump, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSkippedKeys, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChainsPerSender, 1);
    }
}
