namespace Enigm.Trust.Tests.States;

/// <summary>A <see cref="TimeProvider"/> the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public ManualClock()
        : this(Epoch)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
