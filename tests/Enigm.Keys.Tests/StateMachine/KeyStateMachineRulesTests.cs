using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Xunit;

namespace Enigm.Keys.Tests.StateMachine;

/// <summary>
/// The whole NIST SP 800-57 Part 1 Rev. 5 section 7 table (figure 3) and the usage rules, cell by
/// cell, including the instants exactly at the end of a cryptoperiod and of a grace window.
/// </summary>
public sealed class KeyStateMachineRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // SP 800-57 7.1-7.6, written out as the figure shows it.
    private static readonly (KeyState From, KeyState To)[] Allowed =
    [
        (KeyState.PreActivation, KeyState.Active),
        (KeyState.PreActivation, KeyState.Compromised),
        (KeyState.PreActivation, KeyState.Destroyed),
        (KeyState.Active, KeyState.Suspended),
        (KeyState.Active, KeyState.Deactivated),
        (KeyState.Active, KeyState.Compromised),
        (KeyState.Suspended, KeyState.Active),
        (KeyState.Suspended, KeyState.Deactivated),
        (KeyState.Suspended, KeyState.Compromised),
        (KeyState.Suspended, KeyState.Destroyed),
        (KeyState.Deactivated, KeyState.Compromised),
        (KeyState.Deactivated, KeyState.Destroyed),
        (KeyState.Compromised, KeyState.Destroyed),
    ];

    public static TheoryData<KeyState, KeyState> AllPairs()
    {
        var data = new TheoryData<KeyState, KeyState>();
        foreach (var from in Enum.GetValues<KeyState>())
        {
            foreach (var to in Enum.GetValues<KeyState>())
                data.Add(from, to);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Transition_exists_exactly_where_sp_800_57_draws_one(KeyState from, KeyState to)
    {
        var expected = Allowed.Contains((from, to));
        Assert.Equal(expected, KeyStateMachine.CanTransition(from, to));

        var key = Key(from);
        if (expected)
        {
            KeyStateMachine.EnsureTransition(key, to);
        }
        else
        {
            var e = Assert.Throws<IllegalKeyTransitionException>(() => KeyStateMachine.EnsureTransition(key, to));
            Assert.Equal(key.Id, e.KeyId);
            Assert.Contains($"from {from.ToName()} to {to.ToName()}", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(KeyUsage.Sign)]
    [InlineData(KeyUsage.Encrypt)]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void An_active_key_does_everything_up_to_and_including_the_end_of_its_cryptoperiod(KeyUsage usage)
    {
        KeyStateMachine.EnsureUsable(Key(KeyState.Active) with { ExpiresAt = Now }, usage, Now);
        KeyStateMachine.EnsureUsable(Key(KeyState.Active) with { ExpiresAt = null }, usage, Now);
    }

    [Theory]
    [InlineData(KeyUsage.Sign)]
    [InlineData(KeyUsage.Encrypt)]
    public void An_active_key_stops_protecting_one_tick_after_its_cryptoperiod(KeyUsage usage)
    {
        var key = Key(KeyState.Active) with { ExpiresAt = Now };
        var e = Assert.Throws<KeyUsageDeniedException>(() => KeyStateMachine.EnsureUsable(key, usage, Now + Tick));
        Assert.Equal(key.Id, e.KeyId);
        Assert.Contains($"to {usage.ToString().ToLowerInvariant()}: its cryptoperiod ended at", e.Message, StringComparison.Ordinal);
        Assert.Contains("rotate it", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void An_active_key_past_its_cryptoperiod_still_processes(KeyUsage usage) =>
        KeyStateMachine.EnsureUsable(Key(KeyState.Active) with { ExpiresAt = Now }, usage, Now + TimeSpan.FromDays(1));

    [Theory]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void A_suspended_key_processes(KeyUsage usage) =>
        KeyStateMachine.EnsureUsable(Key(KeyState.Suspended), usage, Now);

    [Theory]
    [InlineData(KeyUsage.Sign)]
    [InlineData(KeyUsage.Encrypt)]
    public void A_suspended_key_does_not_protect(KeyUsage usage) =>
        AssertDenied(Key(KeyState.Suspended), usage, Now, "it is suspended");

    [Theory]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void A_deactivated_key_processes_up_to_and_including_the_end_of_its_grace_window(KeyUsage usage)
    {
        var key = Key(KeyState.Deactivated) with { GraceUntil = Now };
        KeyStateMachine.EnsureUsable(key, usage, Now - TimeSpan.FromDays(1));
        KeyStateMachine.EnsureUsable(key, usage, Now);
    }

    [Theory]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void A_deactivated_key_stops_processing_one_tick_after_its_grace_window(KeyUsage usage) =>
        AssertDenied(Key(KeyState.Deactivated) with { GraceUntil = Now }, usage, Now + Tick, "it is deactivated and its grace window has ended");

    [Theory]
    [InlineData(KeyUsage.Verify)]
    [InlineData(KeyUsage.Decrypt)]
    public void A_deactivated_key_without_a_grace_window_does_not_process(KeyUsage usage) =>
        AssertDenied(Key(KeyState.Deactivated) with { GraceUntil = null }, usage, Now, "it is deactivated and its grace window has ended");

    [Theory]
    [InlineData(KeyUsage.Sign)]
    [InlineData(KeyUsage.Encrypt)]
    public void A_deactivated_key_inside_its_grace_window_does_not_protect(KeyUsage usage) =>
        AssertDenied(Key(KeyState.Deactivated) with { GraceUntil = Now + TimeSpan.FromDays(1) }, usage, Now, "it is deactivated");

    [Theory]
    [InlineData(KeyState.Compromised, "it is compromised (revoked)")]
    [InlineData(KeyState.Destroyed, "it is destroyed")]
    [InlineData(KeyState.PreActivation, "it is pre-activation")]
    public void Compromised_destroyed_and_pre_activation_keys_do_nothing(KeyState state, string reason)
    {
        foreach (var usage in Enum.GetValues<KeyUsage>())
            AssertDenied(Key(state) with { GraceUntil = Now + TimeSpan.FromDays(1), ExpiresAt = Now + TimeSpan.FromDays(1) }, usage, Now, reason);
    }

    private static void AssertDenied(KeyRecord key, KeyUsage usage, DateTimeOffset now, string reason)
    {
        var e = Assert.Throws<KeyUsageDeniedException>(() => KeyStateMachine.EnsureUsable(key, usage, now));
        Assert.Equal(key.Id, e.KeyId);
        Assert.EndsWith($"to {usage.ToString().ToLowerInvariant()}: {reason}.", e.Message, StringComparison.Ordinal);
    }

    private static KeyRecord Key(KeyState state) => new()
    {
        Id = "k-1.v1",
        SeriesId = "k-1",
        Version = 1,
        Purpose = KeyPurpose.DeviceSigning,
        SuiteId = 1,
        Algorithm = "ML-DSA-65",
        State = state,
        PublicKey = [1],
        CreatedAt = Now - TimeSpan.FromDays(10),
        Cryptoperiod = TimeSpan.FromDays(365),
    };
}
