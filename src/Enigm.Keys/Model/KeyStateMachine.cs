using Enigm.Keys.Errors;

namespace Enigm.Keys.Model;

/// <summary>What a key is being asked to do.</summary>
public enum KeyUsage
{
    /// <summary>Create signatures (protect).</summary>
    Sign,

    /// <summary>Encrypt or encapsulate to the key's owner, or agree on a new secret (protect).</summary>
    Encrypt,

    /// <summary>Verify signatures made earlier (process).</summary>
    Verify,

    /// <summary>Decrypt or decapsulate data protected earlier (process).</summary>
    Decrypt,
}

/// <summary>
/// The lifecycle rules of NIST SP 800-57 Part 1 Rev. 5, section 7 (figure 3), in one place:
/// which transitions exist and which uses each state permits.
/// </summary>
public static class KeyStateMachine
{
    // SP 800-57 7.1-7.6: pre-activation → active | compromised | destroyed; active → suspended |
    // deactivated | compromised; suspended → active | deactivated | compromised | destroyed;
    // deactivated → compromised | destroyed; compromised → destroyed; destroyed is final.
    private static readonly Dictionary<KeyState, KeyState[]> Transitions = new()
    {
        [KeyState.PreActivation] = [KeyState.Active, KeyState.Compromised, KeyState.Destroyed],
        [KeyState.Active] = [KeyState.Suspended, KeyState.Deactivated, KeyState.Compromised],
        [KeyState.Suspended] = [KeyState.Active, KeyState.Deactivated, KeyState.Compromised, KeyState.Destroyed],
        [KeyState.Deactivated] = [KeyState.Compromised, KeyState.Destroyed],
        [KeyState.Compromised] = [KeyState.Destroyed],
        [KeyState.Destroyed] = [],
    };

    public static bool CanTransition(KeyState from, KeyState to) => Transitions[from].Contains(to);

    /// <summary>Throws <see cref="IllegalKeyTransitionException"/> unless the transition exists.</summary>
    public static void EnsureTransition(KeyRecord key, KeyState to)
    {
        if (!CanTransition(key.State, to))
            throw new IllegalKeyTransitionException(key.Id, key.State.ToName(), to.ToName());
    }

    /// <summary>
    /// Throws <see cref="KeyUsageDeniedException"/> unless <paramref name="key"/> may be used for
    /// <paramref name="usage"/> at <paramref name="now"/>. Only an active key protects (signs, encrypts),
    /// and only inside its cryptoperiod; a suspended key, or a deactivated one inside its grace window,
    /// may still process (verify, decrypt); a compromised or destroyed key does nothing.
    /// </summary>
    public static void EnsureUsable(KeyRecord key, KeyUsage usage, DateTimeOffset now)
    {
        var protect = usage is KeyUsage.Sign or KeyUsage.Encrypt;
        string? denied = key.State switch
        {
            KeyState.Active when protect && key.ExpiresAt is { } end && now > end => $"its cryptoperiod ended at {end:u}; rotate it",
            KeyState.Active => null,
            KeyState.Suspended when !protect => null,
            KeyState.Deactivated when !protect && key.GraceUntil is { } grace && now <= grace => null,
            KeyState.Deactivated when !protect => "it is deactivated and its grace window has ended",
            KeyState.Compromised => "it is compromised (revoked)",
            KeyState.Destroyed => "it is destroyed",
            _ => $"it is {key.State.ToName()}",
        };
        if (denied is not null)
            throw new KeyUsageDeniedException(key.Id, usage.ToString().ToLowerInvariant(), denied);
    }
}
