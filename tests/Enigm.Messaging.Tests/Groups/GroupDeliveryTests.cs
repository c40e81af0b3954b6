using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Groups.Delivery;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Xunit;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>The multi-recipient delivery: one group message and its recipient devices, strictly encoded.</summary>
public sealed class GroupDeliveryTests
{
    private static readonly byte[] Message = [1, 2, 3, 4];

    private static SessionAddress Device(byte account, string id) => new(new AccountFingerprint(Enumerable.Repeat(account, 32).ToArray()), id);

    [Fact]
    public void Round_trips_recipients_in_canonical_order_without_duplicates()
    {
        var delivery = GroupDelivery.For(Message, [Device(2, "b"), Device(1, "z"), Device(2, "a"), Device(1, "z")]);

        var decoded = GroupDelivery.Decode(delivery.Encode());

        Assert.Equal([Device(1, "z"), Device(2, "a"), Device(2, "b")], decoded.Recipients);
        Assert.Equal(Message, decoded.Message);
    }

    [Fact]
    public void The_per_device_part_is_its_address_only()
    {
        var devices = Enumerable.Range(0, 1000).Select(i => Device((byte)(i / 3), $"device-{i:D4}")).ToList();

        var encoded = GroupDelivery.For(Message, devices).Encode();

        // 1,000 devices of 334 accounts: the device id (12 bytes + 1) and the account once per account (32 + 4).
        Assert.True(encoded.Length < 1000 * 13 + 334 * 36 + 64, $"{encoded.Length} bytes");
    }

    [Fact]
    public void Rejects_unordered_repeated_empty_and_oversized_recipient_lists()
    {
        static byte[] Encode(IEnumerable<(byte Account, string[] Devices)> accounts, byte[]? message = null)
        {
            var writer = CanonicalCbor.CreateWriter();
            writer.WriteStartArray(5);
            FormatHeader.For(Crypto.Suites.SuitePolicy.Default.Preferred, ObjectType.GroupDelivery).WriteTo(writer);
            var list = accounts.ToList();
            writer.WriteStartArray(list.Count);
            foreach (var (account, devices) in list)
            {
                writer.WriteStartArray(2);
                writer.WriteByteString(Enumerable.Repeat(account, 32).ToArray());
                writer.WriteStartArray(devices.Length);
                foreach (var d in devices) writer.WriteTextString(d);
                writer.WriteEndArray();
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteByteString(message ?? Message);
            writer.WriteEndArray();
            return writer.Encode();
        }

        Assert.Single(GroupDelivery.Decode(Encode([(1, ["a"])])).Recipients);
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(2, ["a"]), (1, ["a"])])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, ["a"]), (1, ["b"])])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, ["b", "a"])])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, ["a", "a"])])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, [])])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, ["bad id"])])));
        var tooMany = Enumerable.Range(0, GroupDelivery.MaxRecipients + 1).Select(i => $"d{i:D5}").ToArray();
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, tooMany)])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(Encode([(1, ["a"])], new byte[GroupMessage.MaxEncodedSize + 1])));
        Assert.Throws<MalformedInputException>(() => GroupDelivery.Decode(new byte[GroupDelivery.MaxEncodedSize + 1]));
    }

    [Fact]
    public void Group_message_and_distribution_parsers_reject_malformed_bytes()
    {
        var distribution = new SenderKeyDistribution(1, GroupId.New(), Device(1, "a"), new byte[16], 0, new byte[32], Crypto.Algorithms.SignatureAlgorithm.Ed25519, new byte[32]).Encode();
        var message = new GroupMessage(1, GroupId.New(), new byte[16], 0, new byte[16], new byte[64]).Encode();

        Assert.Equal(0u, SenderKeyDistribution.Decode(distribution).Iteration);
        Assert.Equal(64, GroupMessage.Decode(message).Signature.Length);
        Assert.Throws<MalformedInputException>(() => SenderKeyDistribution.Decode(distribution[..^1]));
        Assert.Throws<MalformedInputException>(() => SenderKeyDistribution.Decode(message));
        Assert.Throws<MalformedInputException>(() => GroupMessage.Decode(distribution));
        Assert.Throws<MalformedInputException>(() => GroupMessage.Decode(new GroupMessage(1, GroupId.New(), new byte[16], 0, new byte[15], []).Encode()));
        Assert.Throws<MalformedInputException>(() => GroupMessage.Decode(new byte[GroupMessage.MaxEncodedSize + 1]));
    }
}
