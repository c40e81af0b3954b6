namespace Enigm.Server.Storage;

/// <summary>The relay's storage failed (database unreachable, corrupt, or a constraint the caller should have checked).</summary>
public class RelayStoreException(string message, Exception? inner = null, string code = "relay-store") : EnigmException(code, message, inner);

/// <summary>A recipient device's mailbox is at <see cref="Relay.RelayLimits.MaxMailboxMessages"/>; nothing was stored.</summary>
public sealed class MailboxFullException(string account, string device)
    : RelayStoreException($"the mailbox of {account}/{device} is full", null, "mailbox-full");

/// <summary>An attachment upload passed its size cap; nothing was kept.</summary>
public sealed class AttachmentTooLargeException(long maxBytes)
    : RelayStoreException($"the attachment is larger than {maxBytes} bytes", null, "too-large");

/// <summary>Another relay node appended to the transparency tree first; re-read the tree and retry the append.</summary>
public sealed class TransparencyAppendConflictException(long leaf, Exception? inner = null)
    : RelayStoreException($"the transparency tree already has leaf {leaf}: another relay node appended first; retry", inner, "transparency-conflict");
