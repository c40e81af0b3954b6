using System.Security.Cryptography;
using Enigm.Cli.Output;
using Enigm.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Trust.Policy;
using static Enigm.Cli.Demo.TrustCenterChapter;

namespace Enigm.Cli.Demo;

/// <summary>
/// The managed fleet of the trust-center chapter: Alice's phone and Bob's laptop run client 2.1.0, Alice's laptop (offline
/// during the 2.1.0 rollout) still runs 2.0.3. Each step publishes or checks real state through the client SDK and the
/// relay, and ends in checked claims.
/// </summary>
internal sealed class TrustCenterFleet
{
    private const string Model = "enigm-client";
    private readonly ChapterContext _context;
    private readonly string _folder;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private TrustCenterFleet(ChapterContext context, string folder, EnigmClient phone, EnigmClient bob, EnigmClient laptop)
    {
        _context = context;
        _folder = folder;
        (Phone, Bob, Laptop) = (phone, bob, laptop);
        _names[phone.DeviceId] = "Alice's phone";
        _names[bob.DeviceId] = "Bob's laptop";
        _names[laptop.DeviceId] = "Alice's laptop";
    }

    public EnigmClient Phone { get; }

    public EnigmClient Bob { get; }

    public EnigmClient Laptop { get; }

    /// <summary>The laptop's home (as DemoPeople lays them out): the Trust Security Center is bound to it.</summary>
    public string LaptopHome => Path.Combine(_folder, "devices", "alice-laptop");

    private CancellationToken Ct => _context.Cancellation;

    public string NameOf(string device) => _names.GetValueOrDefault(device, device);

    public static async Task<TrustCenterFleet> CreateAsync(ChapterContext context, DemoRelay relay, string folder, List<EnigmClient> devices)
    {
        var people = new DemoPeople(context, relay, folder, devices);
        var phone = await people.CreateAsync("alice", "her", "phone");
        var bob = await people.CreateAsync("bob", "his", "laptop");
        var laptop = await people.LinkAsync(phone, "laptop");
        foreach (var alice in new[] { phone, laptop }) await alice.AddContactAsync("bob", bob.Account, context.Cancellation);
        await bob.AddContactAsync("alice", phone.Account, context.Cancellation);

        context.Step($"The fleet's installed client releases, as their updaters recorded them earlier: the phone and Bob's laptop run {Minimum}; Alice's laptop was offline during that rollout and runs {Old}");
        var weeksAgo = DateTimeOffset.UtcNow.AddDays(-40);
        phone.RecordInstalledClientRelease(Minimum, DateTimeOffset.UtcNow.AddDays(-3));
        bob.RecordInstalledClientRelease(Minimum, DateTimeOffset.UtcNow.AddDays(-2));
        laptop.RecordInstalledClientRelease(Old, weeksAgo);
        return new TrustCenterFleet(context, folder, phone, bob, laptop);
    }

    /// <summary>Every device signs its posture with its device key and uploads it; the relay evaluates it against policy v1.</summary>
    public async Task PublishPosturesAsync(TrustCenterOrganisation organisation)
    {
        _context.Step("Each device signs its security posture (client version, OS, key protector, key ages, audit-log check, contact counts) and publishes it");
        var answers = new Dictionary<EnigmClient, Relay.Policy.ComplianceResponse>();
        foreach (var device in new[] { Phone, Bob, Laptop })
        {
            var posture = device.CurrentPosture();
            var answer = await device.PublishPostureAsync(null, Ct);
            answers[device] = answer;
            _context.Info($"{NameOf(device.DeviceId)}: client {posture.ClientVersion}, protector {posture.KeyProtector}, {posture.Keys.Count} keys → {answer.State}{Reasons(answer)}");
        }

        _context.Check("the phone and Bob's laptop are compliant", () => answers[Phone].State == "compliant" && answers[Bob].State == "compliant");
        _context.Check($"the laptop is restricted, for its client: \"client {Old} is below the minimum {Minimum}\"", () =>
            answers[Laptop].State == "restricted" && answers[Laptop].Reasons.Any(r => r.Code == "client-version" && r.Text == $"client {Old} is below the minimum {Minimum}"));
        var listed = await organisation.DevicesAsync(Ct);
        _context.Check("enigm org devices (the admin API) lists the same three states", () =>
            listed.Single(d => d.Device == Laptop.DeviceId).State == "restricted"
            && listed.Where(d => d.Device == Phone.DeviceId || d.Device == Bob.DeviceId).All(d => d.State == "compliant"));
    }

