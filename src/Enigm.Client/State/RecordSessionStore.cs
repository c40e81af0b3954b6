using Enigm.Keys.Records;
using Enigm.Messaging.Ratchet;

namespace Enigm.Client.State;

/// <summary><see cref="IRatchetSessionStore"/> over protected records: the opaque session bytes sealed under the KEK, one record per peer device.</summary>
internal sealed class RecordSessionStore(ProtectedRecords records, RecordNamer namer) : IRatchetSessionStore
{
    public byte[]? Load(string address) => records.Get(RecordNames.SessionPrefix + namer.Hide(address));

    public void Store(string address, byte[] state) => records.Put(RecordNames.SessionPrefix + namer.Hide(address), state);

    public void Delete(string address) => records.Delete(RecordNames.SessionPrefix + namer.Hide(address));
}
