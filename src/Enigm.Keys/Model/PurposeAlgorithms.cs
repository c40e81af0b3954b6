using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Suites;

namespace Enigm.Keys.Model;

/// <summary>The algorithm a suite assigns to each key purpose (DESIGN.md, suite table).</summary>
public static class PurposeAlgorithms
{
    public static CryptoAlgorithm For(KeyPurpose purpose, Suite suite) => purpose switch
    {
        KeyPurpose.MessagingIdentity => suite.DeviceSignature,
        KeyPurpose.DeviceSigning => suite.DeviceSignature,
        KeyPurpose.Recovery => suite.DeviceSignature,
        // The store's own key: signs audit checkpoints.
        KeyPurpose.Storage => suite.DeviceSignature,
        KeyPurpose.SignedPrekey => suite.SessionKeyAgreement,
        KeyPurpose.OneTimePrekey => suite.SessionKeyAgreement,
        KeyPurpose.KemPrekey => suite.SessionKem,
        KeyPurpose.ReleaseSigning => suite.ReleaseSignature,
        KeyPurpose.ManifestSigning => suite.ReleaseSignature,
        KeyPurpose.Root => suite.RootSignature,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };
}
