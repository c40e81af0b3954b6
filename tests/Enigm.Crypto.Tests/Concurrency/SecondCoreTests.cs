using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Xunit;

namespace Enigm.Crypto.Tests.Concurrency;

/// <summary>
/// Not run in parallel with other test classes: SecondCore's one spare-core slot is process-wide, and the tests that
/// check which thread ran what need it free.
/// </summary>
[CollectionDefinition(nameof(SecondCoreTests), DisableParallelization = true)]
public sealed class SecondCoreCollection;

/// <summary>SecondCore: both halves always run, failures propagate as themselves, and a busy pool never blocks.</summary>
[Collection(nameof(SecondCoreTests))]
public sealed class SecondCoreTests
{
    [Fact]
    public void Both_halves_run_and_their_results_come_back_in_place()
    {
        var (offered, inline) = SecondCore.Run(() => 6 * 7, () => "inline");

        Assert.Equal(42, offered);
        Assert.Equal("inline", inline);
    }

    [Fact]
    public void The_offered_half_runs_on_another_thread_when_the_pool_takes_it_first()
    {
        var caller = Environment.CurrentManagedThreadId;
        using var started = new ManualResetEventSlim();
        // The inline half waits until the offered one has started, so the offered one cannot be claimed by the caller.
        var (offeredThread, _) = SecondCore.Run(
            () =>
            {
                started.Set();
                return Environment.CurrentManagedThreadId;
            },
            () => started.Wait(TimeSpan.FromSeconds(30)));

        Assert.True(started.IsSet);
        if (Environment.ProcessorCount > 1) Assert.NotEqual(caller, offeredThread);
    }

    [Fact]
    public void An_offer_made_while_every_spare_core_has_one_runs_on_the_calling_thread()
    {
        using var started = new ManualResetEventSlim();
        // The outer offered half is held on the pool until it has started; inside it, on a 2-core machine, the inner
        // offer finds the one spare core taken and runs on the same thread as its inline half.
        var (inner, _) = SecondCore.Run(
            () =>
            {
                started.Set();
                return SecondCore.Run(() => Environment.CurrentManagedThreadId, () => Environment.CurrentManagedThreadId);
            },
            () => started.Wait(TimeSpan.FromSeconds(30)));

        Assert.True(started.IsSet);
        if (Environment.ProcessorCount <= 2) Assert.Equal(inner.Offered, inner.Inline);
    }

    [Fact]
    public void A_work_item_the_pool_never_starts_is_run_by_the_caller_without_waiting()
    {
        var caller = Environment.CurrentManagedThreadId;
        Action? neverRun = null;

        var (offeredThread, _) = SecondCore.Run(() => Environment.CurrentManagedThreadId, () => 0, schedule: a => neverRun = a);

        Assert.Equal(caller, offeredThread);
        Assert.NotNull(neverRun);
        neverRun!(); // the late work item finds the work claimed and does nothing
    }

    [Fact]
    public void A_failing_offered_check_is_rethrown_as_itself_and_the_inline_result_is_disposed()
    {
        var inlineResult = new Disposable();

        var error = Assert.Throws<InvalidKeyException>(() =>
            SecondCore.Run(() => throw new InvalidKeyException("bad signature"), () => inlineResult));

        Assert.Equal("bad signature", error.Message);
        Assert.True(inlineResult.Disposed);
    }

    [Fact]
    public void A_failing_inline_half_is_rethrown_and_the_offered_result_is_disposed()
    {
        var offeredResult = new Disposable();

        Assert.Throws<DecryptionFailedException>(() =>
            SecondCore.Run<Disposable, object>(() => offeredResult, () => throw new DecryptionFailedException("inline failed")));

        Assert.True(offeredResult.Disposed);
    }

    [Fact]
    public void When_both_halves_fail_the_offered_halfs_error_wins()
    {
        Assert.Throws<InvalidKeyException>(() =>
            SecondCore.Run<object>(() => throw new InvalidKeyException("offered"), () => throw new DecryptionFailedException("inline")));
        Assert.Throws<InvalidKeyException>(() =>
            SecondCore.Run<object, object>(() => throw new InvalidKeyException("offered"), () => throw new DecryptionFailedException("inline"), schedule: null));
    }

    [Fact]
    public void The_inline_half_is_not_returned_before_a_slow_offered_half_has_finished()
    {
        var finished = false;

        SecondCore.Run(
            () =>
            {
                Thread.Sleep(50);
                finished = true;
            },
            () => 0);

        Assert.True(finished);
    }

    [Fact]
    public void Many_callers_at_once_each_get_their_own_results()
    {
        var results = new int[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i =>
        {
            var (a, b) = SecondCore.Run(() => i * 2, () => i * 3);
            results[i] = a + b;
        });

        Assert.Equal(Enumerable.Range(0, 64).Select(i => i * 5), results);
    }

    private sealed class Disposable : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task Run_does_not_return_before_an_offered_half_running_elsewhere_has_finished_and_its_refusal_wins()
    {
        // The offered half is what must have finished before anything is used (a bundle signature in PQXDH): the
        // caller, done with its own half, must wait for a half another thread is still running, and report its refusal.
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var run = Task.Run(() => SecondCore.Run<bool, int>(
            () =>
            {
                started.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                throw new SignatureInvalidException("refused late");
            },
            () =>
            {
                started.Wait(TimeSpan.FromSeconds(30));
                return 1;
            },
            action => new Thread(() => action()).Start()));

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        Assert.NotSame(run, await Task.WhenAny(run, Task.Delay(200)));
        release.Set();
        await Assert.ThrowsAsync<SignatureInvalidException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Null_halves_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SecondCore.Run(null!, () => 1));
        Assert.Throws<ArgumentNullException>(() => SecondCore.Run(() => { }, (Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => SecondCore.Run<int, int>(null!, () => 1, schedule: null));
        Assert.Throws<ArgumentNullException>(() => SecondCore.Run<int, int>(() => 1, null!, schedule: null));
    }
}
