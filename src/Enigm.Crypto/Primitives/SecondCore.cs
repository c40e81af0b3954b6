using System.Runtime.ExceptionServices;

namespace Enigm.Crypto.Primitives;

/// <summary>
/// Runs two independent pieces of work at once: one offered to the thread pool, the other on the calling thread.
/// Why: first contact (PQXDH and the composite bundle signature) is a few hundred microseconds of CPU in
/// independent steps (ML-DSA and Ed25519; the signature and the agreements; the KEM and the agreements), so on a
/// machine with a free core its latency is that of the longer half (docs/benchmarks.md, "Fifth pass").
/// <para>
/// The caller never waits for the pool to schedule the offered work: when it is done with its own half and the
/// offered half has not started, it claims it and runs it itself, as the sequential code did. So a busy pool,
/// thread-pool starvation or a one-core machine costs at most the sequential time, never a deadlock, and a work
/// item that runs later finds it claimed and does nothing.
/// </para>
/// <para>
/// Both halves always run to the end (or throw) before this returns: nothing either computed is used while the
/// other is still running. When one half throws, the other's result is disposed if it is
/// <see cref="IDisposable"/> (secrets are zeroed) and the exception is rethrown as itself, not wrapped; when both
/// throw, the offered half's exception wins: callers put there the check whose refusal must be reported (a bundle
/// signature), so the error is the one the sequential code gave.
/// </para>
/// The two functions must not share mutable state; the providers they call must be safe to use from two threads
/// at once (every Enigm provider builds its engine objects per call, and libsodium's functions are reentrant).
/// </summary>
public static class SecondCore
{
    // Offered halves in flight, process-wide.
    private static int s_offered;

    /// <summary>Runs <paramref name="offered"/> on another core when one is free, and <paramref name="inline"/> here.</summary>
    public static (TOffered Offered, TInline Inline) Run<TOffered, TInline>(Func<TOffered> offered, Func<TInline> inline)
    {
        // At most one offered half per spare core in flight. Beyond that (a nested offer, as the composite signature's
        // inside PQXDH's offered bundle check, or many sessions set up at once) another work item would only
        // time-slice cores that are already busy and wake more pool threads to spin, so the offer runs here instead.
        if (Interlocked.Increment(ref s_offered) > Environment.ProcessorCount - 1)
        {
            Interlocked.Decrement(ref s_offered);
            return Run(offered, inline, schedule: null);
        }

        try
        {
            return Run(offered, inline, QueueOnThreadPool);
        }
        finally
        {
            Interlocked.Decrement(ref s_offered); // the offered half has finished: Run waits for it
        }
    }

    /// <summary>As <see cref="Run{TOffered,TInline}(Func{TOffered},Func{TInline})"/> for an offered check that returns nothing (it throws to refuse).</summary>
    public static TInline Run<TInline>(Action offered, Func<TInline> inline)
    {
        ArgumentNullException.ThrowIfNull(offered);
        return Run(() =>
        {
            offered();
            return true;
        }, inline).Inline;
    }

    /// <summary>
    /// The schedule is a parameter so that the sequential fallback (a work item that never starts) is the same code
    /// path as the concurrent one; null runs both halves on the calling thread, offered half first.
    /// </summary>
    internal static (TOffered Offered, TInline Inline) Run<TOffered, TInline>(Func<TOffered> offered, Func<TInline> inline, Action<Action>? schedule)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(inline);
        var work = new OfferedWork<TOffered>(offered);
        if (schedule is null) work.TryRun();
        else schedule(() => work.TryRun());

        TInline inlineResult = default!;
        ExceptionDispatchInfo? inlineFailure = null;
        try
        {
            inlineResult = inline();
        }
        catch (Exception e)
        {
            inlineFailure = ExceptionDispatchInfo.Capture(e);
        }

        work.TryRun(); // claims the offered half if the pool has not started it
        work.WaitUntilDone();

        if (work.Failure is not null || inlineFailure is not null)
        {
            if (inlineFailure is null) (inlineResult as IDisposable)?.Dispose();
            if (work.Failure is null) (work.Result as IDisposable)?.Dispose();
            (work.Failure ?? inlineFailure)!.Throw();
        }

        return (work.Result, inlineResult);
    }

    private static void QueueOnThreadPool(Action action) => ThreadPool.UnsafeQueueUserWorkItem(static a => a(), action, preferLocal: false);

    /// <summary>The offered half: run exactly once, by whichever thread claims it first.</summary>
    private sealed class OfferedWork<T>(Func<T> function)
    {
        private readonly ManualResetEventSlim _done = new(false);
        private int _claimed;

        public T Result { get; private set; } = default!;

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void TryRun()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0) return;
            try
            {
                Result = function();
            }
            catch (Exception e)
            {
                Failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _done.Set();
            }
        }

        /// <summary>
        /// Waits for the thread that claimed the work; the event's Set/Wait pair publishes Result and Failure. The
        /// event is not disposed: the worker may still be inside Set when Wait returns, and without a WaitHandle
        /// asked for it holds no kernel object.
        /// </summary>
        public void WaitUntilDone() => _done.Wait();
    }
}
