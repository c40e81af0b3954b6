using Enigm.Trust.Enrollment;

namespace Enigm.Client.Linking;

/// <summary>
/// The new device's side of linking (Enigm.Trust enrollment over the relay's rendezvous channel): show
/// <see cref="LinkCode"/>, wait for the SAS, let the user compare it with the one the existing device shows, then
/// complete. Dispose it to abandon the link (nothing is written then).
/// </summary>
public sealed class PendingLink : IDisposable
{
    internal PendingLink() => throw new NotImplementedException();

    /// <summary>The link code to type or paste on the existing device (<c>enigm-link1:…</c>).</summary>
    public string LinkCode => throw new NotImplementedException();

    /// <summary>The binary form of the link code, for a QR code.</summary>
    public byte[] LinkCodeBytes => throw new NotImplementedException();

    /// <summary>When the link code stops being accepted.</summary>
    public DateTimeOffset ExpiresAt => throw new NotImplementedException();

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>, default until the code expires) for the existing device to open the
    /// channel, and returns the short authentication string to show. <see cref="Errors.DeviceLinkException"/> on timeout.
    /// </summary>
    public Task<ShortAuthenticationString> WaitForSasAsync(TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The user's answer to "do both devices show the same code?". False aborts (Trust's <c>SasMismatchException</c>)
    /// and nothing is added to the account. True announces this device's key, co-signs the add-device entry the
    /// existing device prepares, receives and verifies the account's device log (it must add this device), then
    /// creates the key store, the messaging identity and prekeys (uploaded) and returns the opened client.
    /// </summary>
    public Task<EnigmClient> CompleteAsync(bool sasMatches, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
