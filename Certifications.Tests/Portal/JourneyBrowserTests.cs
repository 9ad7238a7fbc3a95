using System.Globalization;
using System.Net.Http.Json;
using Certifications.Core.Catalog;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

/// <summary>
/// A portal of its own whose clock the test holds, without demo data: an administrator from the bootstrap settings, and a
/// manager, a learner reporting to her, a course and a group that no other test knows.
/// </summary>
public sealed class JourneyPortal : IAsyncLifetime
{
    public const string AdminEmail = "jade.journey@example.com";
    public const string ManagerEmail = "mara.journey@example.com";
    public const string LearnerEmail = "leo.journey@example.com";
    public const string Password = "journey passphrase 2026";

    private IPlaywright? playwright;

    public ShiftedClock Clock { get; } = new();

    public PortalFactory Portal { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public int LearnerId { get; private set; }

    public int StepId { get; private set; }

    public JourneyPortal() => Portal = new PortalFactory(
        seedDemoData: false,
        new Dictionary<string, string?>
        {
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = Password,
            ["Scheduler:Enabled"] = "true",
        },
        testServices: services => services.AddSingleton<TimeProvider>(Clock));

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        BaseAddress = Portal.StartOnRealPort();
        await PrepareAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(playwright);
    }

    private async Task PrepareAsync()
    {
        var services = Portal.Services;
        await using (var db = await services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync())
        {
            var mara = new Learner { Name = "Mara Journey", Email = ManagerEmail, NormalizedEmail = ManagerEmail.ToUpperInvariant() };
            db.Learners.Add(mara);
            await db.SaveChangesAsync();
            var leo = new Learner { Name = "Leo Journey", Email = LearnerEmail, NormalizedEmail = LearnerEmail.ToUpperInvariant(), ManagerId = mara.Id };
            var course = new Course { Title = "Journey Ladder Safety", IsPublished = true, Steps = [new Step { Title = "Ladder quiz", Position = 1, IsGraded = true }] };
            db.AddRange(leo, course);
            await db.SaveChangesAsync();
            db.Groups.Add(new Group
            {
                Name = "Journey Rope Team",
                Courses = [new GroupCourse { CourseId = course.Id }],
                Members = [new GroupMember { LearnerId = leo.Id }],
            });
            await db.SaveChangesAsync();
            (LearnerId, StepId) = (leo.Id, course.Steps[0].Id);
            await AccountAsync(services, ManagerEmail, "Mara Journey", mara.Id, PortalRoles.Learner, PortalRoles.Manager);
            await AccountAsync(services, LearnerEmail, "Leo Journey", leo.Id, PortalRoles.Learner);
        }
    }

