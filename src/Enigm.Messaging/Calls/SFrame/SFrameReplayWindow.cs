namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// The anti-replay window RFC 9605 §9.3 asks applications to provide, as IPsec's sliding window (RFC 4303
/// §3.4.3): a counter above the highest accepted one is new; one within <see cref="Size"/> below it is new
/// unless its bit is set; anything older is refused. The window moves only after a frame authenticated, so a
/// forged frame can never shift it.
/// </summary>
internal struct SFrameReplayWindow
{
    /// <summary>How far below the highest accepted counter a late frame is still taken (64 frames: 1.28 s of 50 fps audio).</summary>
    public const int Size = 64;

    private ulong _highest;
    private ulong _seen;
    private bool _started;

    public readonly ReplayVerdict Check(ulong counter)
    {
        if (!_started || counter > _highest) return ReplayVerdict.New;
        var distance = _highest - counter;
        if (distance >= Size) return ReplayVerdict.TooOld;
        return (_seen & (1UL << (int)distance)) != 0 ? ReplayVerdict.Duplicate : ReplayVerdict.New;
    }

    /// <summary>Records an authenticated counter that <see cref="Check"/> found new.</summary>
    public void Accept(ulong counter)
    {
        if (!_started)
        {
            _started = true;
            _highest = counter;
            _seen = 1;
            return;
        }

        if (counter > _highest)
        {
            var shift = counter - _highest;
            _seen = shift >= Size ? 1 : (_seen << (int)shift) | 1;
            _highest = counter;
            return;
        }

        _seen |= 1UL << (int)(_highest - counter);
    }
}

internal enum ReplayVerdict
{
    New,
    Duplicate,
    TooOld,
}
