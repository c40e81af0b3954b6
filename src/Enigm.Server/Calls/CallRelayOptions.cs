using Enigm.Server.Hosting;

namespace Enigm.Server.Calls;

/// <summary>The media relay's per-node knobs (docs/relay-api.md, "Media relay"). The caps both sides know are in <see cref="Relay.CallLimits"/>.</summary>
public sealed record CallRelayOptions
{
    /// <summary>
    /// Frames one participant may send: a burst of 500 and 250 a second, five times a 50 frames/s audio stream, room for
    /// a video stream's packets. Frames over the rate are dropped (as a congested SFU would), not queued.
    /// </summary>
    public BucketSize FramesPerParticipant { get; init; } = new(500, 250);

    /// <summary>Frames waiting to be sent to one slow participant; past it new frames for it are dropped (media is late-intolerant).</summary>
    public int OutgoingQueueFrames { get; init; } = 256;

    /// <summary>A room nobody is connected to is forgotten after this long (its owner can PUT it again).</summary>
    public TimeSpan IdleRoomTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Rooms one node holds at most (a PUT past it is 429).</summary>
    public int MaxRooms { get; init; } = 10_000;
}
