using Enigm.Center.Tests.Support;
using Enigm.Client.Errors;
using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Microsoft.Playwright;

namespace Enigm.Center.Tests.Browser;

/// <summary>
/// Alice's Trust Security Center in headless Chromium, over a real relay and real clients: she verifies a contact by
/// comparing the safety number, revokes a lost device, and sees a contact whose account changed turn red with
/// sending blocked. Every action goes through the confirmation page. Any console error (a CSP violation, a failed
/// load) fails the test.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class UserPageTests(CenterWorld world, Support.Browser browser)
{
    private readonly List<string> _consoleErrors = [];
    private CenterHost? _center;

    /// <summary>A fresh page over Alice's device (its own one-time link), opened in a new browser context.</summary>
    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        _center = await world.StartCenterAsync();
        var (context, page) = await browser.OpenAsync(_center);
        page.Console += (_, message) =>
        {
            // A refused action answers 422 on purpose (its page says why); anything else is a fault.
            if (message.Type == "error" && !message.Text.Contains("status of 422", StringComparison.Ordinal)) _consoleErrors.Add($"{message.Text} ({message.Location})");
        };
        return (context, page);
    }

    private async Task DoneAsync(IBrowserContext context)
    {
        await context.CloseAsync();
        if (_center is not null) await _center.DisposeAsync();
        Assert.Empty(_consoleErrors);
    }

    [SkippableFact]
    public async Task A_user_verifies_a_contact_by_comparing_the_safety_number()
    {
        var (context, page) = await OpenAsync();
        Assert.Equal("Trust overview", await page.Locator("h1").TextContentAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Safety number and history of bob" }).ClickAsync();
        var shown = (await page.Locator("#safety-number").TextContentAsync())!.Replace(" ", "", StringComparison.Ordinal);
        var bobSees = world.Bob.SafetyNumber("alice").Digits;
        Assert.Equal(bobSees, shown);
        Assert.True(await page.Locator("img.qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"));

        // A wrong number first: the confirmation, then a refusal that leaves Bob unverified.
        await page.GetByLabel("The safety number the other side shows").FillAsync(new string('7', 60));
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare and mark verified" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes: mark the contact verified" }).ClickAsync();
        Assert.Contains("does not match", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(TrustState.Unverified, world.Alice.Contact("bob").State);

        // The number Bob reads out from his screen.
        await page.GotoAsync(new Uri(_center!.BaseUrl, "/contacts/bob").ToString());
        await page.GetByLabel("The safety number the other side shows").FillAsync(world.Bob.SafetyNumber("alice").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare and mark verified" }).ClickAsync();
        Assert.Contains("bob", await page.Locator("#confirm-description").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes: mark the contact verified" }).ClickAsync();
        Assert.Contains("'bob' is verified", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);

        Assert.Equal(TrustState.Verified, world.Alice.Contact("bob").State);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the overview" }).ClickAsync();
        Assert.Equal("verified", await page.Locator("tr[data-contact='bob'] .contact-state").TextContentAsync());
        await DoneAsync(context);
    }

    [SkippableFact]
    public async Task A_user_revokes_a_lost_device_and_the_relay_refuses_it()
    {
        var (context, page) = await OpenAsync();
        var phone = world.AlicePhone.DeviceId;
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke alice-phone" }).ClickAsync();
        Assert.Contains("cannot be undone", await page.Locator("#confirm-description").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes: revoke the device" }).ClickAsync();
        Assert.Contains("'alice-phone' is revoked", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the overview" }).ClickAsync();

        Assert.Contains("revoked", await page.Locator($"tr[data-device='{phone}'] .device-state").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Revoke alice-phone" }).CountAsync());
        Assert.True((await world.Alice.ListDevicesAsync()).Single(d => d.DeviceId == phone).Revoked);
        await Assert.ThrowsAsync<DeviceRevokedException>(() => world.AlicePhone.ReceiveAsync(TimeSpan.Zero));
        await DoneAsync(context);
    }

    [SkippableFact]
    public async Task A_changed_contact_turns_red_and_sending_to_it_is_blocked()
    {
        var number = world.Alice.SafetyNumber("carol").Digits;
        world.Alice.VerifyContact("carol", number);
        await world.Alice.ChangeContactAccountAsync("carol", world.CarolNew.Account);
        var (context, page) = await OpenAsync();

        var row = page.Locator("tr[data-contact='carol']");
        Assert.Equal("changed", await row.Locator(".contact-state").TextContentAsync());
        Assert.Equal("blocked until re-verified", await row.Locator(".contact-sending").TextContentAsync());
        Assert.Equal("rgb(180, 35, 24)", await row.Locator(".badge").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Contains("Re-verify changed contact", await page.Locator("#pending ~ ul").TextContentAsync(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ContactChangedException>(() => world.Alice.SendTextAsync("carol", "still there?"));
        await SaveScreenshotAsync(page, "trust-center-user.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "Safety number and history of carol" }).ClickAsync();
        Assert.Equal("changed", await page.Locator("#contact-state").TextContentAsync());
        Assert.Contains("fingerprint changed", await page.Locator("ol.events").TextContentAsync(), StringComparison.Ordinal);
        await DoneAsync(context);
    }

    [SkippableFact]
    public async Task The_keyboard_reaches_the_skip_link_first_and_every_input_has_a_label()
    {
        var (context, page) = await OpenAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.GotoAsync(new Uri(_center!.BaseUrl, "/contacts/dave").ToString());
        var unlabelled = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('input:not([type=hidden])')].filter(i => !document.querySelector(`label[for='${i.id}']`)).length");
        Assert.Equal(0, unlabelled);
        await DoneAsync(context);
    }

    /// <summary>Saves a screenshot into ENIGM_SCREENSHOTS (docs/images when the README's pictures are refreshed).</summary>
    internal static async Task SaveScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("ENIGM_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }
}
