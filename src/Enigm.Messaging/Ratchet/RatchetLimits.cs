namespace Enigm.Messaging.Ratchet;

/// <summary>
/// Bounds that keep a session's memory and work finite whatever a peer or the network does
/// (Double Ratchet §3.5 MAX_SKIP, §8.4 deletion of skipped message keys).
/// </summary>
/// <param name="MaxForwardJump">
/// How many message keys one receiving chain may skip in a single step (classical chain, or one
/// post-quantum epoch chain). A message further ahead is refused with
/// <see cref="Errors.RatchetTooFarAheadException"/> and the session is left unchanged.
/// </param>
/// <param name="MaxSkippedKeys">
/// How many skipped message keys the session keeps in total, over all its chains and both ratchets;
/// beyond it the oldest are evicted (their messages then fail as <see cref="Errors.RatchetReplayException"/>).
/// </param>
/// <param name="MaxSkippedKeysPerDevice">
/// How many skipped message keys one device keeps over all its sessions together (enforced by
/// <see cref="Sessions.SessionCipher"/>); beyond it the device-wide oldest are evicted, whichever session holds them.
/// </param>
public sealed record RatchetLimits(int MaxForwardJump = 1000, int MaxSkippedKeys = 2000, int MaxSkippedKeysPerDevice = 20000)
{
    public static RatchetLimits Default { get; } = new();

    /// <summary>Remote ratchet public keys remembered after their chain is gone, to name replays as such.</summary>
    internal const int RetiredRemoteKeys = 8;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxForwardJump, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSkippedKeys, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSkippedKeysPerDevice, 1);
    }
}
