using Microsoft.Playwright;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// One portal with demo data on a real port, and Debian's Chromium driven by Playwright, shared by the browser tests.
/// The browser is the system's (CHROMIUM_PATH, default /usr/bin/chromium): nothing is downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public PortalFactory Portal { get; } = new(seedDemoData: true);

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        BaseAddress = Portal.StartOnRealPort();
        playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium was not found at {executable}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.");
        }

        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page on the portal, after its circuit has become interactive.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = BaseAddress.ToString() });
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
