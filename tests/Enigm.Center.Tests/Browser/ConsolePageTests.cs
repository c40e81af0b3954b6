using Enigm.Center.Tests.Support;
using Microsoft.Playwright;

namespace Enigm.Center.Tests.Browser;

/// <summary>The organisation console on the relay's admin listener, in headless Chromium: sign in, read, act with confirmation.</summary>
[Collection(CenterCollection.Name)]
public sealed class ConsolePageTests(CenterWorld world, Support.Browser browser)
{
    [SkippableFact]
    public async Task An_admin_signs_in_sees_queue_health_and_devices_and_disables_an_account_after_confirming()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        using var mallory = await world.Devices.CreateAsync("mallory", world.Relay.Url);
        var context = await browser.Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") errors.Add($"{message.Text} ({message.Location})");
        };

        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console").ToString());
        Assert.Equal("Sign in", await page.Locator("h1").TextContentAsync());
        await page.GetByLabel("Admin credential").FillAsync(TestRelay.AdminCredential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.Equal("Organisation console", await page.Locator("h1").TextContentAsync());
        var stats = await world.Relay.Store.StatsAsync();
        Assert.Equal(stats.Accounts.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#stat-accounts").TextContentAsync());
        var row = page.Locator($"tr[data-device='{mallory.DeviceId}']");
        Assert.Equal("active", await row.Locator(".device-state").TextContentAsync());

        await row.GetByRole(AriaRole.Button, new() { Name = "Disable account" }).ClickAsync();
        Assert.Contains(mallory.Account, await page.Locator("#confirm-description").TextContentAsync(), StringComparison.Ordinal);
        Assert.False((await world.Relay.Store.GetAccountAsync(mallory.Account))!.Disabled);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes: disable the account" }).ClickAsync();
        Assert.Contains("is disabled", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).ClickAsync();

        Assert.Equal("disabled", await page.Locator($"tr[data-device='{mallory.DeviceId}'] .device-state").TextContentAsync());
        Assert.True((await world.Relay.Store.GetAccountAsync(mallory.Account))!.Disabled);
        await context.CloseAsync();
        Assert.Empty(errors);
    }
}
