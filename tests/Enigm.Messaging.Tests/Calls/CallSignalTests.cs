using System.Formats.Cbor;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>The call signalling codec: one encoding per message, and typed refusals of anything else.</summary>
public sealed class CallSignalTests(CallDevices devices) : IClassFixture<CallDevices>
{
    private static readonly byte[] CallId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    public static TheoryData<string> Kinds() => ["offer", "answer", "rekey", "leave"];

    private byte[] Sample(string kind)
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        using (bob)
        {
            var rekey = host.Admit(invitation.Complete(answer, devices.Bob))[0].Message;
            bob.ApplyRekey(rekey, devices.Alice);
            return kind switch
            {
                "offer" => invitation.Offer,
                "answer" => answer,
                "rekey" => rekey,
                _ => bob.Leave(),
            };
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_message_decodes_and_re_encodes_to_the_same_bytes(string kind)
    {
        var bytes = Sample(kind);
        Assert.True(bytes.Length <= CallSignal.MaxEncodedSize);
        Assert.Equal(bytes, CallSignal.Decode(bytes).Encode());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Rejects_trailing_bytes_and_truncation(string kind)
    {
        var bytes = Sample(kind);
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(bytes.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(bytes[..^1]));
    }

    [Fact]
    public void Rejects_a_message_over_the_size_limit()
    {
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(new byte[CallSignal.MaxEncodedSize + 1]));
    }

    [Fact]
    public void Rejects_an_unknown_type_or_version()
    {
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(Encode(1, 9, CallId, 0)));
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(Encode(2, 4, CallId, 0)));
        Assert.IsType<CallLeave>(CallSignal.Decode(Encode(1, 4, CallId, 0)));
    }

    [Fact]
    public void Rejects_a_short_call_id_or_an_index_out_of_range()
    {
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(Encode(1, 4, CallId[..15], 0)));
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(Encode(1, 4, CallId, 64)));
    }

    [Fact]
    public void Rejects_a_message_of_the_wrong_kind_where_one_kind_is_expected()
    {
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode<CallOffer>(Encode(1, 4, CallId, 0)));
    }

    [Fact]
    public void Rejects_a_roster_out_of_order_or_without_its_recipient()
    {
        var binding = new byte[32];
        var wrapped = new byte[CallRekey.WrappedSecretSize];
        var ordered = new CallRekey(CallId, 3, [new(0, binding), new(2, binding)], 2, wrapped).Encode();
        Assert.IsType<CallRekey>(CallSignal.Decode(ordered));
        var swapped = new CallRekey(CallId, 3, [new(2, binding), new(0, binding)], 2, wrapped).Encode();
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(swapped));
        var duplicate = new CallRekey(CallId, 3, [new(0, binding), new(0, binding)], 0, wrapped).Encode();
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(duplicate));
        var missing = new CallRekey(CallId, 3, [new(0, binding), new(2, binding)], 1, wrapped).Encode();
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(missing));
    }

    [Fact]
    public void Rejects_an_offer_whose_direct_flag_is_not_a_cbor_bool()
    {
        var offer = CallSignal.Decode<CallOffer>(Sample("offer"));
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(8);
        writer.WriteInt32(1);
        writer.WriteInt32(1);
        writer.WriteByteString(offer.CallId);
        writer.WriteUInt32(offer.SuiteId);
        writer.WriteByteString(offer.CallerBinding);
        writer.WriteByteString(offer.CalleeBinding);
        writer.WriteByteString(offer.EphemeralKey);
        writer.WriteInt32(1);
        writer.WriteEndArray();
        Assert.Throws<MalformedInputException>(() => CallSignal.Decode(writer.Encode()));
        Assert.True(CallSignal.Decode<CallOffer>((offer with { Direct = true }).Encode()).Direct);
    }

    private static byte[] Encode(int version, int type, byte[] callId, int index)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(4);
        writer.WriteInt32(version);
        writer.WriteInt32(type);
        writer.WriteByteString(callId);
        writer.WriteInt32(index);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
