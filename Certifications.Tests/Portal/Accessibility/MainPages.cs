using System.Collections.Concurrent;
using Certifications.Core.Auditing;
using Certifications.Core.Certificates;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Portal.Components.Layout;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal.Accessibility;

/// <summary>
/// The main pages of the portal, each opened in the role that uses it, for the checks every page must pass (axe, phone
/// width). Entities come from the demo data; nothing is created but one certificate of the demo learner.
/// </summary>
internal static class MainPages
{
    /// <summary>
    /// Why the checks of markup and styles (axe, phone width, theme) run in the SQLite pass only: what a page draws does
    /// not depend on the database under it, and the journeys that do run on both.
    /// </summary>
    public const string SameOnEveryDatabase = "a page's markup and styles do not depend on the database; the journeys run on both";

    public static TheoryData<string> Names { get; } = new(
    [
        "sign-in", "admin", "certifications", "wizard-details", "wizard-timing", "wizard-courses", "wizard-groups",
        "certification", "courses", "course", "groups", "group", "learners", "learner", "learner-enrollment", "users",
        "import", "scheduler", "api-keys", "api-reference", "manage", "manage-certification", "manage-learner", "me",
        "notifications", "verify", "not-found", "access-denied", "error",
    ]);

    /// <summary>The signed-in session of each role (its cookies), so that each page does not sign in again.</summary>
    private static readonly ConcurrentDictionary<(BrowserFixture, string), Task<string>> Sessions = new();

    /// <summary>A fresh browser session in the role that uses the page, in the theme and viewport given, on the page once it has loaded.</summary>
    public static async Task<IPage> OpenAsync(BrowserFixture browser, string name, bool dark, int width = 1366, int height = 900)
    {
        var role = RoleOf(name);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },

