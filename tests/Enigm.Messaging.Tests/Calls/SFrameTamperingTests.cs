using System.Security.Cryptography;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>Frames that must not be accepted, each refused with its own typed error, for every registered suite.</summary>
public sealed class SFrameTamperingTests
{
    private const ulong Kid = 0x1234;

    public static TheoryData<ushort> Suites() => [.. SFrameCipherSuite.All.Select(s => s.Id)];

    private static (SFrameSender Sender, SFrameReceiver Receiver) Pair(ushort suiteId)
    {
        var suite = SFrameCipherSuite.FromId(suiteId);
        var baseKey = RandomNumberGenerator.GetBytes(suite.HashSize);
        var receiver = new SFrameReceiver(suite);
        receiver.AddKey(Kid, baseKey);
        return (new SFrameSender(suite, Kid, baseKey), receiver);
    }

    private static byte[] Audio(int i) => [.. Enumerable.Range(0, 160).Select(j => (byte)(i + j))];

    [Theory]
    [MemberData(nameof(Suites))]
    public void Accepts_frames_in_order_and_reordered_within_the_window(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frames = Enumerable.Range(0, 10).Select(i => sender.Protect(Audio(i))).ToArray();
        foreach (var i in new[] { 0, 2, 1, 5, 3, 4, 9, 6, 8, 7 })
            Assert.Equal(Audio(i), receiver.Unprotect(frames[i]));
        Assert.Equal(10UL, sender.NextCounter);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_a_tampered_counter_in_the_header(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect(Audio(1));
        var header = SFrameHeader.Read(frame, out var size);
        var forged = new SFrameHeader(header.Kid, 5).Encode().Concat(frame[size..]).ToArray();
        var error = Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(forged));
        Assert.Equal(5UL, error.Counter);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_a_flipped_ciphertext_byte(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect(Audio(1));
        frame[5] ^= 0x01;
        Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(frame));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_a_flipped_tag_byte(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect(Audio(1));
        frame[^1] ^= 0x80;
        Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(frame));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_different_metadata(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect(Audio(1), [1, 2, 3]);
        Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(frame, [1, 2, 4]));
        Assert.Equal(Audio(1), receiver.Unprotect(frame, [1, 2, 3]));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_a_replayed_frame_after_accepting_it_once(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect(Audio(1));
        receiver.Unprotect(frame);
        var error = Assert.Throws<SFrameReplayException>(() => receiver.Unprotect(frame));
        Assert.Contains("already accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_frame_older_than_the_replay_window()
    {
        var (sender, receiver) = Pair(SFrameCipherSuite.Default.Id);
        var late = sender.Protect(Audio(0));
        for (var i = 1; i <= SFrameReplayWindow.Size; i++) receiver.Unprotect(sender.Protect(Audio(i)));
        var error = Assert.Throws<SFrameReplayException>(() => receiver.Unprotect(late));
        Assert.Contains("below the highest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_frame_does_not_move_the_replay_window()
    {
        var (sender, receiver) = Pair(SFrameCipherSuite.Default.Id);
        var first = sender.Protect(Audio(0));
        var forged = new SFrameHeader(Kid, 1000).Encode().Concat(new byte[176]).ToArray();
        Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(forged));
        Assert.Equal(Audio(0), receiver.Unprotect(first));
    }

    [Fact]
    public void Rejects_an_unknown_kid()
    {
        var (_, receiver) = Pair(SFrameCipherSuite.Default.Id);
        var suite = SFrameCipherSuite.Default;
        using var stranger = new SFrameSender(suite, Kid + 1, RandomNumberGenerator.GetBytes(suite.HashSize));
        var error = Assert.Throws<SFrameUnknownKeyException>(() => receiver.Unprotect(stranger.Protect(Audio(1))));
        Assert.Equal(Kid + 1, error.Kid);
    }

    [Fact]
    public void Rejects_a_frame_under_a_removed_key()
    {
        var (sender, receiver) = Pair(SFrameCipherSuite.Default.Id);
        Assert.True(receiver.RemoveKey(Kid));
        Assert.Throws<SFrameUnknownKeyException>(() => receiver.Unprotect(sender.Protect(Audio(1))));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rejects_a_frame_shorter_than_its_tag(ushort suite)
    {
        var (sender, receiver) = Pair(suite);
        var frame = sender.Protect([]);
        Assert.Throws<SFrameHeaderInvalidException>(() => receiver.Unprotect(frame[..^1]));
    }

    [Fact]
    public void Rejects_a_frame_under_another_key_with_the_same_kid()
    {
        var suite = SFrameCipherSuite.Default;
        using var sender = new SFrameSender(suite, Kid, RandomNumberGenerator.GetBytes(64));
        using var receiver = new SFrameReceiver(suite);
        receiver.AddKey(Kid, RandomNumberGenerator.GetBytes(64));
        Assert.Throws<SFrameAuthenticationException>(() => receiver.Unprotect(sender.Protect(Audio(1))));
    }

    [Fact]
    public void Errors_have_distinct_codes()
    {
        string[] codes =
        [
            new SFrameHeaderInvalidException("x").Code, new SFrameAuthenticationException(1, 1).Code,
            new SFrameReplayException(1, 1, "x").Code, new SFrameUnknownKeyException(1).Code,
            new CallEpochException(1, "x").Code, new CallSetupException("x").Code, new CallStateException("x").Code,
        ];
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    [Fact]
    public void Refuses_an_unregistered_suite_id()
    {
        Assert.Throws<CallSetupException>(() => SFrameCipherSuite.FromId(6));
        Assert.Throws<CallSetupException>(() => SFrameCipherSuite.FromId(0));
        Assert.Equal(5, SFrameCipherSuite.Default.Id);
    }
}
