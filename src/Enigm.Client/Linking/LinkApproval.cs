using Enigm.Trust.Enrollment;

namespace Enigm.Client.Linking;

/// <summary>
/// The existing device's side of linking, after the channel opened: show <see cref="Sas"/>, then
/// <see cref="CompleteAsync"/> with the user's answer. Only after a confirmed SAS does this device append the
/// add-device entry to the account's device log and upload it.
/// </summary>
public sealed class LinkApproval : IDisposable
{
    internal LinkApproval() => throw new NotImplementedException();

    /// <summary>The short authentication string to compare with the one the new device shows.</summary>
    public ShortAuthenticationString Sas => throw new NotImplementedException();

    /// <summary>
    /// False aborts (Trust's <c>SasMismatchException</c>; the device log is not touched). True waits (up to
    /// <paramref name="timeout"/>, default 2 minutes) for the new device's key and name, has it co-sign the
    /// add-device entry, appends it, uploads the log to the relay, sends the log to the new device, and returns the
    /// new device as the log now lists it.
    /// </summary>
    public Task<DeviceSummary> CompleteAsync(bool sasMatches, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
