using System.Globalization;
using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class SchedulerBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminTypesADateAndSeesWhatARunThenWouldChange()
    {
        var page = await browser.OpenAsync("/admin/settings/scheduler");
        await Assertions.Expect(page.Locator("[data-test='scheduler-off']")).ToBeVisibleAsync();
        var inAYear = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddYears(1);

        var date = page.GetByLabel("Run at the end of");
        await date.FillAsync(inAYear.ToString("d MMM yyyy", CultureInfo.InvariantCulture));
        await date.PressAsync("Tab");
        await page.Locator("[data-test='preview']").ClickAsync();

        // A year of the demo data: the monthly certification's windows open and expire, among others.
        await Assertions.Expect(page.Locator("[data-test='preview-summary']")).ToContainTextAsync("would change");
        await Assertions.Expect(page.Locator("[data-test='preview-ExpiringSoon']")).ToBeVisibleAsync();
        await page.CloseAsync();
    }
}
