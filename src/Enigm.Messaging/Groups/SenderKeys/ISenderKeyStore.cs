using Enigm.Messaging.Groups.Roster;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// Where a device keeps its sender-key state, one opaque record per group (libsignal's <c>SenderKeyStore</c>
/// seam, as <see cref="Ratchet.IRatchetSessionStore"/> is for sessions). The record holds chain keys and the
/// private signing key: a client stores it wrapped (Enigm.Keys); the protocol code does no I/O.
/// </summary>
public interface ISenderKeyStore
{
    /// <summary>The stored state of <paramref name="group"/>, or null when there is none.</summary>
    byte[]? Load(GroupId group);

    /// <summary>Replaces the stored state of <paramref name="group"/> atomically.</summary>
    void Store(GroupId group, byte[] state);

    void Delete(GroupId group);
}

/// <summary>An in-memory <see cref="ISenderKeyStore"/>, for tests and the in-memory demo.</summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore
{
    private readonly Dictionary<GroupId, byte[]> _states = [];
    private readonly Lock _gate = new();

    public byte[]? Load(GroupId group)
    {
        lock (_gate) return _states.TryGetValue(group, out var state) ? (byte[])state.Clone() : null;
    }

    public void Store(GroupId group, byte[] state)
    {
        lock (_gate) _states[group] = (byte[])state.Clone();
    }

    public void Delete(GroupId group)
    {
        lock (_gate) _states.Remove(group);
    }
}
