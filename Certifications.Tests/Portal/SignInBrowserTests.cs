using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class SignInBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(PortalRoles.Admin, "/admin", "Overview")]
    [InlineData(PortalRoles.Manager, "/manage", "My team")]
    [InlineData(PortalRoles.Learner, "/me", "My certifications")]
    public async Task EachDemoRoleSignsInAndLandsOnItsHome(string role, string home, string heading)
    {
        var page = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, role);

        Assert.EndsWith(home, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ALearnerTypingTheAdminAddressGetsAccessDenied()
    {
        var page = await browser.OpenAsync("/me", PortalRoles.Learner);
        await Assertions.Expect(page.Locator("[data-test='panel-certification']").First).ToBeVisibleAsync();

        var response = await page.GotoAsync("/admin");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var page = await browser.OpenAsync("/me", PortalRoles.Learner);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/sign-in", StringComparison.Ordinal));
        await page.GotoAsync("/me");

        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