            // No transitions: axe reads the colours as they settle, not halfway through a hover's fade.
            ReducedMotion = ReducedMotion.Reduce,
            StorageState = role is null ? null : await Sessions.GetOrAdd((browser, role), key => SignInAsync(key.Item1, key.Item2)),
        });
        await context.AddCookiesAsync([ThemeCookie(browser, dark)]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(await PathOfAsync(browser, page, name));
        await WaitUntilLoadedAsync(page, name);
        return page;
    }

    /// <summary>Chooses the other theme (the cookie the app bar's toggle writes) and opens the page again.</summary>
    public static async Task SwitchThemeAsync(BrowserFixture browser, IPage page, string name, bool dark)
    {
        await page.Context.AddCookiesAsync([ThemeCookie(browser, dark)]);
        await page.ReloadAsync();
        await WaitUntilLoadedAsync(page, name);
    }

    private static Cookie ThemeCookie(BrowserFixture browser, bool dark) =>
        new() { Name = ThemeChoice.CookieName, Value = dark ? "dark" : "light", Url = browser.BaseAddress.ToString() };

    private static async Task<string> SignInAsync(BrowserFixture browser, string role)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, role);
        var state = await context.StorageStateAsync();
        await context.CloseAsync();
        return state;
    }

    private static async Task WaitUntilLoadedAsync(IPage page, string name)
    {
        if (RoleOf(name) is not null && name is not "access-denied" and not "not-found" and not "error")
        {
            await page.Locator("[data-interactive='true']").WaitForAsync();
        }

        await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
        await OpenWizardStepAsync(page, name);

        // The page has its data once no loading indicator is left.
        await Assertions.Expect(page.Locator(".mud-progress-linear[role='progressbar']:not([aria-valuenow])")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-skeleton")).ToHaveCountAsync(0);
    }

    private static string? RoleOf(string name) => name switch
    {
        "sign-in" or "verify" => null,
        "manage" or "manage-certification" or "manage-learner" => PortalRoles.Manager,
        "me" or "notifications" or "access-denied" or "not-found" or "error" => PortalRoles.Learner,
        _ => PortalRoles.Admin,
    };

    private static async Task OpenWizardStepAsync(IPage page, string name)
    {
        var step = name switch
        {
            "wizard-timing" => "Step 2 - Timing and Renewal",
            "wizard-courses" => "Step 3 - Course Requirements",
            "wizard-groups" => "Step 4 - Enrolment Requirements",
            _ => null,
        };
        if (step is not null)
        {
            await page.GetByText(step).ClickAsync();

            // The pointer leaves the step panel: what axe reads is the page at rest, not a hovered step.
            await page.Mouse.MoveAsync(0, 0);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = step.Replace(" - ", " \u2013 ", StringComparison.Ordinal) })).ToBeVisibleAsync();
        }
    }

    private static async Task<string> PathOfAsync(BrowserFixture browser, IPage page, string name)
    {
        await using var db = await browser.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        var bob = await db.Learners.Where(l => l.NormalizedEmail == AccountSetup.DemoLearnerEmail.ToUpperInvariant()).Select(l => l.Id).SingleAsync();
        return name switch
        {
            "sign-in" => "/account/sign-in",
            "admin" => "/admin",
            "certifications" => "/admin/automate/certifications",
            "wizard-details" or "wizard-timing" or "wizard-courses" or "wizard-groups" => "/admin/automate/certifications/new",
            "certification" => $"/admin/automate/certifications/{await PublishedCertificationAsync(db)}",
            "courses" => "/admin/catalog/courses",
            "course" => $"/admin/catalog/courses/{await db.Courses.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync()}",
            "groups" => "/admin/catalog/groups",
            "group" => $"/admin/catalog/groups/{await db.Groups.OrderBy(g => g.Id).Select(g => g.Id).FirstAsync()}",
            "learners" => "/admin/learners",
            "learner" => $"/admin/learners/{bob}",
            "learner-enrollment" => $"/admin/learners/{bob}/enrollment",
            "users" => "/admin/users",
            "import" => "/admin/import",
            "scheduler" => "/admin/settings/scheduler",
            "api-keys" => "/admin/settings/api-keys",
            "api-reference" => "/admin/settings/api-keys/reference",
            "manage" => "/manage",
            "manage-certification" => await FirstLinkAsync(page, "/manage/certifications/"),
            "manage-learner" => await FirstLinkAsync(page, "/manage/learners/"),
            "me" => "/me",
            "notifications" => "/notifications",
            "verify" => $"/verify/{await CertificateCodeAsync(browser, db, bob)}",
            "not-found" => "/no-such-page",
            "access-denied" => "/admin",
            "error" => "/Error",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a main page."),
        };
    }

    private static Task<int> PublishedCertificationAsync(CertificationsDbContext db) =>
        db.Certifications.Where(c => c.State == CertificationState.Published && !c.IsInvisible).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();

    /// <summary>The manager's pages open from their dashboard: the first link of the kind on it.</summary>
    private static async Task<string> FirstLinkAsync(IPage page, string prefix)
    {
        await page.GotoAsync("/manage");
        var link = page.Locator($"a[href^='{prefix}']").First;
        await link.WaitForAsync();
        return (await link.GetAttributeAsync("href"))!;
    }

    /// <summary>The code of a certificate of one of the demo learner's completions.</summary>
    private static async Task<string> CertificateCodeAsync(BrowserFixture browser, CertificationsDbContext db, int learnerId)
    {
        var period = await db.Periods.Where(p => p.Assignment!.LearnerId == learnerId && p.CompletedAt != null)
            .OrderBy(p => p.Id).Select(p => new { p.Assignment!.CertificationId, p.Number, p.Id }).FirstAsync();
        var certificates = browser.Portal.Services.GetRequiredService<CertificateService>();
        Assert.NotNull(await certificates.GetDocumentAsync(Actor.Admin("accessibility-check@example.com"), learnerId, period.CertificationId, period.Number));
        return VerificationCode.Display(await db.Certificates.Where(c => c.PeriodId == period.Id).Select(c => c.Code).SingleAsync());
    }
}
