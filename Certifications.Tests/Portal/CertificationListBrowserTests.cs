using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class CertificationListBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheListShowsTheDemoCertificationsAndFiltersAsTheAdminTypes()
    {
        var page = await browser.OpenAsync("/admin/automate/certifications");

        var names = page.Locator("[data-test='certification-name']");
        await Assertions.Expect(names.Filter(new() { HasText = "Workplace Safety" })).ToBeVisibleAsync();
        await Assertions.Expect(names.Filter(new() { HasText = "Manager Essentials" })).ToBeVisibleAsync();
        var safetyRow = page.Locator("tr", new() { Has = page.GetByText("Workplace Safety", new() { Exact = true }) });
        await Assertions.Expect(safetyRow).ToContainTextAsync("Published");
        await Assertions.Expect(safetyRow).ToContainTextAsync("Every year");

        await page.GetByLabel("Search").FillAsync("operation licence");
        await Assertions.Expect(names).ToHaveCountAsync(1);
        await Assertions.Expect(names.First).ToHaveTextAsync("Forklift Operation Licence");

        await page.GetByLabel("Search").FillAsync("no such certification");
        await Assertions.Expect(page.GetByText("No certification matches this search.")).ToBeVisibleAsync();
        await page.CloseAsync();
    }
}
