using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal.Accessibility;

/// <summary>Sign-in, the wizard to publish and the profile card's enrolment, each done with the keyboard alone: no click.</summary>
[Collection(BrowserTests.Name)]
public sealed class KeyboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task SigningInTakesTheKeyboardAlone()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        var email = await page.Locator($"[data-test='demo-account'][data-role='{PortalRoles.Learner}'] td").Nth(2).InnerTextAsync();
        var password = await page.Locator("[data-test='demo-password']").InnerTextAsync();

        await TabToAsync(page, page.GetByLabel("Email"));
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => url.EndsWith("/me", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My certifications", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheWizardTakesTheKeyboardAloneFromTheListToPublishing()
    {
        const string Name = "Keyboard Only Refresher";
        var page = await browser.OpenAsync("/admin/automate/certifications");

        await TabToAsync(page, page.Locator("[data-test='new-certification']"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New certification" })).ToBeVisibleAsync();

        // Step 1: the name, and invisible (so that publishing it without a group opens it to nobody else's panel).
        await TabToAsync(page, page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }));
        await page.Keyboard.TypeAsync(Name);
        await TabToAsync(page, page.GetByRole(AriaRole.Switch, new() { Name = "Make this certification invisible" }));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Make this certification invisible" })).ToBeCheckedAsync();

        // Step 2, then step 3, through the button that opens the next step.
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Step 2 – Timing and Renewal" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 2 – Timing and Renewal" })).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Step 3 – Course Requirements" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 3 – Course Requirements" })).ToBeVisibleAsync();

        // Type in the course search, then Enter picks the highlighted course.
        await TabToAsync(page, page.GetByLabel("Search and add requisite courses"));
        await page.Keyboard.TypeAsync("safety 101");
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-test='included-course']")).ToContainTextAsync("Safety 101");

        // Step 4, then Publish, and the dialog's Publish: focus moves into the dialog.
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Step 4 – Enrolment Requirements" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 4 – Enrolment Requirements" })).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await TabToAsync(page, dialog.GetByRole(AriaRole.Button, new() { Name = "Publish" }));
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => url.EndsWith("/admin/automate/certifications", StringComparison.Ordinal));
        var row = page.Locator("tr", new() { Has = page.GetByText(Name, new() { Exact = true }) });
        await Assertions.Expect(row).ToContainTextAsync("Published");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EnrollingALearnerFromTheProfileCardTakesTheKeyboardAlone()
    {
        const string Certification = "Keyboard Enrolment Check";
        var learnerId = await PrepareEnrolmentAsync(Certification);
        var page = await browser.OpenAsync($"/admin/learners/{learnerId}");

        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Certifications Enrollment" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Add {Certification}" }));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("[data-test='unsaved']")).ToHaveTextAsync("1 unsaved change.");
        await TabToAsync(page, page.Locator("button[data-test='save']"));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByText($"Enrolled in \u201c{Certification}\u201d.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the element has focus, as a keyboard user would; fails when a full round of the
    /// page never reaches it.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        await target.WaitForAsync();
        for (var presses = 0; presses < 80; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"The keyboard never reached {target}.");
    }

    /// <summary>A learner and a published certification of their own, targeting an empty group: nobody holds it yet.</summary>
    private async Task<int> PrepareEnrolmentAsync(string certification)
    {
        var services = browser.Portal.Services;
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        int learnerId;
        int groupId;
        List<int> courseIds;
        await using (var db = await factory.CreateDbContextAsync())
        {
            courseIds = await db.CertificationCourses.Where(cc => cc.Certification!.Name == "Workplace Safety").Select(cc => cc.CourseId).ToListAsync();
            var group = new Group { Name = "Keyboard check group", Courses = [.. courseIds.Select(id => new GroupCourse { CourseId = id })] };
            var learner = new Learner { Name = "Kim Keyboard", Email = "kim.keyboard@example.com", NormalizedEmail = "KIM.KEYBOARD@EXAMPLE.COM" };
            db.Groups.Add(group);
            db.Learners.Add(learner);
            await db.SaveChangesAsync();
            (groupId, learnerId) = (group.Id, learner.Id);
        }

        var certifications = services.GetRequiredService<CertificationService>();
        var admin = Actor.Admin("browser-test@example.com");
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = certification, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = courseIds, GroupIds = [groupId] }, admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, admin)).Succeeded);
        return learnerId;
    }
}
