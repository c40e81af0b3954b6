using Enigm.Trust.States;

namespace Enigm.Center.Pages;

/// <summary>A trust state as a badge: the word is always written (colour is never the only signal); changed is red.</summary>
public static class TrustStateBadge
{
    public static string For(TrustState state) =>
        $"<span class=\"badge state-{state.ToWireName()}\">{state.ToWireName()}</span>";

    /// <summary>Whether this device may send to a contact in this state under the policy (Trust.States.TrustBook.CheckSend).</summary>
    public static string Sending(TrustState state, TrustPolicy policy) =>
        state == TrustState.Changed && policy.ChangedContacts == ChangedContactPolicy.BlockUntilReverified
            ? "<span class=\"blocked\">blocked until re-verified</span>"
            : state == TrustState.Changed ? "allowed, with a warning" : "allowed";
}
