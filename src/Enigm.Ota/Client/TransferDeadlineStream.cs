using System.Buffers;
using System.Diagnostics;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// A read-only view of a network response body that enforces <see cref="TransferLimits"/>: each read
/// is cancelled at the moment the transfer would break the file deadline or the minimum average rate
/// if no further byte arrived, and then fails with <see cref="SlowRetrievalException"/>. The clock
/// starts at the request, so time spent waiting for headers counts against the file.
/// </summary>
internal sealed class TransferDeadlineStream(Stream inner, string name, TransferLimits limits, long startTimestamp, IDisposable? owner = null)
    : ReadOnlyWrapperStream(inner, owner)
{
    /// <summary>Time left before the transfer breaks a limit if nothing more arrives (≤ 0: broken already).</summary>
    internal static TimeSpan Remaining(TransferLimits limits, long received, TimeSpan elapsed, out string limit)
    {
        var remaining = limits.FileTimeout - elapsed;
        limit = $"over the {limits.FileTimeout.TotalSeconds:0.#} s limit for one file";
        if (limits.MinimumBytesPerSecond > 0)
        {
            // The average received / t drops below the rate once t exceeds received / rate.
            var rateBreaksAt = TimeSpan.FromSeconds(Math.Max(limits.RateGracePeriod.TotalSeconds, (double)received / limits.MinimumBytesPerSecond));
            if (rateBreaksAt - elapsed < remaining)
            {
                remaining = rateBreaksAt - elapsed;
                limit = $"below the minimum average of {limits.MinimumBytesPerSecond} bytes/s";
            }
        }

        return remaining;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        var remaining = Remaining(limits, BytesRead, elapsed, out var limit);
        if (remaining <= TimeSpan.Zero) throw new SlowRetrievalException(name, BytesRead, elapsed, limit);

        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            using var cancel = new CancellationTokenSource(remaining);
            int n;
            try
            {
                // Synchronous reads of a response body cannot be cancelled; an asynchronous read with a
                // token can, and cancelling it aborts the connection.
                n = Inner.ReadAsync(rented.AsMemory(0, buffer.Length), cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new SlowRetrievalException(name, BytesRead, Stopwatch.GetElapsedTime(startTimestamp), limit);
            }

            rented.AsSpan(0, n).CopyTo(buffer);
            BytesRead += n;
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
