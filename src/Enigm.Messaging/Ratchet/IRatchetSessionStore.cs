namespace Enigm.Messaging.Ratchet;

/// <summary>
/// Where a client keeps its ratchet sessions, one per (peer account, peer device) address: the
/// libsignal <c>SessionStore</c> seam. Implementations persist the opaque bytes of
/// <see cref="RatchetSession.Serialize"/> (a client: SQLite, wrapped by Enigm.Keys); the protocol code
/// never does I/O itself.
/// </summary>
public interface IRatchetSessionStore
{
    /// <summary>The stored state for <paramref name="address"/>, or null when there is no session.</summary>
    byte[]? Load(string address);

    /// <summary>Replaces the stored state for <paramref name="address"/> atomically.</summary>
    void Store(string address, byte[] state);

    void Delete(string address);
}

/// <summary>An in-memory <see cref="IRatchetSessionStore"/>, for tests and the in-memory demo.</summary>
public sealed class InMemoryRatchetSessionStore : IRatchetSessionStore
{
    private readonly Dictionary<string, byte[]> _sessions = [];
    private readonly Lock _gate = new();

    public byte[]? Load(string address)
    {
        lock (_gate) return _sessions.TryGetValue(address, out var state) ? (byte[])state.Clone() : null;
    }

    public void Store(string address, byte[] state)
    {
        lock (_gate) _sessions[address] = (byte[])state.Clone();
    }

    public void Delete(string address)
    {
        lock (_gate) _sessions.Remove(address);
    }
}
