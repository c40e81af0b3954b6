using Enigm.Keys.Records;
using Enigm.Trust.Transparency;

namespace Enigm.Client.State;

/// <summary><see cref="ITreeHeadStore"/> over protected records: the newest verified signed tree head per transparency log.</summary>
internal sealed class RecordTreeHeadStore(ProtectedRecords records) : ITreeHeadStore
{
    public SignedTreeHead? Load(string logId)
    {
        var bytes = records.Get(RecordNames.TreeHeadPrefix + logId);
        if (bytes is null) return null;
        try
        {
            return SignedTreeHead.Parse(bytes);
        }
        catch (EnigmException e)
        {
            throw new Errors.ClientStateException($"The stored tree head of '{logId}' does not decode: {e.Message}", e);
        }
    }

    public void Save(SignedTreeHead treeHead) => records.Put(RecordNames.TreeHeadPrefix + treeHead.LogId, treeHead.Encode());
}
