using System.Globalization;
using System.Text;
using Enigm.Center.Tests.Support;
using Enigm.Client;
using Enigm.Client.Posture;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;
using Microsoft.Playwright;

namespace Enigm.Center.Tests.Browser;

/// <summary>
/// The console's policy editor and restrict / revoke buttons with offline signing (issue 14; docs/policy.md, "Offline
/// signing"), in Chromium: the console prepares the unsigned document and changes nothing; the administrator signs it
/// with the real <c>enigm org sign</c> (the organisation key in its own key store, never on the relay) and uploads the
/// result; the relay verifies it before it records anything. Refused uploads — another organisation's key, a rolled-back
/// version, a tampered document, a post without the CSRF token — each show the reason and leave the state as it was.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleOfflineSigningTests(CenterWorld world, Support.Browser browser)
{
    [SkippableFact]
    public async Task An_admin_raises_the_minimum_client_in_the_editor_signs_offline_uploads_and_the_device_turns_restricted_then_restricts_and_revokes_another()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        var organisation = world.Organisation;
        using var lagging = await world.Devices.CreateAsync("lagging", world.Relay.Url);
        using var stolen = await world.Devices.CreateAsync("stolen", world.Relay.Url);
        await lagging.AddContactAsync("bob", world.Bob.Account);
        await stolen.AddContactAsync("bob", world.Bob.Account);
        await lagging.PublishPostureAsync(new PostureFacts { ClientVersion = "2.5.0" });
        await stolen.PublishPostureAsync(new PostureFacts { ClientVersion = "9.0.0" });
        var (context, page) = await SignInAsync();
        var current = (await world.Relay.Store.Policy.GetPolicyAsync())?.Version ?? 0;

        // The editor: pre-filled from the signed policy; its submit only prepares the next version.
        await page.GetByLabel("Minimum client version (empty: any)").FillAsync("3.0.0");
        await page.GetByLabel("Reason (signed, recorded in the admin audit log)").FillAsync("clients below 3.0.0 lack the fix for CVE-2026-0002");
        var before = await StateAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare the new version for signing" }).ClickAsync();
        Assert.Equal((current + 1).ToString(CultureInfo.InvariantCulture), await page.Locator("#draft-version").TextContentAsync());
        Assert.Equal("3.0.0", await page.Locator("#draft-min-client").TextContentAsync());
        Assert.Equal(before, await StateAsync());
        var unsignedName = $"enigm-policy-v{current + 1}.unsigned.pem";
        Assert.Equal($"enigm org sign --in {unsignedName} --out enigm-policy-v{current + 1}.signed.pem", await page.Locator("#sign-command").TextContentAsync());
        await UserPageTests.SaveScreenshotAsync(page, "trust-center-console-sign-offline.png");

        // Download, sign with the real CLI, upload the file it wrote.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = $"Download {unsignedName}" }).ClickAsync());
        Assert.Equal(unsignedName, download.SuggestedFilename);
        var unsigned = Path.Combine(Folder(), unsignedName);
        await download.SaveAsAsync(unsigned);
        var signed = Path.Combine(Folder(), $"enigm-policy-v{current + 1}.signed.pem");
        organisation.Sign(unsigned, signed);
        Assert.Equal(before, await StateAsync());
        await page.SetInputFilesAsync("#signed-file", signed);
        await UploadAndConfirmAsync(page);
        Assert.Contains($"Policy version {current + 1} is verified and set", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).ClickAsync();
        Assert.Equal((current + 1).ToString(CultureInfo.InvariantCulture), await page.Locator("#policy-version").TextContentAsync());
        Assert.Equal("3.0.0", await page.Locator("#min-client").InputValueAsync()); // the editor is pre-filled from the new policy
        var laggingRow = page.Locator($"tr[data-compliance-device='{lagging.DeviceId}']");
        Assert.Equal("restricted", await laggingRow.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("client 2.5.0 is below the minimum 3.0.0", await laggingRow.Locator(".compliance-reasons").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("compliant", await page.Locator($"tr[data-compliance-device='{stolen.DeviceId}'] .compliance-state").TextContentAsync());

        // Restrict, then revoke, another device with the row's buttons: copied and pasted this time.
        await ActOnAsync(page, stolen, "Restrict…", "reported stolen, pending investigation");
        Assert.Contains("is now restricted", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).ClickAsync();
        var stolenRow = page.Locator($"tr[data-compliance-device='{stolen.DeviceId}']");
        Assert.Equal("restricted", await stolenRow.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("reported stolen, pending investigation", await stolenRow.Locator(".compliance-reasons").TextContentAsync(), StringComparison.Ordinal);

        await ActOnAsync(page, stolen, "Revoke…", "confirmed stolen");
        Assert.Contains("is now revoked-by-organisation", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).ClickAsync();
        Assert.Equal("revoked-by-organisation", await stolenRow.Locator(".compliance-state").TextContentAsync());
        Assert.Contains("confirmed stolen", await page.Locator("ol.audit").TextContentAsync(), StringComparison.Ordinal);
        await context.CloseAsync();

        await Assert.ThrowsAsync<DeviceRestrictedException>(() => lagging.SendTextAsync("bob", "below the minimum"));
        await Assert.ThrowsAsync<DeviceRevokedByOrganisationException>(() => stolen.SendTextAsync("bob", "revoked"));
    }

    [SkippableFact]
    public async Task Uploads_signed_by_another_organisation_rolled_back_tampered_or_without_the_csrf_token_are_refused_with_the_reason_and_change_nothing()
    {
        Skip.If(browser.Chromium is null, browser.Unavailable);
        var organisation = world.Organisation;
        organisation.SetPolicy("--min-client", "1.0.0", "--reason", "baseline"); // a current version to roll back from
        var other = OrganisationCli.InitUnregistered(Path.Combine(world.Devices.Folder, "other-organisation"), world.Relay.AdminUrl);
        var (context, page) = await SignInAsync();
        await page.GetByLabel("Minimum client version (empty: any)").FillAsync("2.2.0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare the new version for signing" }).ClickAsync();
        var draft = OrgDocuments.Read(await page.Locator("#unsigned").InputValueAsync());
        var next = PolicyEncoding.ReadUnverified(draft.Policy!).Version;
        var before = await StateAsync();

        // Another organisation's key: the same policy, for that organisation, signed by it with the real CLI.
        var foreign = SignedBy(other, Redraft(draft, p => p with { Organisation = other.Organisation }, OrganisationKey.FromEncoded(other.PublicKey).SuiteId));
        Assert.Contains("not the pinned", await RefusedAsync(page, foreign), StringComparison.Ordinal);

        // A rolled-back version: properly signed by the organisation, but not above the current one.
        var rolledBack = SignedBy(organisation, Redraft(draft, p => p with { Version = next - 1 }, OrganisationKey.FromEncoded(organisation.PublicKey).SuiteId));
        Assert.Contains($"policy version {next - 1} is not above the current {next - 1}", await RefusedAsync(page, rolledBack), StringComparison.Ordinal);

        // Tampered: the properly signed next version with its minimum edited after signing.
        var genuine = SignedBy(organisation, OrgDocuments.Write(draft));
        var signedDraft = OrgDocuments.Read(genuine);
        var tampered = OrgDocuments.Write(signedDraft with { Policy = Replace(signedDraft.Policy!, "2.2.0", "0.2.0") });
        Assert.Contains("does not verify", await RefusedAsync(page, tampered), StringComparison.Ordinal);

        // No CSRF token: the genuine document, posted from the page with the token removed.
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console").ToString());
        await page.Locator("#signed").FillAsync(genuine);
        await page.EvaluateAsync("() => document.querySelector('form[action=\"/console/actions/record-signed\"] input[name=csrf]').remove()");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and verify" }).ClickAsync();
        Assert.Equal("Form token missing or wrong", await page.Locator("h1").TextContentAsync());
        Assert.Equal(before, await StateAsync());

        // Control: the same genuine document with the token is recorded.
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console").ToString());
        await page.Locator("#signed").FillAsync(genuine);
        await UploadAndConfirmAsync(page);
        Assert.Contains($"Policy version {next} is verified and set", await page.Locator("#outcome").TextContentAsync(), StringComparison.Ordinal);
        Assert.NotEqual(before, await StateAsync());
        await context.CloseAsync();
    }

    /// <summary>Pastes <paramref name="document"/> into the upload form, confirms, and returns the refusal; the state must not move.</summary>
    private async Task<string> RefusedAsync(IPage page, string document)
    {
        var before = await StateAsync();
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console").ToString());
        await page.Locator("#signed").FillAsync(document);
        await UploadAndConfirmAsync(page);
        var outcome = await page.Locator("#outcome").TextContentAsync() ?? "";
        Assert.StartsWith("Not done: ", outcome, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        return outcome;
    }

    private static async Task UploadAndConfirmAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and verify" }).ClickAsync();
        // A document that does not even parse is refused at the confirmation step already.
        if (await page.Locator("#confirm-description").CountAsync() > 0)
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes: record the signed document" }).ClickAsync();
    }

    /// <summary>The row's button, a reason, the unsigned text copied from the page, <c>enigm org sign</c>, pasted back and confirmed.</summary>
    private async Task ActOnAsync(IPage page, EnigmClient device, string button, string reason)
    {
        await page.Locator($"tr[data-compliance-device='{device.DeviceId}']").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await page.GetByLabel("Reason (signed, recorded in the admin audit log and shown to the device)").FillAsync(reason);
        var before = await StateAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare the action for signing" }).ClickAsync();
        Assert.Equal(before, await StateAsync());
        var signed = SignedBy(world.Organisation, await page.Locator("#unsigned").InputValueAsync());
        await page.Locator("#signed").FillAsync(signed);
        await UploadAndConfirmAsync(page);
    }

    /// <summary>Signs <paramref name="unsignedText"/> with <c>enigm org sign</c> and returns what it wrote.</summary>
    private string SignedBy(OrganisationCli organisation, string unsignedText)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var (input, output) = (Path.Combine(Folder(), name + ".unsigned.pem"), Path.Combine(Folder(), name + ".signed.pem"));
        File.WriteAllText(input, unsignedText);
        organisation.Sign(input, output);
        return File.ReadAllText(output);
    }

    /// <summary>The draft with its policy changed (re-encoded unsigned, the set-policy action naming the new version).</summary>
    private static string Redraft(OrgDocument draft, Func<OrganisationPolicy, OrganisationPolicy> change, ushort suite)
    {
        var policy = change(PolicyEncoding.ReadUnverified(draft.Policy!));
        var action = AdminActionEncoding.ReadUnverified(draft.Action) with { Organisation = policy.Organisation, PolicyVersion = policy.Version };
        return OrgDocuments.Write(new OrgDocument(OrgDocumentKind.UnsignedPolicy, PolicyEncoding.Sign(policy, _ => [], suite), AdminActionEncoding.Sign(action, _ => [], suite)));
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var (f, t) = (Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));
        var at = bytes.AsSpan().IndexOf(f);
        Assert.True(at >= 0, $"{from} is not in the document");
        var copy = (byte[])bytes.Clone();
        t.CopyTo(copy, at);
        return copy;
    }

    private string Folder() => Directory.CreateDirectory(Path.Combine(world.Devices.Folder, "offline-signing")).FullName;

    /// <summary>What an upload may change: the admin audit head, the policy version, every device's actions.</summary>
    private async Task<string> StateAsync()
    {
        var store = world.Relay.Store.Policy;
        var head = await store.GetAuditHeadAsync();
        var policy = await store.GetPolicyAsync();
        var devices = await store.ListComplianceAsync(10_000);
        var actions = new StringBuilder();
        foreach (var d in devices) actions.Append(d.Account).Append('/').Append(d.Device).Append('=').Append((await store.ReadDeviceActionsAsync(d.Account, d.Device)).Count).Append(';');
        return $"head={head?.Sequence} policy={policy?.Version} actions={actions}";
    }

    private async Task<(IBrowserContext Context, IPage Page)> SignInAsync()
    {
        var context = await browser.Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(world.Relay.AdminUrl, "/console/login").ToString());
        await page.GetByLabel("Admin credential").FillAsync(TestRelay.AdminCredential);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return (context, page);
    }
}