    /// <summary>The restricted laptop may receive but not send; the other devices are unaffected.</summary>
    public async Task RestrictedSendRefusedAsync()
    {
        _context.Step("Alice's laptop tries to write to Bob");
        EnigmException? refused = null;
        try
        {
            await Laptop.SendTextAsync("bob", "Sent from the restricted laptop", Ct);
        }
        catch (EnigmException e)
        {
            refused = e;
        }

        _context.Info($"refused: {refused?.GetType().Name} ({refused?.Code}): {refused?.Message}");
        _context.Check($"its send is refused with the typed error device-restricted (exit {ExitCodes.DeviceRestricted})", () =>
            refused is not null && ExitCodes.For(refused) == ExitCodes.DeviceRestricted);

        _context.Step("Bob writes to Alice; her phone answers him");
        await Bob.SendTextAsync("alice", "Are you both on the boat tomorrow?", Ct);
        var atLaptop = await ReceiveAsync(Laptop, "Are you both on the boat tomorrow?");
        var atPhone = await ReceiveAsync(Phone, "Are you both on the boat tomorrow?");
        _context.Check("the restricted laptop still receives (its mailbox is untouched), and so does the phone", () => atLaptop && atPhone);
        await Phone.SendTextAsync("bob", "Yes, both of us.", Ct);
        var atBob = await ReceiveAsync(Bob, "Yes, both of us.");
        _context.Check("the phone and Bob's laptop send and receive as before", () => atBob);
    }

