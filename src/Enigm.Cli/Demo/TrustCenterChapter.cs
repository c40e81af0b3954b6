using Enigm.Center;
using Enigm.Client;
using Enigm.Crypto.Algorithms;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Demo;

/// <summary>
/// The trust-center chapter (issue 14, "<c>enigm demo</c>"): a managed fleet on a real relay. The organisation key is
/// made off the relay (<c>enigm org init</c>), a signed policy sets a minimum client version; of three devices
/// publishing signed posture, one runs an old client and the relay restricts it (its sends refused, its mailbox still
/// delivered, the others unaffected). The organisation's PQ-signed TUF repository, served by the relay under
/// <c>/ota</c>, brings it back: its updater is offered the fix but not the release that requires compliance
/// (<c>require_trust</c>), verifies and installs it, its next posture reports the installed version, and it may send
/// again. The device's Trust Security Center and the organisation console are read headless in Chromium (or over
/// HTTP without it) before and after. See docs/trust-center.md "Demo" and docs/policy.md.
/// </summary>
public sealed class TrustCenterChapter : IDemoChapter
{
    internal const string Minimum = "2.1.0";
    internal const string Old = "2.0.3";
    internal const string Feature = "2.2.0";

    public string Name => "trust-center";

    public string Title => "Trust Security Center: a managed fleet, a device restricted by policy, an OTA update brings it back";