    private static async Task AccountAsync(IServiceProvider services, string email, string name, int learnerId, params string[] roles)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LearnerId = learnerId };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
    }

    /// <summary>A browser session of its own, signed in through the form, on the path once it is interactive.</summary>
    public async Task<IPage> OpenAsync(string email, string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email, Password);
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    public async Task<int> CertificationIdAsync(string name)
    {
        await using var db = await Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        return await db.Certifications.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    /// <summary>Sends one result through the API, as the learning platform would, scored at the portal's current instant.</summary>
    public async Task<string> PostResultAsync(string apiKey, decimal score)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/results")
        {
            Content = JsonContent.Create(new
            {
                results = new[]
                {
                    new
                    {
                        externalId = $"journey-{Guid.NewGuid():N}",
                        learnerId = LearnerId,
                        stepId = StepId,
                        score,
                        completedAt = Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    },
                },
            }),
        };
        request.Headers.Add("X-Api-Key", apiKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
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

/// <summary>
/// The portal's clock for the journey: the machine's, moved on by the test. A FakeTimeProvider would stand still, and
/// MudBlazor takes the container's clock for its timers too (the search boxes' debounce), so they would never fire;
/// this one runs in real time between the test's jumps, so everything waits as in production.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}

/// <summary>
/// The product's whole journey in Chromium, in order: an admin builds and publishes a certification for a group, a learner
/// of the group completes it through results sent to the API while their manager watches, the calendar (the test's clock,
/// run by the scheduler) brings the renewal, the learner renews, and the certification is retired with the record kept.
/// </summary>
public sealed class JourneyBrowserTests(JourneyPortal journey) : IClassFixture<JourneyPortal>
{
    private const string Certification = "Journey Rope Access";

    private static ILocator Option(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text }).First;

    private static ILocator StatusOnPanel(IPage page, int certificationId, string status) =>
        page.Locator($"[data-test='panel-certification'][data-certification-id='{certificationId}'] [data-status='{status}']");

    private static ILocator StatusOnRoster(IPage page, int learnerId, string status) =>
        page.Locator($"[data-test='roster-status'][data-learner-id='{learnerId}'] [data-status='{status}']");

    [Fact]
    public async Task APublishedCertificationIsCompletedWatchedRenewedAndKeptAfterRetirement()
    {
        // The admin creates the certification in the wizard (renewed every month) and publishes it to the group.
        var admin = await journey.OpenAsync(JourneyPortal.AdminEmail, "/admin/automate/certifications");
        await admin.Locator("[data-test='new-certification']").ClickAsync();
        await admin.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(Certification);
        await admin.GetByText("Step 2 - Timing and Renewal").ClickAsync();
        await admin.GetByText("Renewal required").ClickAsync();
        await admin.Locator(".mud-select", new() { HasText = "Renewal period" }).First.ClickAsync();
        await Option(admin, "Every month").ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-select", new() { HasText = "Renewal period" }).First).ToContainTextAsync("Every month");
        await admin.GetByText("Step 3 - Course Requirements").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Step 3 – Course Requirements" })).ToBeVisibleAsync();
        await admin.GetByLabel("Search and add requisite courses").FillAsync("ladder");
        await Option(admin, "Journey Ladder Safety").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-test='included-course']")).ToContainTextAsync("Journey Ladder Safety");
        await admin.GetByText("Step 4 - Enrolment Requirements").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Step 4 – Enrolment Requirements" })).ToBeVisibleAsync();
        await admin.GetByLabel("Search and add targeted groups").FillAsync("rope team");
        await Assertions.Expect(Option(admin, "Journey Rope Team")).ToHaveAttributeAsync("aria-selected", "true");
        await admin.GetByLabel("Search and add targeted groups").PressAsync("Enter");
        await Assertions.Expect(admin.Locator("[data-test='targeted-group']")).ToContainTextAsync("Journey Rope Team");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await admin.WaitForURLAsync(url => url.EndsWith("/admin/automate/certifications", StringComparison.Ordinal));
        await Assertions.Expect(admin.Locator("tr", new() { Has = admin.GetByText(Certification, new() { Exact = true }) })).ToContainTextAsync("Published");
        var certificationId = await journey.CertificationIdAsync(Certification);

        // The learner of the group finds it on /me; the manager opens its roster in another browser session.
        var learner = await journey.OpenAsync(JourneyPortal.LearnerEmail, "/me");
        await Assertions.Expect(StatusOnPanel(learner, certificationId, "NotStarted")).ToBeVisibleAsync();
        var manager = await journey.OpenAsync(JourneyPortal.ManagerEmail, $"/manage/certifications/{certificationId}");
        await Assertions.Expect(StatusOnRoster(manager, journey.LearnerId, "NotStarted")).ToBeVisibleAsync();

        // The admin creates an API key on its page; the learning platform sends the learner's passing grade with it.
        await admin.GotoAsync("/admin/settings/api-keys");
        await admin.Locator("[data-interactive='true']").WaitForAsync();
        await admin.Locator("[data-test='new-api-key']").ClickAsync();
        await admin.Locator("input[data-test='api-key-name-field']").FillAsync("Journey learning platform");
        await admin.Locator("[data-test='create-api-key']").ClickAsync();
        var apiKey = await admin.Locator("input[data-test='api-key-secret']").InputValueAsync();
        Assert.StartsWith("cpk_", apiKey, StringComparison.Ordinal);
        await admin.Locator("[data-test='secret-done']").ClickAsync();
        journey.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Contains("\"accepted\":1", await journey.PostResultAsync(apiKey, 88m), StringComparison.Ordinal);

        // Both open pages show the completion without a reload.
        await Assertions.Expect(StatusOnPanel(learner, certificationId, "Certified")).ToBeVisibleAsync();
        await Assertions.Expect(StatusOnRoster(manager, journey.LearnerId, "Certified")).ToBeVisibleAsync();

        // Twenty days on, the renewal window (the last 15 days of the month) is open: the scheduler's run says so.
        journey.Clock.Advance(TimeSpan.FromDays(20));
        var scheduler = await journey.OpenAsync(JourneyPortal.AdminEmail, "/admin/settings/scheduler");
        await scheduler.Locator("[data-test='run-now']").ClickAsync();
        await Assertions.Expect(StatusOnPanel(learner, certificationId, "ExpiringSoon")).ToBeVisibleAsync();
        await Assertions.Expect(StatusOnRoster(manager, journey.LearnerId, "ExpiringSoon")).ToBeVisibleAsync();

        // Past the month, unrenewed: Renewal due.
        journey.Clock.Advance(TimeSpan.FromDays(15));
        await scheduler.Locator("[data-test='run-now']").ClickAsync();
        await Assertions.Expect(StatusOnPanel(learner, certificationId, "RenewalDue")).ToBeVisibleAsync();
        await Assertions.Expect(StatusOnRoster(manager, journey.LearnerId, "RenewalDue")).ToBeVisibleAsync();

        // The learner replays the course: certified again, for a second period.
        journey.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Contains("\"accepted\":1", await journey.PostResultAsync(apiKey, 91m), StringComparison.Ordinal);
        await Assertions.Expect(StatusOnPanel(learner, certificationId, "Certified")).ToBeVisibleAsync();
        await Assertions.Expect(StatusOnRoster(manager, journey.LearnerId, "Certified")).ToBeVisibleAsync();

        // The admin retires it: the learner's completed record stays on /me, under what is no longer offered.
        var list = await journey.OpenAsync(JourneyPortal.AdminEmail, "/admin/automate/certifications");
        await list.GetByRole(AriaRole.Button, new() { Name = $"Actions for {Certification}" }).ClickAsync();
        await list.GetByRole(AriaRole.Menuitem, new() { Name = "Retire" }).ClickAsync();
        await list.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Retire" }).ClickAsync();
        await Assertions.Expect(list.Locator("tr", new() { Has = list.GetByText(Certification, new() { Exact = true }) })).ToContainTextAsync("Retired");
        learner = await journey.OpenAsync(JourneyPortal.LearnerEmail, "/me");
        var kept = learner.Locator("[data-test='no-longer-offered']", new() { HasText = Certification });
        await Assertions.Expect(kept).ToBeVisibleAsync();
        await Assertions.Expect(kept.Locator("[data-test='retired-period']")).ToHaveCountAsync(2);
        await Assertions.Expect(learner.Locator("[data-test='panel-certification']")).ToHaveCountAsync(0);
    }
}