    /// <summary>The organisation publishes the fix; the laptop's updater is offered it (not the compliant-only release), installs it, and is compliant again.</summary>
    public async Task UpdateThroughOtaAsync(TrustCenterRelease releases, Uri ota, string staging)
    {
        _context.Step($"The organisation publishes client {Minimum} (from 2.0.0 on) and {Feature} (require_trust: compliant) to its repository on the relay");
        var fix = RandomNumberGenerator.GetBytes(256 * 1024);
        var published = releases.Publish(staging,
        [
            ($"clients/{Model}-{Minimum}.bin", fix, new ReleaseRules { Version = Minimum, Channel = "stable", Models = [Model], MinVersion = "2.0.0" }),
            ($"clients/{Model}-{Feature}.bin", RandomNumberGenerator.GetBytes(64 * 1024), new ReleaseRules { Version = Feature, Channel = "stable", Models = [Model], MinVersion = "2.0.0", RequireTrust = "compliant" }),
        ]);
        _context.Info($"targets v{published.TargetsVersion}, snapshot v{published.SnapshotVersion}, timestamp v{published.TimestampVersion}, served at {ota}");

        _context.Step("The laptop's updater checks: its verified organisation status gives its compliance state, the TUF refresh comes from the relay's /ota");
        var status = await Laptop.CheckOrganisationAsync(Ct);
        _context.Info($"verified policy v{status.Policy?.Version}, {status.AuditEntries} admin audit entries; own evaluation {ComplianceDecision.NameOf(status.ExpectedState.State)}, relay says {status.RelayState}");
        _context.Check("the laptop's own evaluation of the signed policy agrees with the relay: restricted", () =>
            status.ExpectedState.State == ComplianceState.Restricted && status.RelayClaimSupported);
        var updater = new TrustCenterUpdater(Path.Combine(_folder, "devices", "alice-laptop-ota"), ota, releases.BootstrapRoot, _context);
        var candidates = updater.Check(Profile(status.ExpectedState.State, status.Posture?.OsVersion));
        foreach (var c in candidates)
            _context.Info($"  {c.Target.Path}: {(c.Decision.Eligible ? "eligible" : "not eligible: " + string.Join(", ", c.Decision.FailedReasons))}");
        var fixRelease = candidates.Single(c => c.Decision.Rules?.Version == Minimum);
        var featureRelease = candidates.Single(c => c.Decision.Rules?.Version == Feature);
        _context.Check($"{Minimum} is offered to the restricted laptop", () => fixRelease.Decision.Eligible);
        _context.Check($"{Feature} is not, and only because it requires a compliant device (require_trust)", () =>
            !featureRelease.Decision.Eligible && featureRelease.Decision.Checks.Where(c => !c.Passed).Select(c => c.Rule).SequenceEqual(["require_trust"]));
        var installFolder = Path.Combine(_folder, "devices", "alice-laptop-install");
        _context.Rejects<IneligibleDeviceException>($"the updater refuses to fetch {Feature} for it", () => updater.Install(featureRelease, installFolder));

        _context.Step($"The laptop installs {Minimum}: streamed, length + SHA-256 + SHA-512 verified against the signed targets, then moved into place");
        var chosen = ReleaseSelector.ChooseNewest(candidates);
        var installed = updater.Install(chosen, installFolder);
        _context.Check($"the newest eligible release is {Minimum}, and the installed file is byte-for-byte the published one", () =>
            chosen.Decision.Rules?.Version == Minimum && File.ReadAllBytes(installed).AsSpan().SequenceEqual(fix));
        Laptop.RecordInstalledClientRelease(Minimum, DateTimeOffset.UtcNow);

        _context.Step("Its next posture reports the installed release");
        var posture = Laptop.CurrentPosture();
        var answer = await Laptop.PublishPostureAsync(null, Ct);
        _context.Info($"Alice's laptop: client {posture.ClientVersion}, installed release {posture.InstalledRelease} → {answer.State}{Reasons(answer)}");
        _context.Check($"the laptop reports client {Minimum} and the relay finds it compliant", () => posture.ClientVersion == Minimum && answer.State == "compliant");
        await Laptop.SendTextAsync("bob", "Updated, I can write again.", Ct);
        var atBob = await ReceiveAsync(Bob, "Updated, I can write again.");
        _context.Check("its send goes through and Bob reads it", () => atBob);

        var after = await Laptop.CheckOrganisationAsync(Ct);
        var now = updater.Check(Profile(after.ExpectedState.State, after.Posture?.OsVersion) with { InstalledVersion = Minimum });
        _context.Check($"now compliant, its updater is offered {Feature} (require_trust: compliant holds)", () =>
            now.Single(c => c.Decision.Rules?.Version == Feature).Decision.Eligible);
    }

    private DeviceProfile Profile(ComplianceState state, string? os) => new()
    {
        Id = Laptop.DeviceId,
        Model = Model,
        Channel = "stable",
        InstalledVersion = Laptop.InstalledClientRelease()?.Version ?? Old,
        OsVersion = os is { Length: > 0 } && DottedVersion.TryParse(os, out _) ? os : "1.0",
        TrustState = "verified",
        ComplianceState = ComplianceDecision.NameOf(state),
    };

    /// <summary>Receives until a message with <paramref name="text"/> arrives (bounded).</summary>
    private async Task<bool> ReceiveAsync(EnigmClient device, string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < RelayChapter.StepTimeout)
        {
            var result = await device.ReceiveAsync(TimeSpan.FromSeconds(5), null, Ct);
            if (result.Messages.Any(m => m.Text == text)) return true;
        }

        return false;
    }

    private static string Reasons(Relay.Policy.ComplianceResponse answer) =>
        answer.Reasons.Length == 0 ? "" : $" ({string.Join("; ", answer.Reasons.Select(r => r.Text))})";
}
