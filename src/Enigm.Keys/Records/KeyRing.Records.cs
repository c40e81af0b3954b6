using Enigm.Keys.Records;

namespace Enigm.Keys;

public sealed partial class KeyRing
{
    private ProtectedRecords? _protectedRecords;

    /// <summary>
    /// Named records sealed under this ring's KEK in the same store (<see cref="ProtectedRecords"/>): where a device
    /// keeps its other secrets at rest. Resealed with the keys when the protector changes.
    /// </summary>
    public ProtectedRecords Records => _protectedRecords ??= new ProtectedRecords(_store, () => _kek, StoreId, Options.Providers);
}
