namespace Enigm.Client;

/// <summary>How a call runs: how long to stream and how long to ring, and the generated audio-like stream.</summary>
public sealed record CallOptions
{
    /// <summary>How long media streams once the call is keyed.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the caller waits for answers, and the callee for an offer.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Frames per second of the generated stream (50 = one 20 ms audio frame each).</summary>
    public int FramesPerSecond { get; init; } = 50;

    /// <summary>Plaintext bytes per frame (160 = 20 ms of 8 kHz 8-bit audio).</summary>
    public int FrameBytes { get; init; } = 160;
}

/// <summary>Something that happened during a call, for a live display.</summary>
/// <param name="Kind">ringing, answered, joined, left, removed, rekeyed, rejected (a frame refused), refused (a call signal refused), ended.</param>
/// <param name="Detail">One line saying it.</param>
/// <param name="Sas">The short authentication string of the link this event is about, when there is one.</param>
public sealed record CallEvent(string Kind, string Detail, string? Sas = null)
{
    /// <summary>For <c>rejected</c>: the refused frame's KID (sender index and epoch bits, public header field).</summary>
    public ulong? Kid { get; init; }

    /// <summary>For <c>rejected</c>: the refused frame's counter.</summary>
    public ulong? Counter { get; init; }

    /// <summary>For <c>rejected</c> and <c>refused</c>: the error family (<c>call-wrong-epoch</c>, <c>sframe-authentication</c>, …).</summary>
    public string? Code { get; init; }
}

/// <summary>The media frames this device read from one sender of the call.</summary>
/// <param name="Index">The sender index in the call (0 = the device that started it).</param>
/// <param name="Who">The contact and device when this device knows them, else the index.</param>
/// <param name="FramesReceived">Frames from that sender that unprotected here.</param>
public sealed record CallSenderCount(int Index, string Who, long FramesReceived);

/// <summary>One device of the call, as this device saw it.</summary>
/// <param name="Account">Its account, hex.</param>
/// <param name="Device">Its device id.</param>
/// <param name="Contact">Its contact name, when it is a contact.</param>
/// <param name="Sas">The SAS of this device's link with it (the caller has one per callee; a callee one, with the caller).</param>
public sealed record CallPeer(string Account, string Device, string? Contact, string Sas);

/// <summary>What a call did, for the user and for <c>--json</c>.</summary>
/// <param name="CallId">The call id (also the relay room), hex.</param>
/// <param name="Role">caller or callee.</param>
/// <param name="Suite">The SFrame cipher suite (RFC 9605 §4.5).</param>
/// <param name="Peers">The devices this device set the call up with, each with its SAS.</param>
/// <param name="FramesSent">Media frames this device protected and sent.</param>
/// <param name="FramesReceived">Frames that unprotected (authentic, fresh, under a key this device holds).</param>
/// <param name="FramesDropped">Frames missing from the counters seen (lost in the relay or network), or that arrived before this device held the epoch's keys.</param>
/// <param name="FramesRejected">Frames refused: tampered, replayed, wrong epoch or unknown key.</param>
/// <param name="Epochs">How many key epochs this device went through (a new one per join or leave).</param>
/// <param name="SetupMilliseconds">Time from the first offer (or the offer's arrival) to the first epoch key.</param>
/// <param name="Senders">Frames received per sender (every participant this device heard, departed ones included).</param>
public sealed record CallReport(
    string CallId,
    string Role,
    string Suite,
    IReadOnlyList<CallPeer> Peers,
    long FramesSent,
    long FramesReceived,
    long FramesDropped,
    long FramesRejected,
    int Epochs,
    long SetupMilliseconds,
    IReadOnlyList<CallSenderCount> Senders);
