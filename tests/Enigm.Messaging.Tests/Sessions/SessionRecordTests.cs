using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Sessions;
using Xunit;

namespace Enigm.Messaging.Tests.Sessions;

public sealed class SessionRecordTests
{
    private static readonly byte[] Binding = Enumerable.Repeat((byte)7, 32).ToArray();

    [Fact]
    public void A_version_1_record_without_an_archive_still_reads()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt32(1);
        writer.WriteByteString([1, 2, 3]);
        writer.WriteNull();
        writer.WriteByteString(Binding);
        writer.WriteNull();
        writer.WriteEndArray();

        var record = SessionRecord.Decode(writer.Encode());

        Assert.Equal([1, 2, 3], record.State);
        Assert.Empty(record.Archived);
    }

    [Fact]
    public void Keeps_at_most_two_archived_sessions_newest_first_and_round_trips_them()
    {
        var record = new SessionRecord([0], null, Binding, null);
        for (byte i = 1; i <= 3; i++) record = record.WithArchived(new ArchivedSession([i], Binding, null));

        var decoded = SessionRecord.Decode(record.Encode());

        Assert.Equal([[3], [2]], decoded.Archived.Select(a => a.State));
    }

    [Fact]
    public void Rejects_a_record_with_more_archived_sessions_than_the_limit()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        writer.WriteInt32(2);
        writer.WriteByteString([1]);
        writer.WriteNull();
        writer.WriteByteString(Binding);
        writer.WriteNull();
        writer.WriteStartArray(3);
        for (var i = 0; i < 3; i++)
        {
            writer.WriteStartArray(3);
            writer.WriteByteString([1]);
            writer.WriteByteString(Binding);
            writer.WriteNull();
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();

        Assert.Throws<MalformedInputException>(() => SessionRecord.Decode(writer.Encode()));
    }

    [Fact]
    public void Rejects_a_version_2_record_without_its_archive_field()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        writer.WriteInt32(2);
        writer.WriteByteString([1]);
        writer.WriteNull();
        writer.WriteByteString(Binding);
        writer.WriteNull();
        writer.WriteEndArray();

        Assert.Throws<MalformedInputException>(() => SessionRecord.Decode(writer.Encode()));
    }
}
