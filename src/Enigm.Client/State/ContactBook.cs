using Enigm.Keys.Records;

namespace Enigm.Client.State;

/// <summary>Contacts by local name: the account each name stands for and the delivery token it gave this account.</summary>
internal sealed class ContactBook(ProtectedRecords records, RecordNamer namer)
{
    public const int MaxNameLength = 64;

    public ContactRecord? Get(string name)
    {
        var record = RecordNames.ContactPrefix + namer.Hide(name);
        var bytes = records.Get(record);
        return bytes is null ? null : StateJson.Read(record, bytes, StateJson.Default.ContactRecord);
    }

    public IReadOnlyList<ContactRecord> All() =>
        [.. records.Names(RecordNames.ContactPrefix).Select(n => StateJson.Read(n, records.Get(n)!, StateJson.Default.ContactRecord)).OrderBy(c => c.Name, StringComparer.Ordinal)];

    public ContactRecord? ByAccount(string accountHex) => All().FirstOrDefault(c => c.Account == accountHex);

    /// <summary>A contact by local name or by account hex.</summary>
    public ContactRecord? Find(string nameOrAccount) => Get(nameOrAccount) ?? ByAccount(nameOrAccount);

    public void Put(ContactRecord contact) =>
        records.Put(RecordNames.ContactPrefix + namer.Hide(contact.Name), StateJson.Write(contact, StateJson.Default.ContactRecord));

    /// <summary>A name that fits a record name and a command line: 1–64 characters, no '/', no control characters.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && !name.Contains('/') && !name.Any(char.IsControl) && name.Trim() == name;
}
