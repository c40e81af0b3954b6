using Enigm.Client;

namespace Enigm.Center.Tests.Support;

/// <summary>
/// One relay and real clients for a test class: Alice with two devices (laptop, and a phone she will lose), her
/// contacts Bob, Carol and Dave (all unverified), and Carol's second account (the one she "moves" to), plus Alice's
/// Trust Security Center served on loopback.
/// </summary>
public sealed class CenterWorld : IAsyncLifetime
{
    public TestRelay Relay { get; private set; } = null!;

    public TestDevices Devices { get; } = new();

    public EnigmClient Alice { get; private set; } = null!;

    public EnigmClient AlicePhone { get; private set; } = null!;

    public EnigmClient Bob { get; private set; } = null!;

    public EnigmClient Carol { get; private set; } = null!;

    public EnigmClient CarolNew { get; private set; } = null!;

    /// <summary>A contact of Alice that only the refusal tests touch (it must stay unverified).</summary>
    public EnigmClient Dave { get; private set; } = null!;

    public CenterHost Center { get; private set; } = null!;

    private OrganisationCli? _organisation;

    /// <summary>The organisation of the relay (its key registered once, on first use), administered through <c>enigm org</c>.</summary>
    public OrganisationCli Organisation => _organisation ??= OrganisationCli.Init(Path.Combine(Devices.Folder, "organisation"), Relay.AdminUrl, TestRelay.AdminCredential);

    public async Task InitializeAsync()
    {
        Relay = await TestRelay.StartAsync(TestRelay.AdminCredential);
        Alice = await Devices.CreateAsync("alice-laptop", Relay.Url);
        AlicePhone = await Devices.LinkAsync(Alice, "alice-phone", Relay.Url);
        Bob = await Devices.CreateAsync("bob", Relay.Url);
        Carol = await Devices.CreateAsync("carol", Relay.Url);
        CarolNew = await Devices.CreateAsync("carol-new", Relay.Url);
        Dave = await Devices.CreateAsync("dave", Relay.Url);
        await Alice.AddContactAsync("bob", Bob.Account);
        await Alice.AddContactAsync("carol", Carol.Account);
        await Alice.AddContactAsync("dave", Dave.Account);
        await Bob.AddContactAsync("alice", Alice.Account);
        Center = await StartCenterAsync();
    }

    /// <summary>Another page over Alice's device (a fresh one-time token and session).</summary>
    public Task<CenterHost> StartCenterAsync() =>
        CenterHost.StartAsync(Alice, new CenterOptions { Home = Devices.Home("alice-laptop"), LinkTimeout = TimeSpan.FromSeconds(20) });

    public async Task DisposeAsync()
    {
        await Center.DisposeAsync();
        foreach (var client in new[] { Alice, AlicePhone, Bob, Carol, CarolNew, Dave }) client?.Dispose();
        await Relay.DisposeAsync();
        Devices.Dispose();
    }
}
