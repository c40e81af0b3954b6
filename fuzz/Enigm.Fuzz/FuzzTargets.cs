using Enigm.Fuzz.Targets;

namespace Enigm.Fuzz;

/// <summary>Every fuzz target, by command-line name. Adding a target: write it under Targets/ and list it here.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        HeaderTargets.Binary,
        HeaderTargets.Cbor,
        CryptoObjectTargets.Structural,
        CryptoObjectTargets.PublicKey,
        CryptoObjectTargets.RawPublicKey,
        SignatureTarget.Target,
        KemTarget.Target,
        KeyAgreementTarget.Target,
        SymmetricTargets.Aead,
        SymmetricTargets.KeyUnwrap,
        AuditExportTarget.Target,
        RevocationTarget.Target,
        DescriptorTargets.Passphrase,
        DescriptorTargets.Tpm,
        OtaTargets.CanonicalJsonReader,
        OtaTargets.TufMetadata,
        DeviceLogTarget.Target,
        LinkCodeTarget.Code,
        LinkCodeTarget.Qr,
        TreeHeadTarget.Target,
        RatchetTargets.Message,
        MessagingTargets.PrekeyBundleTarget,
        MessagingTargets.SealedSenderLayerTarget,
        MessagingTargets.EnvelopeTarget,
        MessagingTargets.InitialMessageTarget,
        AttachmentTargets.Target,
        .. RelayRequestTargets.All,
        ClientContentTarget.Target,
        CallTargets.SFrameHeaderTarget,
        CallTargets.CallSignalTarget,
        .. GroupWireTargets.All,
        .. GroupTargets.All,
        GroupRosterRulesTarget.Target, // issue 15: roster rules over fuzzed fields, signed in-process
        .. PostureTargets.All, // issue 14: posture, policy, admin action, admin audit log
        OrgDocumentTarget.Target, // issue 14: the console's upload / enigm org sign's input (offline signing)
        StreamClientFrameTarget.Target, // issue 13: the delivery stream's client frame (ack | submit)
    ];

    public static FuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
