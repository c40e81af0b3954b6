using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Tests.Support;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>Five devices with real verified identities (signed device logs), built once for the call tests.</summary>
public sealed class CallDevices : IDisposable
{
    private readonly List<TestAccount> _accounts;

    public CallDevices()
    {
        _accounts = [.. new[] { "alice", "bob", "carol", "dave", "mallory" }.Select(n => TestAccount.Create(n))];
        Alice = _accounts[0].Primary.Identity.Identity;
        Bob = _accounts[1].Primary.Identity.Identity;
        Carol = _accounts[2].Primary.Identity.Identity;
        Dave = _accounts[3].Primary.Identity.Identity;
        Mallory = _accounts[4].Primary.Identity.Identity;
    }

    public VerifiedIdentity Alice { get; }

    public VerifiedIdentity Bob { get; }

    public VerifiedIdentity Carol { get; }

    public VerifiedIdentity Dave { get; }

    public VerifiedIdentity Mallory { get; }

    /// <summary>The devices allowed to ring in these tests (Mallory is not one).</summary>
    public IReadOnlyList<VerifiedIdentity> Trusted => [Alice, Bob, Carol, Dave];

    public void Dispose()
    {
        foreach (var account in _accounts) account.Dispose();
    }
}
