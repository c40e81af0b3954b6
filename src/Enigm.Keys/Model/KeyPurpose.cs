namespace Enigm.Keys.Model;

/// <summary>What a key is for. Each purpose has its own algorithm and rotation policy.</summary>
public enum KeyPurpose
{
    MessagingIdentity,
    SignedPrekey,
    OneTimePrekey,
    KemPrekey,
    DeviceSigning,
    ReleaseSigning,
    ManifestSigning,
    Root,
    Recovery,
    Storage,
}

public static class KeyPurposeNames
{
    /// <summary>Stable wire and CLI name, e.g. <c>release-signing</c>.</summary>
    public static string ToName(this KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.MessagingIdentity => "messaging-identity",
        KeyPurpose.SignedPrekey => "signed-prekey",
        KeyPurpose.OneTimePrekey => "one-time-prekey",
        KeyPurpose.KemPrekey => "kem-prekey",
        KeyPurpose.DeviceSigning => "device-signing",
        KeyPurpose.ReleaseSigning => "release-signing",
        KeyPurpose.ManifestSigning => "manifest-signing",
        KeyPurpose.Root => "root",
        KeyPurpose.Recovery => "recovery",
        KeyPurpose.Storage => "storage",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    public static bool TryParse(string name, out KeyPurpose purpose)
    {
        foreach (var candidate in Enum.GetValues<KeyPurpose>())
        {
            if (candidate.ToName() == name)
            {
                purpose = candidate;
                return true;
            }
        }

        purpose = default;
        return false;
    }
}
