using Certifications.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class UserListBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAdminCreatesAnAccountAndItsTemporaryPasswordSignsIn()
    {
        var page = await browser.OpenAsync("/admin/users");
        await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync("nina.new@example.com");
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("Nina New");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        var shown = page.Locator("input[data-test='temporary-password']");
        await Assertions.Expect(shown).ToBeVisibleAsync();
        var password = await shown.InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Assertions.Expect(shown).ToHaveCountAsync(0);
        await page.GetByLabel("Search").FillAsync("nina.new");
        await Assertions.Expect(page.Locator("[data-test='user-name']")).ToHaveTextAsync(["Nina New"]);

        var nina = await browser.NewPageAsync();
        await nina.GotoAsync("/account/sign-in");
        await nina.GetByLabel("Email").FillAsync("nina.new@example.com");
        await nina.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await nina.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await nina.WaitForURLAsync(url => url.EndsWith("/me", StringComparison.Ordinal));
        await page.CloseAsync();
        await nina.CloseAsync();
    }
}
