using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Notifications;
using Certifications.Core.Security;
using Certifications.Portal.Components.Layout;
using Certifications.Portal.Components.Pages.Notifications;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Notifications;

/// <summary>The bell's unread count follows notifications as they are recorded and read; the page lists, pages and marks them read.</summary>
public sealed class NotificationsPageTests : ComponentTestContext
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private Learner bob = null!;
    private Learner alice = null!;
    private int courseId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        courseId = (await TestCatalog.AddCourseAsync(Database, "Safety 101")).Id;
        await using var db = Database.CreateContext();
        bob = await TestCatalog.AddLearnerAsync(db, "Bob Safety");
        alice = await TestCatalog.AddLearnerAsync(db, "Alice Other");
        SignInAs(bob.Email, bob.Id, PortalRoles.Learner);
    }

    private async Task<int> PublishedAsync(string name)
    {
        var certifications = Context.Services.GetRequiredService<CertificationService>();
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [courseId] }, Admin);
        await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin);
        return created.Id!.Value;
    }

    /// <summary>An admin enrols the learner from their profile card: they are told they were assigned.</summary>
    private async Task EnrolAsync(Learner learner, int certificationId) =>
        Assert.True((await Context.Services.GetRequiredService<EnrollmentService>().SaveIndividualAsync(Admin, learner.Id, [certificationId], [])).Succeeded);

    [Fact]
    public async Task TheBellCountsNewNotificationsLiveAndOnlyTheSignedInPersonsOwn()
    {
        var forklift = await PublishedAsync("Forklift");
        var ladder = await PublishedAsync("Ladder safety");
        var bell = Context.Render<NotificationBell>();
        Assert.Equal("Notifications", bell.Find("[data-test=notification-bell]").GetAttribute("aria-label"));

        await EnrolAsync(alice, forklift);
        await EnrolAsync(bob, forklift);
        bell.WaitForAssertion(() => Assert.Equal("Notifications: 1 unread", bell.Find("[data-test=notification-bell]").GetAttribute("aria-label")));

        await EnrolAsync(bob, ladder);
        bell.WaitForAssertion(() => Assert.Equal("Notifications: 2 unread", bell.Find("[data-test=notification-bell]").GetAttribute("aria-label")));

        // Read on the page: the bell follows.
        await Context.Services.GetRequiredService<NotificationInbox>().MarkAllReadAsync(new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner }));
        bell.WaitForAssertion(() => Assert.Equal("Notifications", bell.Find("[data-test=notification-bell]").GetAttribute("aria-label")));
    }

    [Fact]
    public async Task ThePageListsTheNotificationsNewestFirstAndMarksThemRead()
    {
        var forklift = await PublishedAsync("Forklift");
        var ladder = await PublishedAsync("Ladder safety");
        await EnrolAsync(bob, forklift);
        var page = Context.Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=notification]")));

        // A notification recorded while the page is open appears on it.
        await EnrolAsync(bob, ladder);
        page.WaitForAssertion(() => Assert.Equal(
            ["New certification: Ladder safety", "New certification: Forklift"],
            page.FindAll("[data-test=notification-subject]").Select(e => e.TextContent)));
        Assert.All(page.FindAll("[data-test=notification-link]"), link => Assert.EndsWith("/me", link.GetAttribute("href"), StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("[data-test=mark-read]")[0].Click());
        page.WaitForAssertion(() => Assert.Equal(["true", "false"], page.FindAll("[data-test=notification]").Select(e => e.GetAttribute("data-read"))));

        await page.InvokeAsync(() => page.Find("[data-test=mark-all-read] button, button[data-test=mark-all-read]").Click());
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-test=notification]"), e => Assert.Equal("true", e.GetAttribute("data-read"))));
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Notifications.CountAsync(n => n.RecipientId == bob.Id && n.ReadAt == null));
    }

    [Fact]
    public async Task NobodyMarksAnotherPersonsNotificationRead()
    {
        var forklift = await PublishedAsync("Forklift");
        await EnrolAsync(alice, forklift);
        await using var db = Database.CreateContext();
        var alices = await db.Notifications.SingleAsync(n => n.RecipientId == alice.Id);
        var inbox = Context.Services.GetRequiredService<NotificationInbox>();
        var asBob = new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner });

        Assert.False(await inbox.MarkReadAsync(asBob, alices.Id));
        Assert.Empty((await inbox.PageAsync(asBob, 0, 20)).Rows);
        Assert.Null((await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == alices.Id)).ReadAt);
    }
}
