using Microsoft.Playwright;

namespace Enigm.Center.Tests.Support;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright (/work/.library/env/machines/dotnet.md, "Known
/// to work": the flags keep Chromium off the closed network; Playwright gives it a new empty profile). Without /usr/bin/chromium the browser tests are skipped
/// with the reason, or fail when ENIGM_BROWSER_REQUIRED=1 (CI, after scripts/chromium-install.sh).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Chromium { get; private set; }

    /// <summary>Why there is no browser, or null.</summary>
    public string? Unavailable { get; private set; }

    public static bool Required => Environment.GetEnvironmentVariable("ENIGM_BROWSER_REQUIRED") == "1";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            if (Required) throw new InvalidOperationException($"ENIGM_BROWSER_REQUIRED=1 but {ChromiumPath} is missing (scripts/chromium-install.sh)");
            Unavailable = $"{ChromiumPath} is missing: run scripts/chromium-install.sh";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh browser context (its own cookies) with the page's one-time link opened.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> OpenAsync(CenterHost center)
    {
        Skip.If(Chromium is null, Unavailable);
        var context = await Chromium!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(center.OpenUrl.ToString());
        return (context, page);
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }
}
