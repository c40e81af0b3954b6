namespace Enigm.Client.Tests.Groups;

/// <summary>
/// The system clock plus an offset the test moves forward: a device's <see cref="ClientOptions.Time"/> can then jump
/// past a rotation period while relay calls, timeouts and delays keep running on real time.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
