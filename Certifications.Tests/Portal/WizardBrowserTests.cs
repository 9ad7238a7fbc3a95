using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class WizardBrowserTests(BrowserFixture browser)
{
    private static ILocator Field(IPage page, string label) =>
        page.GetByRole(AriaRole.Textbox, new() { Name = label });

    private static ILocator Option(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text }).First;

    [Fact]
    public async Task AnAdminCreatesACertificationThroughTheFourStepsAndPublishesIt()
    {
        var page = await browser.OpenAsync("/admin/automate/certifications");
        await page.Locator("[data-test='new-certification']").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New certification" })).ToBeVisibleAsync();

        // Step 1 - Details
        await Field(page, "Name").FillAsync("Forklift Safety Refresher");
        await Field(page, "Description").FillAsync("Yearly refresher for warehouse staff.");

        // Step 2 - Timing and Renewal, opened from the right-hand panel
        await page.GetByText("Step 2 - Timing and Renewal").ClickAsync();
        await page.GetByLabel("Grace period (days)").FillAsync("7");
        await page.GetByText("Renewal required").ClickAsync();
        await Assertions.Expect(page.GetByText("Due Date for Non-Recurring Certifications")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-select", new() { HasText = "Renewal period" }).First).ToContainTextAsync("Every year");

        // Step 3 - Course Requirements: type, pick from the live search
        await page.GetByText("Step 3 - Course Requirements").ClickAsync();
        await page.GetByLabel("Search and add requisite courses").FillAsync("safety 101");
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(1);
        await Option(page, "Safety 101").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test='included-course']")).ToContainTextAsync("Safety 101");
        await page.GetByLabel("Minimum Passing Grade (%)").FillAsync("75");

        // Step 4 - Enrolment Requirements: only eligible groups can be picked
        await page.GetByText("Step 4 - Enrolment Requirements").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test='no-groups']")).ToBeVisibleAsync();
        await page.GetByLabel("Search and add targeted groups").FillAsync("warehouse");
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(1);
        // Enter picks the highlighted option through the search box, whose handler stays the same while the list
        // re-renders; a click can land on a list item the circuit has just replaced.
        await Assertions.Expect(Option(page, "Warehouse Operations")).ToHaveAttributeAsync("aria-selected", "true");
        await page.GetByLabel("Search and add targeted groups").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-test='targeted-group']")).ToContainTextAsync("Warehouse Operations");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/admin/automate/certifications", StringComparison.Ordinal));
        var row = page.Locator("tr", new() { Has = page.GetByText("Forklift Safety Refresher", new() { Exact = true }) });
        await Assertions.Expect(row).ToContainTextAsync("Published");
        await Assertions.Expect(row).ToContainTextAsync("Every year");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AValidationMessageAppearsAtItsFieldAndGoesWhenFixed()
    {
        var page = await browser.OpenAsync("/admin/automate/certifications/new");

        await Field(page, "Name").FillAsync("ab");
        await Assertions.Expect(page.GetByText("The name must be 3 to 100 characters long.")).ToBeVisibleAsync();
        await Field(page, "Name").FillAsync("Workplace Safety");
        await Assertions.Expect(page.GetByText("Another certification is already called \u201cWorkplace Safety\u201d")).ToBeVisibleAsync();
        await Field(page, "Name").FillAsync("Night Shift Safety");
        await Assertions.Expect(page.GetByText("already called")).ToHaveCountAsync(0);

        // Publishing without a course is refused, and the wizard opens the step at fault.
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 3 – Course Requirements" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Include at least one course with a graded step")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
