using System.Threading.Channels;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Application-level group commit (the PostgreSQL counterpart of SqliteWriter's queue): callers queue requests; a
/// few loops each take whatever is queued (up to <see cref="MaxBatch"/>) and hand it to <c>run</c>, which sends the
/// whole round as one statement batch, one transaction, and completes each request after that commit. One round trip
/// and one commit then serve many requests, instead of one each; PostgreSQL's own group commit still shares the WAL
/// flush between the loops' rounds. Two loops, so that one round gathers and sends while the other waits for its
/// commit. A request cancelled before its round started is cancelled; once in a round it runs (its caller may stop waiting).
/// </summary>
internal sealed class PostgresBatchQueue<TRequest> : IAsyncDisposable
    where TRequest : PostgresBatchQueue<TRequest>.Request
{
    public const int MaxBatch = 256;
    private const int Loops = 2;

    private readonly Channel<TRequest> _queue = Channel.CreateUnbounded<TRequest>();
    private readonly Func<List<TRequest>, Task> _run;
    private readonly Task[] _loops;

    /// <param name="run">Runs one round; must complete or fail every request it is given (it may re-queue some with <see cref="Requeue"/>).</param>
    public PostgresBatchQueue(Func<List<TRequest>, Task> run)
    {
        _run = run;
        _loops = [.. Enumerable.Range(0, Loops).Select(_ => Task.Run(RunLoopAsync))];
    }

    public void Enqueue(TRequest request)
    {
        if (!_queue.Writer.TryWrite(request)) throw new RelayStoreException("the relay store is closing");
    }

    /// <summary>Puts a request back for a later round (see the submit batch's cap check).</summary>
    public void Requeue(TRequest request)
    {
        if (!_queue.Writer.TryWrite(request)) request.Fail(new RelayStoreException("the relay store is closing"));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private async Task RunLoopAsync()
    {
        var round = new List<TRequest>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (round.Count < MaxBatch && _queue.Reader.TryRead(out var request))
            {
                if (request.Cancellation.IsCancellationRequested) request.Cancel();
                else round.Add(request);
            }

            if (round.Count == 0) continue;
            try
            {
                await _run(round).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // run completes its requests; anything it left (a bug, an unexpected error) fails rather than hangs.
                foreach (var request in round) request.Fail(e as RelayStoreException ?? new RelayStoreException($"the relay database failed: {e.Message}", e));
            }

            round.Clear();
        }
    }

    /// <summary>A queued request and its caller's completion.</summary>
    public abstract class Request(CancellationToken cancellation)
    {
        private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Cancellation { get; } = cancellation;

        public Task<int> Task => _completion.Task;

        public bool Done => _completion.Task.IsCompleted;

        public void Complete(int result) => _completion.TrySetResult(result);

        public void Fail(Exception error) => _completion.TrySetException(error);

        public void Cancel() => _completion.TrySetCanceled(Cancellation);
    }
}
