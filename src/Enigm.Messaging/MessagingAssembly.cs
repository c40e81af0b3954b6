namespace Enigm.Messaging;

/// <summary>
/// Enigm.Messaging: session setup (PQXDH), the Triple Ratchet, envelopes, sealed sender, multi-device
/// fan-out and attachments (DESIGN.md, "Messaging"). Pure protocol code over store interfaces.
/// </summary>
public static class MessagingAssembly
{
    /// <summary>The wire format version of every messaging object this build writes.</summary>
    public const byte FormatVersion = 1;
}
