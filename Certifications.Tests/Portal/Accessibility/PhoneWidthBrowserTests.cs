using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal.Accessibility;

/// <summary>Every main page on a phone (390 px wide): the page never scrolls sideways (a wide table scrolls inside itself) and the menu opens.</summary>
[Collection(BrowserTests.Name)]
public sealed class PhoneWidthBrowserTests(BrowserFixture browser)
{
    private const int PhoneWidth = 390;

    public static TheoryData<string> Pages => MainPages.Names;

    [SqliteOnlyTheory(MainPages.SameOnEveryDatabase)]
    [MemberData(nameof(Pages))]
    public async Task EveryMainPageFitsAPhoneWithoutScrollingSideways(string name)
    {
        var page = await MainPages.OpenAsync(browser, name, dark: false, width: PhoneWidth, height: 844);

        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);

        await page.Context.CloseAsync();
        Assert.True(scrollWidth <= innerWidth, $"{name} is {scrollWidth} px wide on a {innerWidth} px screen.");
    }

    [SqliteOnlyFact(MainPages.SameOnEveryDatabase)]
    public async Task OnAPhoneTheAppBarKeepsToOneLineAndSignsOutFromItsIcon()
    {
        var page = await MainPages.OpenAsync(browser, "me", dark: false, width: PhoneWidth, height: 844);
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });

        // Every control of the bar sits on its one line: none is taller than the bar's icon buttons.
        var heights = await page.Locator("header.mud-appbar button").EvaluateAllAsync<double[]>(
            "buttons => buttons.filter(b => b.offsetParent !== null).map(b => b.getBoundingClientRect().height)");
        Assert.All(heights, height => Assert.InRange(height, 1, 48));
        Assert.Equal("", (await signOut.InnerTextAsync()).Trim());

        await signOut.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/sign-in", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [SqliteOnlyFact(MainPages.SameOnEveryDatabase)]
    public async Task OnAPhoneTheMenuOpensFromTheAppBar()
    {
        var page = await MainPages.OpenAsync(browser, "admin", dark: false, width: PhoneWidth, height: 844);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" });
        await Assertions.Expect(menu).Not.ToBeInViewportAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle the menu" }).ClickAsync();

        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Certifications", Exact = true })).ToBeInViewportAsync();
        await page.Context.CloseAsync();
    }
}
