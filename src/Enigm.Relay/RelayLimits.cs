namespace Enigm.Relay;

/// <summary>Size and count caps both sides enforce (the server refuses with <see cref="RelayProblem.TooLarge"/>).</summary>
public static class RelayLimits
{
    /// <summary>Largest request body the relay reads (a submit of <see cref="MaxDevicesPerSubmit"/> messages).</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>Largest single message body (a sealed-sender envelope); attachments travel separately, encrypted.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    public const int MaxDevicesPerSubmit = 64;

    /// <summary>Recipient devices one multi-recipient submit may list (a group of 1,000 devices fits).</summary>
    public const int MaxRecipientsPerMultiSubmit = 1024;

    /// <summary>Largest per-device part of a multi-recipient submit: the shared ciphertext carries the content.</summary>
    public const int MaxRecipientPartBytes = 1024;

    /// <summary>Largest device log (genesis or append) the directory accepts, encoded.</summary>
    public const int MaxDeviceLogBytes = 1024 * 1024;

    public const int MaxPrekeyBundleBytes = 512 * 1024;

    public const int MaxOneTimePrekeysPerUpload = 200;

    public const int MaxMailboxFetch = 500;

    /// <summary>Undelivered messages a device's mailbox holds before submits to it are refused (<see cref="RelayProblem.MailboxFull"/>).</summary>
    public const int MaxMailboxMessages = 100_000;

    /// <summary>Largest encrypted attachment the relay stores (streamed, never held in memory whole).</summary>
    public const long MaxAttachmentBytes = 2L * 1024 * 1024 * 1024;

    public const int MaxRendezvousPayloadBytes = 64 * 1024;

    public const int MaxRendezvousMessages = 16;
}
