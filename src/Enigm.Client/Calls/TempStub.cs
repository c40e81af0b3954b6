using Enigm.Client.Groups;
using Enigm.Messaging.Sessions;

namespace Enigm.Client;

public sealed partial class EnigmClient
{
    private Task<ClientNotice?> AcceptCallSignalAsync(ControlContent control, SessionAddress from, CancellationToken ct) => Task.FromResult<ClientNotice?>(null);
}
