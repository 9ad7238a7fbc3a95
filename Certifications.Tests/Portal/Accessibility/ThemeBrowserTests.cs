using Certifications.Core.Security;
using Certifications.Portal.Components.Layout;
using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal.Accessibility;

/// <summary>Light or dark: the system's preference until the visitor chooses, then their choice, on every page and visit.</summary>
[Collection(BrowserTests.Name)]
public sealed class ThemeBrowserTests(BrowserFixture browser)
{
    private const string DarkBackground = "rgb(31, 32, 41)";
    private const string LightBackground = "rgb(255, 255, 255)";

    [SqliteOnlyFact(MainPages.SameOnEveryDatabase)]
    public async Task WithoutAChoiceTheThemeFollowsTheSystemsPreference()
    {
        var page = await NewPageAsync(ColorScheme.Dark);

        await BrowserFixture.SignInAsync(page, PortalRoles.Learner);
        await page.Locator("[data-interactive='true']").WaitForAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The very first page a visitor opens, before any cookie or hint: the sign-in page is rendered on the server and
    /// never interactive, so it has the system's theme from its first paint or not at all. The system itself is dark
    /// here, not an emulation of the page's media: the browser sends the request again with its hint from the system.
    /// </summary>
    [SqliteOnlyFact(MainPages.SameOnEveryDatabase)]
    public async Task TheFirstPageOfTheFirstVisitAlreadyHasTheSystemsTheme()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var darkSystem = await BrowserFixture.LaunchChromiumAsync(playwright, "--force-dark-mode", "--blink-settings=preferredColorScheme=0");
        var context = await darkSystem.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseAddress.ToString(), ColorScheme = ColorScheme.Null });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/sign-in");

        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await context.CloseAsync();
    }

    [SqliteOnlyFact(MainPages.SameOnEveryDatabase)]
    public async Task TheChosenThemeStaysOnEveryPageAndTheNextVisit()
    {
        var page = await NewPageAsync(ColorScheme.Light);
        await BrowserFixture.SignInAsync(page, PortalRoles.Learner);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        Assert.Equal(LightBackground, await BackgroundAsync(page));

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
        Assert.Equal(DarkBackground, await BackgroundAsync(page));

        // Another page, rendered by the server before it is interactive, and one never interactive.
        var cookies = await page.Context.CookiesAsync();
        Assert.Equal("dark", Assert.Single(cookies, c => c.Name == ThemeChoice.CookieName).Value);
        await page.GotoAsync("/notifications");
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await page.GotoAsync("/no-such-page");
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await page.Context.CloseAsync();
    }

    private async Task<IPage> NewPageAsync(ColorScheme scheme)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseAddress.ToString(), ColorScheme = scheme });
        return await context.NewPageAsync();
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
