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
        // The suite runs other portals in parallel on two cores: give the browser's expectations room before failing.
        Assertions.SetDefaultExpectTimeout(15_000);
        BaseAddress = Portal.StartOnRealPort();
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    /// <summary>Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless, with any further switches given.</summary>
    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, params string[] switches)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium was not found at {executable}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. switches],
        });
    }

    /// <summary>A fresh browser session signed in as the demo account of the role, on the path, once it is interactive.</summary>
    public async Task<IPage> OpenAsync(string path, string role = "Admin")
    {
        var page = await NewPageAsync();
        await SignInAsync(page, role);
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    /// <summary>A fresh browser session (its own cookies), signed in as nobody.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real sign-in form, as the demo account the page lists for the role.</summary>
    public static async Task SignInAsync(IPage page, string role)
    {
        await page.GotoAsync("/account/sign-in");
        var email = await page.Locator($"[data-test='demo-account'][data-role='{role}'] td").Nth(2).InnerTextAsync();
        var password = await page.Locator("[data-test='demo-password']").InnerTextAsync();
        await SubmitSignInAsync(page, email, password);
    }

    /// <summary>Signs in through the real sign-in form with the account given, and waits to leave the form.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await SubmitSignInAsync(page, email, password);
    }

    private static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
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
