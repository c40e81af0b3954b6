using Enigm.Center.Tests.Support;
using Enigm.Client.Errors;
using Enigm.Trust.Policy;
using Microsoft.Playwright;

namespace Enigm.Center.Tests.Browser;

/// <summary>
/// Managed devices in the organisation console (issue 14): the organisation sets a policy and restricts a device
/// (both signed with the organisation key, off the relay); the console shows the policy, the device "restricted" with
/// the reason and both actions in the admin audit log; the device's next send is refused while it still receives.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleComplianceTests(CenterWorld world, Support.Browser browser)
{
    [SkippableFact]
    public async Task A_restricted_device_shows_restricted_with_the_reason_and_cannot_send_but_still_receives()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        using var grace = await world.Devices.CreateAsync("grace", world.Relay.Url);
        using var heidi = await world.Devices.CreateAsync("heidi", world.Relay.Url);
        await grace.AddContactAsync("heidi", heidi.Account);
        await heidi.AddContactAsync("grace", grace.Account);
        await grace.SendTextAsync("heidi", "before the restriction");
        using var organisation = new OrganisationAdmin(world.Relay.AdminUrl);
        await organisation.RegisterAsync();
        await organisation.SetPolicyAsync(1, "2.0.0");

        await organisation.ActAsync(AdminActionKind.Restrict, grace.Account, grace.DeviceId, "client below the minimum 2.0.0 (reported 1.4.0)");

        var context = await browser.Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console/login").ToString());
        await page.GetByLabel("Admin credential").FillAsync(TestRelay.AdminCredential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal("1", await page.Locator("#policy-version").TextContentAsync());
        Assert.Equal("2.0.0", await page.Locator("#policy-min-client").TextContentAsync());
        var row = page.Locator($"tr[data-compliance-device='{grace.DeviceId}']");
        Assert.Equal("restricted", await row.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("client below the minimum 2.0.0", await row.Locator(".compliance-reasons").TextContentAsync(), StringComparison.Ordinal);
        var audit = await page.Locator("ol.audit").TextContentAsync();
        Assert.Contains("policy v1", audit, StringComparison.Ordinal);
        Assert.Contains("client below the minimum", audit, StringComparison.Ordinal);
        await UserPageTests.SaveScreenshotAsync(page, "trust-center-console.png");
        await context.CloseAsync();

        var refused = await Assert.ThrowsAsync<RelayRejectedException>(() => grace.SendTextAsync("heidi", "after the restriction"));
        Assert.Equal("device-restricted", refused.ProblemCode);
        await heidi.SendTextAsync("grace", "you can still read this");
        var received = await grace.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(received.Messages, m => m.Text == "you can still read this");
    }
}
