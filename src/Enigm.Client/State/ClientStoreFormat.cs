using Enigm.Client.Errors;

namespace Enigm.Client.State;

/// <summary>
/// The layout version of the client's protected records, carried in <c>client/device</c>'s <c>Version</c>
/// (docs/client.md, "Format version"). A build reads every version up to <see cref="Current"/>; a home written by a
/// newer build is refused before anything in it is read or rewritten, so an older build never half-understands (and
/// then overwrites) records whose meaning changed. A future layout change raises <see cref="Current"/> and migrates
/// older homes on open.
/// </summary>
internal static class ClientStoreFormat
{
    public const int Current = 1;

    public static void Check(int version, string home)
    {
        if (version > Current)
            throw new ClientStateException($"The device in {home} was written by a newer Enigm (client store format {version}; this build reads up to {Current}): update Enigm, do not downgrade.");
        if (version < 1) throw new ClientStateException($"The device record in {home} carries format {version}, which no Enigm wrote: the store is damaged.");
    }
}
