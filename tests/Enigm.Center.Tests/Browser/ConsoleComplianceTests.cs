using System.Globalization;
using Enigm.Center.Tests.Support;
using Enigm.Client;
using Enigm.Client.Posture;
using Enigm.Trust.Policy;
using Microsoft.Playwright;

namespace Enigm.Center.Tests.Browser;

/// <summary>
/// Managed devices in the organisation console (issue 14, "Must show"): the organisation's administrator works online
/// through <c>enigm org</c> (the organisation key signs off the relay; the console's own editor and buttons, signed
/// offline, are <see cref="ConsoleOfflineSigningTests"/>) and reads the
/// effect in the console in Chromium: the device "restricted" with the reason, the policy, the admin audit log. The
/// device's next send is refused, by the device itself (its sends are sealed, so the relay could not), while it still
/// receives.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleComplianceTests(CenterWorld world, Support.Browser browser)
{
    [SkippableFact]
    public async Task Raising_the_minimum_client_version_restricts_an_old_device_in_the_console_and_its_sealed_send_is_refused_while_it_receives()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        using var oldClient = await world.Devices.CreateAsync("old-client", world.Relay.Url);
        using var colleague = await world.Devices.CreateAsync("colleague", world.Relay.Url);
        var organisation = world.Organisation;
        await ConverseAsync(oldClient, colleague);
        Assert.True(oldClient.Contact("colleague").HasDeliveryToken); // its sends to the colleague are sealed: no sender on the submit
        organisation.SetPolicy("--min-client", "1.0.0", "--reason", "baseline");
        Assert.Equal("compliant", (await oldClient.PublishPostureAsync(new PostureFacts { ClientVersion = "1.4.0" })).State);
        var context = await browser.Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await SignInAsync(context);
        var row = page.Locator($"tr[data-compliance-device='{oldClient.DeviceId}']");
        Assert.Equal("compliant", await row.Locator(".compliance-state").TextContentAsync());

        var version = organisation.SetPolicy("--min-client", "2.0.0", "--reason", "clients below 2.0.0 lack the fix for CVE-2026-0001");

        await page.ReloadAsync();
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), await page.Locator("#policy-version").TextContentAsync());
        Assert.Equal("2.0.0", await page.Locator("#policy-min-client").TextContentAsync());
        Assert.Equal("restricted", await row.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("client 1.4.0 is below the minimum 2.0.0", await row.Locator(".compliance-reasons").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("clients below 2.0.0 lack the fix", await page.Locator("ol.audit").TextContentAsync(), StringComparison.Ordinal);
        await context.CloseAsync();

        var refused = await Assert.ThrowsAsync<DeviceRestrictedException>(() => oldClient.SendTextAsync("colleague", "after the new minimum"));
        Assert.Contains("client 1.4.0 is below the minimum 2.0.0", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((await colleague.ReceiveAsync(TimeSpan.FromMilliseconds(300))).Messages, m => m.Text == "after the new minimum");
        await colleague.SendTextAsync("old-client", "you can still read this");
        Assert.Contains((await oldClient.ReceiveAsync(TimeSpan.FromSeconds(10))).Messages, m => m.Text == "you can still read this");
    }

    [SkippableFact]
    public async Task A_restricted_device_shows_restricted_with_the_reason_and_cannot_send_but_still_receives()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        using var grace = await world.Devices.CreateAsync("grace", world.Relay.Url);
        using var heidi = await world.Devices.CreateAsync("heidi", world.Relay.Url);
        var organisation = world.Organisation;
        await ConverseAsync(grace, heidi);
        var version = organisation.SetPolicy("--min-client", "2.0.0", "--reason", "policy v-next: minimum client 2.0.0");

        organisation.Act("restrict", grace, "client below the minimum 2.0.0 (reported 1.4.0)");

        var context = await browser.Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await SignInAsync(context);
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), await page.Locator("#policy-version").TextContentAsync());
        Assert.Equal("2.0.0", await page.Locator("#policy-min-client").TextContentAsync());
        var row = page.Locator($"tr[data-compliance-device='{grace.DeviceId}']");
        Assert.Equal("restricted", await row.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("client below the minimum 2.0.0", await row.Locator(".compliance-reasons").TextContentAsync(), StringComparison.Ordinal);
        var audit = await page.Locator("ol.audit").TextContentAsync();
        Assert.Contains("policy v-next", audit, StringComparison.Ordinal);
        Assert.Contains("client below the minimum", audit, StringComparison.Ordinal);
        await UserPageTests.SaveScreenshotAsync(page, "trust-center-console.png");
        await context.CloseAsync();

        var refused = await Assert.ThrowsAsync<DeviceRestrictedException>(() => grace.SendTextAsync("heidi", "after the restriction"));
        Assert.Contains("client below the minimum 2.0.0", refused.Message, StringComparison.Ordinal);
        await heidi.SendTextAsync("grace", "you can still read this");
        var received = await grace.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(received.Messages, m => m.Text == "you can still read this");
    }

    /// <summary>Contacts both ways and a message each way: each then holds the other's delivery token (sealed sends).</summary>
    private static async Task ConverseAsync(EnigmClient a, EnigmClient b)
    {
        await a.AddContactAsync(b.DeviceName, b.Account);
        await b.AddContactAsync(a.DeviceName, a.Account);
        await a.SendTextAsync(b.DeviceName, "hello");
        await b.ReceiveAsync(TimeSpan.FromSeconds(10));
        await b.SendTextAsync(a.DeviceName, "hello back");
        await a.ReceiveAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<IPage> SignInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console/login").ToString());
        await page.GetByLabel("Admin credential").FillAsync(TestRelay.AdminCredential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }
}
