using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Messaging.Setup;

/// <summary>
/// Bob's four X25519 outputs of PQXDH (revision 2, section 3.4), computed together so that they can run on one
/// thread while the ML-KEM-1024 decapsulation runs on another (<see cref="SecondCore"/>), and disposed, so zeroed,
/// together. DH1 = DH(SPK_B, IK_A), DH2 = DH(IK_B, EK_A), DH3 = DH(SPK_B, EK_A), DH4 = DH(OPK_B, EK_A) when a
/// one-time prekey was used.
/// </summary>
internal sealed class PqxdhAgreements : IDisposable
{
    private readonly List<SecretBytes> _outputs = new(4);

    private PqxdhAgreements()
    {
    }

    public SecretBytes Dh1 => _outputs[0];

    public SecretBytes Dh2 => _outputs[1];

    public SecretBytes Dh3 => _outputs[2];

    public SecretBytes? Dh4 => _outputs.Count > 3 ? _outputs[3] : null;

    public static PqxdhAgreements Responder(IKeyAgreement dh, PrivateKey identityKey, PrivateKey signedPrekey, PrivateKey? oneTimePrekey, byte[] initiatorIdentityKey, byte[] ephemeralKey)
    {
        var agreements = new PqxdhAgreements();
        try
        {
            agreements._outputs.Add(PqxdhInitiator.Agree(dh, signedPrekey, initiatorIdentityKey, "initiator identity key"));
            agreements._outputs.Add(PqxdhInitiator.Agree(dh, identityKey, ephemeralKey, "ephemeral key"));
            agreements._outputs.Add(PqxdhInitiator.Agree(dh, signedPrekey, ephemeralKey, "ephemeral key"));
            if (oneTimePrekey is not null) agreements._outputs.Add(PqxdhInitiator.Agree(dh, oneTimePrekey, ephemeralKey, "ephemeral key"));
            return agreements;
        }
        catch
        {
            agreements.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var output in _outputs) output.Dispose();
    }
}
