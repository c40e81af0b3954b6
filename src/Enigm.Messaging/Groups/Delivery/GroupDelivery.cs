using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.Delivery;

/// <summary>
/// A multi-recipient group delivery (Signal's multi-recipient sealed-sender idea; docs/groups.md,
/// "Multi-recipient delivery"): one <see cref="GroupMessage"/>, stored once, and the member devices to deliver it
/// to. Deterministic CBOR <c>[version, suite, type, [[account, [device id, …]], …], group message (bstr)]</c>,
/// accounts and device ids in ascending order, none repeated. The per-device part is only the device's address
/// (its id, ~20 bytes, plus its account's 32 bytes once per account): no per-device cryptography.
/// </summary>
public sealed record GroupDelivery(ushort SuiteId, IReadOnlyList<SessionAddress> Recipients, byte[] Message)
{
    /// <summary>Most recipient devices of one delivery (a group's whole membership).</summary>
    public const int MaxRecipients = GroupMembership.MaxDevices;

    /// <summary>Ceiling of an encoded delivery: the largest group message plus the largest recipient list.</summary>
    public const int MaxEncodedSize = GroupMessage.MaxEncodedSize + (MaxRecipients * (DeviceLogEncoding.MaxIdLength + 2 + AccountFingerprint.Length + 4)) + 64;

    /// <summary>A delivery of <paramref name="message"/> (an encoded group message) to <paramref name="recipients"/>.</summary>
    public static GroupDelivery For(byte[] message, IEnumerable<SessionAddress> recipients, SuitePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var list = Order(recipients.Distinct()).ToList();
        if (list.Count is 0 or > MaxRecipients) throw new ArgumentException($"A delivery has 1-{MaxRecipients} recipients.", nameof(recipients));
        return new GroupDelivery((policy ?? SuitePolicy.Default).Preferred.Id, list, message);
    }

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        new FormatHeader(FormatHeader.CurrentVersion, SuiteId, ObjectType.GroupDelivery).WriteTo(writer);
        var byAccount = Order(Recipients).GroupBy(r => r.Account).ToList();
        writer.WriteStartArray(byAccount.Count);
        foreach (var account in byAccount)
        {
            writer.WriteStartArray(2);
            writer.WriteByteString(account.Key.Bytes);
            writer.WriteStartArray(account.Count());
            foreach (var device in account) writer.WriteTextString(device.DeviceId);
            writer.WriteEndArray();
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteByteString(Message);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Parses an untrusted delivery (what a relay does before storing it): size limits, canonical CBOR, header,
    /// recipients in strictly ascending order with valid ids, at most <see cref="MaxRecipients"/>. The message is
    /// returned as opaque bytes (only members can check it). Typed errors: <see cref="MalformedInputException"/>
    /// and the header's suite and version errors.
    /// </summary>
    public static GroupDelivery Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var header = FormatHeader.Read(reader, ObjectType.GroupDelivery, policy);
            var accounts = MessagingCbor.ReadArrayUpTo(reader, MaxRecipients, "recipient account");
            var recipients = new List<SessionAddress>();
            byte[]? previousAccount = null;
            for (var i = 0; i < accounts; i++)
            {
                CanonicalCbor.ReadArrayStart(reader, 2);
                var account = MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "recipient account");
                if (previousAccount is not null && account.AsSpan().SequenceCompareTo(previousAccount) <= 0)
                    throw new MalformedInputException("Delivery recipients are not in ascending account order.");
                previousAccount = account;
                var devices = MessagingCbor.ReadArrayUpTo(reader, MaxRecipients - recipients.Count, "recipient device");
                if (devices == 0) throw new MalformedInputException("A delivery names an account with no device.");
                string? previousDevice = null;
                for (var j = 0; j < devices; j++)
                {
                    var device = CanonicalCbor.ReadText(reader, DeviceLogEncoding.MaxIdLength);
                    if (!DeviceLogEncoding.IsValidId(device)) throw new MalformedInputException("A delivery names an invalid device id.");
                    if (previousDevice is not null && string.CompareOrdinal(device, previousDevice) <= 0)
                        throw new MalformedInputException("Delivery device ids are not in ascending order.");
                    previousDevice = device;
                    recipients.Add(new SessionAddress(new AccountFingerprint(account), device));
                }

                reader.ReadEndArray();
                reader.ReadEndArray();
            }

            reader.ReadEndArray();
            if (recipients.Count == 0) throw new MalformedInputException("A delivery has no recipient.");
            var message = CanonicalCbor.ReadBytes(reader, GroupMessage.MaxEncodedSize);
            reader.ReadEndArray();
            return new GroupDelivery(header.SuiteId, recipients, message);
        });
    }

    private static IOrderedEnumerable<SessionAddress> Order(IEnumerable<SessionAddress> recipients) =>
        recipients.OrderBy(r => r.Account.Hex, StringComparer.Ordinal).ThenBy(r => r.DeviceId, StringComparer.Ordinal);
}
