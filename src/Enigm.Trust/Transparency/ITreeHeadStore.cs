namespace Enigm.Trust.Transparency;

/// <summary>Where a client remembers the newest verified tree head of each log it follows.</summary>
public interface ITreeHeadStore
{
    /// <summary>The remembered head of <paramref name="logId"/>, or null before the first one.</summary>
    SignedTreeHead? Load(string logId);

    /// <summary>Replaces the remembered head of <see cref="SignedTreeHead.LogId"/>.</summary>
    void Save(SignedTreeHead treeHead);
}

/// <summary><see cref="ITreeHeadStore"/> in memory (tests, the demo, short-lived clients).</summary>
public sealed class InMemoryTreeHeadStore : ITreeHeadStore
{
    private readonly Dictionary<string, SignedTreeHead> _heads = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public SignedTreeHead? Load(string logId)
    {
        lock (_lock) return _heads.GetValueOrDefault(logId);
    }

    public void Save(SignedTreeHead treeHead)
    {
        ArgumentNullException.ThrowIfNull(treeHead);
        lock (_lock) _heads[treeHead.LogId] = treeHead;
    }
}
