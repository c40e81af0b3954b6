using Enigm.Keys.Records;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Client.State;

/// <summary>
/// <see cref="IDeviceLogStore"/> over protected records: each pinned account's device log (Enigm.Trust's file
/// encoding) and the newest head this device verified for it. The head is what makes a served fork or rollback
/// detectable across runs (<see cref="DeviceLogTracker"/>).
/// </summary>
internal sealed class RecordDeviceLogStore(ProtectedRecords records, RecordNamer namer) : IDeviceLogStore
{
    public IReadOnlyList<byte[]> ReadEntries(AccountFingerprint account)
    {
        var name = RecordNames.LogPrefix + namer.Hide(account.Hex);
        var file = records.Get(name);
        if (file is null) return [];
        try
        {
            return DeviceLogFile.Decode(file);
        }
        catch (EnigmException e)
        {
            throw new Errors.ClientStateException($"The stored device log of {account.Hex} does not decode: {e.Message}", e);
        }
    }

    public void WriteEntries(AccountFingerprint account, IReadOnlyList<byte[]> entries) =>
        records.Put(RecordNames.LogPrefix + namer.Hide(account.Hex), DeviceLogFile.Encode(entries));

    public DeviceLogHead? ReadLastSeenHead(AccountFingerprint account)
    {
        var name = RecordNames.LogHeadPrefix + namer.Hide(account.Hex);
        var bytes = records.Get(name);
        if (bytes is null) return null;
        var head = StateJson.Read(name, bytes, StateJson.Default.LogHeadDto);
        return new DeviceLogHead(head.Sequence, head.Hash);
    }

    public void WriteLastSeenHead(AccountFingerprint account, DeviceLogHead head) =>
        records.Put(RecordNames.LogHeadPrefix + namer.Hide(account.Hex), StateJson.Write(new LogHeadDto(head.Sequence, head.Hash.ToArray()), StateJson.Default.LogHeadDto));
}
