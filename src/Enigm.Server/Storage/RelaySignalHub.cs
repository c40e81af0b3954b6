namespace Enigm.Server.Storage;

/// <summary>
/// The subscribers of one store instance. <see cref="Dispatch"/> calls every handler in turn on the caller's thread;
/// a handler that throws does not stop the others (signals are hints to wake delivery loops, never data).
/// </summary>
internal sealed class RelaySignalHub
{
    private readonly Lock _lock = new();
    private Action<RelaySignal>[] _handlers = [];

    public IDisposable Subscribe(Action<RelaySignal> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock) _handlers = [.. _handlers, handler];
        return new Subscription(this, handler);
    }

    public void Dispatch(RelaySignal signal)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(signal);
            }
            catch (Exception)
            {
                // A broken subscriber must not starve the others; it is the subscriber's job to log its own failures.
            }
        }
    }

    private void Remove(Action<RelaySignal> handler)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_handlers, handler);
            if (index >= 0) _handlers = [.. _handlers[..index], .. _handlers[(index + 1)..]];
        }
    }

    private sealed class Subscription(RelaySignalHub hub, Action<RelaySignal> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) hub.Remove(handler);
        }
    }
}