    public void Run(ChapterContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(ChapterContext context)
    {
        var ct = context.Cancellation;
        var folder = Directory.CreateTempSubdirectory("enigm-demo-trust-center-").FullName;
        var devices = new List<EnigmClient>();
        DemoRelay? relay = null;
        TrustCenterRelease? releases = null;
        TrustCenterOrganisation? organisation = null;
        CenterHost? center = null;
        IPageReader? browser = null;
        try
        {
            context.Step("The organisation's release service creates its client repository (TUF; root, targets, snapshot and timestamp keys in its own key store)");
            releases = TrustCenterRelease.Create(context, Path.Combine(folder, "release-service"), Path.Combine(folder, "ota"));
            context.Info($"every role's key: {releases.KeyAlgorithm}; root v1 ships with every client (TUF 5.2)");

            context.Step("Starting the relay: SQLite in a temporary folder, the admin listener beside it, the repository served under /ota");
            relay = await DemoRelay.StartAsync(folder, ct, Path.Combine(folder, "ota"));
            var ota = new Uri(relay.Url, "ota/");
            context.Info($"relay {relay.Url}, admin {relay.AdminUrl}, OTA {ota}");

            context.Step("enigm org init: the organisation key (ML-DSA-65 + Ed25519) is made in its own key store, off the relay; only its public key is registered");
            organisation = TrustCenterOrganisation.Create(Path.Combine(folder, "org"), relay.Admin, ct);
            context.Info($"organisation {organisation.Key.Id}, key store {Path.GetRelativePath(folder, organisation.StorePath)}");
            using (var registered = await organisation.RegisterAsync(organisation.Key.Encoded, ct))
                context.Check("the relay's admin API registers the organisation's public key", () => registered.IsSuccessStatusCode);
            using (var impostor = context.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey())
            using (var swapped = await organisation.RegisterAsync(OrganisationKey.FromRaw([.. impostor.PublicKey]).Encoded, ct))
                context.Check("a second, different key is refused (409): a relay administrator cannot swap in their own organisation", () => (int)swapped.StatusCode == 409);

            context.Step($"enigm org policy set --min-client {Minimum}: policy v1, signed with the organisation key and linked to the admin audit log");
            var set = await organisation.SetPolicyAsync(1, Minimum, $"{Minimum} fixes a security bug: minimum client {Minimum}", ct);
            context.Info($"admin audit entry {set.Sequence}, hash {set.Hash[..16]}…");

            var fleet = await TrustCenterFleet.CreateAsync(context, relay, folder, devices);
            await fleet.PublishPosturesAsync(organisation);
            await fleet.RestrictedSendRefusedAsync();

            context.Step($"The pages: the laptop's Trust Security Center (as enigm center serves it on 127.0.0.1) and the organisation console (admin listener)");
            center = await CenterHost.StartAsync(fleet.Laptop, new CenterOptions { Home = fleet.LaptopHome }, ct);
            browser = await OpenBrowserAsync(context, Path.Combine(folder, "browser-profile"));
            var pages = new TrustCenterPages(browser, center, new Uri(relay.AdminUrl), relay.Admin.DefaultRequestHeaders.Authorization!.Parameter!);
            await CheckPagesAsync(context, pages, fleet, restricted: true);

            await fleet.UpdateThroughOtaAsync(releases, ota, Path.Combine(folder, "release-staging"));

            context.Step("The pages again, after the update");
            await CheckPagesAsync(context, pages, fleet, restricted: false);
            if (browser.IsBrowser)
            {
                var errors = browser.Errors;
                foreach (var error in errors.Take(5)) context.Info($"browser console: {error}");
                context.Check("the browser reported no console error on either page (no CSP violation, no failed load)", () => errors.Count == 0);
            }
            else
            {
                context.Info("no browser, so no console errors to check (CSP and script are covered by tests/Enigm.Center.Tests in Chromium)");
            }
        }
        finally
        {
            if (browser is not null) await browser.DisposeAsync();
            if (center is not null) await center.DisposeAsync();
            foreach (var device in devices) await device.DisposeAsync();
            organisation?.Dispose();
            if (relay is not null) await relay.DisposeAsync();
            releases?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<IPageReader> OpenBrowserAsync(ChapterContext context, string profile)
    {
        IPageReader reader = HeadlessChromium.Installed ? await HeadlessChromium.StartAsync(profile, context.Cancellation) : new HttpPageReader();
        context.Info($"reading the pages with {reader.Description}");
        return reader;
    }

    private static async Task CheckPagesAsync(ChapterContext context, TrustCenterPages pages, TrustCenterFleet fleet, bool restricted)
    {
        var ct = context.Cancellation;
        var user = await pages.UserAsync(ct);
        context.Info($"laptop's page: state {user.State ?? "(none)"}, client {user.ClientVersion ?? "(none)"}, reasons: {user.Reasons ?? "(none)"}");
        if (restricted)
        {
            context.Check("the laptop's own page shows it restricted, with the reason", () =>
                user.State == "restricted" && user.Reasons is { } r && r.Contains($"client {Old} is below the minimum {Minimum}", StringComparison.Ordinal));
        }
        else
        {
            context.Check($"the laptop's own page shows it compliant, running {Minimum}", () => user.State == "compliant" && user.ClientVersion == Minimum);
        }

        context.Check("the page says the organisation's signed policy and audit log support the relay's claim", () => !user.ClaimUnsupported && user.State is not null);

        var rows = await pages.ConsoleAsync([fleet.Phone.DeviceId, fleet.Bob.DeviceId, fleet.Laptop.DeviceId], ct);
        foreach (var (device, row) in rows) context.Info($"console: {fleet.NameOf(device)}: {row.State}{(row.Reasons is "—" or "" ? "" : $" ({row.Reasons})")}");
        var laptopRow = rows.GetValueOrDefault(fleet.Laptop.DeviceId);
        if (restricted)
        {
            context.Check("the organisation console lists the laptop restricted, with the reason", () =>
                laptopRow.State == "restricted" && laptopRow.Reasons.Contains($"client {Old} is below the minimum {Minimum}", StringComparison.Ordinal));
        }
        else
        {
            context.Check("the organisation console lists the laptop compliant", () => laptopRow.State == "compliant");
        }

        context.Check("the console lists the phone and Bob's laptop compliant", () =>
            rows.GetValueOrDefault(fleet.Phone.DeviceId).State == "compliant" && rows.GetValueOrDefault(fleet.Bob.DeviceId).State == "compliant");
    }
}
