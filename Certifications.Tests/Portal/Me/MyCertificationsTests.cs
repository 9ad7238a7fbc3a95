using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Manage;
using Certifications.Portal.Components.Pages.Me;
using Certifications.Portal.Components.Shared;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Me;

/// <summary>The learner's own page at /me follows assignments and publications as they happen, without a reload.</summary>
public sealed class MyCertificationsTests : ComponentTestContext
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

    private EventHub Events => Context.Services.GetRequiredService<EventHub>();

    private async Task<int> PublishedAsync(string name, bool publish = true)
    {
        var certifications = Context.Services.GetRequiredService<CertificationService>();
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [courseId] }, Admin);
        if (publish)
        {
            await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin);
        }

        return created.Id!.Value;
    }

    /// <summary>Written straight to the database, as another node would, so that only the event can tell the page.</summary>
    private async Task AssignQuietlyAsync(int certificationId, int learnerId)
    {
        await using var db = Database.CreateContext();
        var now = Time.GetUtcNow().UtcDateTime;
        db.Assignments.Add(new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learnerId,
            AssignedAt = now,
            StatusChangedAt = now,
            CoursesRequired = 1,
            Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = now }],
        });
        await db.SaveChangesAsync();
    }

    private static IReadOnlyList<string> CardNames(IRenderedComponent<MyCertifications> cut) =>
        [.. cut.FindAll("[data-test='panel-certification'] h3").Select(h => h.TextContent.Trim())];

    [Fact]
    public async Task AnAssignmentAnnouncedForTheLearnerAppearsWithoutAReload()
    {
        var id = await PublishedAsync("Workplace Safety", publish: true);
        var cut = Context.Render<MyCertifications>();
        cut.WaitForAssertion(() => cut.Find("[data-test='no-certifications']"));

        await AssignQuietlyAsync(id, bob.Id);
        await Events.PublishAsync(new AssignmentsChanged(id, [bob.Id]));

        cut.WaitForAssertion(() => Assert.Equal(["Workplace Safety"], CardNames(cut)));
    }

    [Fact]
    public async Task AnAssignmentAnnouncedForSomeoneElseDoesNotReloadThePanel()
    {
        var id = await PublishedAsync("Workplace Safety");
        var cut = Context.Render<MyCertifications>();
        cut.WaitForAssertion(() => cut.Find("[data-test='no-certifications']"));

        await AssignQuietlyAsync(id, bob.Id);
        await Events.PublishAsync(new AssignmentsChanged(id, [alice.Id]));
        await Events.PublishAsync(new ResultsRecorded([alice.Id]));

        // Any reload the events had asked for would have rendered by the time the page's reloads are idle.
        await cut.FindComponent<LiveLearnerPanel>().Instance.Live.Idle;
        Assert.Empty(CardNames(cut));
        Assert.Single(cut.FindAll("[data-test='no-certifications']"));
    }

    [Fact]
    public async Task ANewResultOfTheLearnerMovesTheGradeWithoutAReloadEvenWhenNoStatusChanged()
    {
        var id = await PublishedAsync("Workplace Safety");
        await AssignQuietlyAsync(id, bob.Id);
        var cut = Context.Render<MyCertifications>();
        cut.WaitForAssertion(() => Assert.Contains("no graded result yet", cut.Find("[data-test='course-grade']").TextContent, StringComparison.Ordinal));

        await using (var db = Database.CreateContext())
        {
            var step = await db.Steps.Where(s => s.CourseId == courseId && s.IsGraded).OrderBy(s => s.Position).FirstAsync();
            var now = Time.GetUtcNow().UtcDateTime;
            db.StepResults.Add(new StepResult { LearnerId = bob.Id, StepId = step.Id, Score = 40, CompletedAt = now, ReceivedAt = now, ExternalId = "quiet-1" });
            await db.SaveChangesAsync();
        }

        await Events.PublishAsync(new ResultsRecorded([bob.Id]));

        cut.WaitForAssertion(() => Assert.Equal("20 %", cut.Find("[data-test='course-grade']").TextContent.Replace('\u00A0', ' ').Trim()));
    }

    [Fact]
    public async Task ACertificationPublishedElsewhereAppearsUnderAvailableAndStartingItMakesItTheLearners()
    {
        var cut = Context.Render<MyCertifications>();
        cut.WaitForAssertion(() => cut.Find("[data-test='no-certifications']"));

        await PublishedAsync("Sales 101");
        cut.WaitForAssertion(() => Assert.Contains("Sales 101", cut.Find("[data-test='available-certification']").TextContent, StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("button[data-test='start-certification']").Click());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Sales 101"], CardNames(cut));
            Assert.Empty(cut.FindAll("[data-test='available-certification']"));
        });
    }

    [Fact]
    public async Task LeavingThePageStopsListening()
    {
        var cut = Context.Render<MyCertifications>();
        cut.WaitForAssertion(() => cut.Find("[data-test='no-certifications']"));
        Assert.Equal(1, Events.SubscriberCount);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, Events.SubscriberCount);
    }

    [Fact]
    public async Task AManagersViewOfTheLearnerFollowsTheirAssignmentsTooButOffersNoStart()
    {
        SignInAs("admin@example.com", learnerId: null, PortalRoles.Admin, PortalRoles.Manager, PortalRoles.Learner);
        var id = await PublishedAsync("Workplace Safety");
        await PublishedAsync("Sales 101");
        var cut = Context.Render<TeamMemberPage>(p => p.Add(c => c.LearnerId, bob.Id));
        cut.WaitForAssertion(() => cut.Find("[data-test='available-certification']"));

        await AssignQuietlyAsync(id, bob.Id);
        await Events.PublishAsync(new AssignmentsChanged(id, [bob.Id]));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test='panel-certification']")));
        Assert.Empty(cut.FindAll("[data-test='start-certification']"));
        Assert.Contains("Bob Safety", cut.Find("h1").TextContent, StringComparison.Ordinal);
    }
}
