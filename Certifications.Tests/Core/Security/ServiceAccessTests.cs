using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Security;

/// <summary>The services decide who may see and change what, whatever a page showed or hid.</summary>
public sealed class ServiceAccessTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private AccessGuard guard = null!;
    private Learner director = null!;
    private Learner manager = null!;
    private Learner report = null!;
    private Learner reportOfReport = null!;
    private Learner outsider = null!;
    private int visibleId;
    private int invisibleId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        guard = new AccessGuard(database.Factory, time);
        await using var db = database.CreateContext();
        director = await TestCatalog.AddLearnerAsync(db, "Dana Director");
        manager = await TestCatalog.AddLearnerAsync(db, "Mia Manager");
        report = await TestCatalog.AddLearnerAsync(db, "Remy Report");
        reportOfReport = await TestCatalog.AddLearnerAsync(db, "Rita Report");
        outsider = await TestCatalog.AddLearnerAsync(db, "Otto Outsider");
        manager.ManagerId = director.Id;
        report.ManagerId = manager.Id;
        reportOfReport.ManagerId = report.Id;
        await db.SaveChangesAsync();

        var course = await TestCatalog.AddCourseAsync(database, "Safety 101");
        var service = TestServices.Certifications(database.Factory, time, new EventHub(), guard);
        visibleId = await PublishedAsync(service, "Workplace Safety", invisible: false, course.Id);
        invisibleId = await PublishedAsync(service, "Manager Essentials", invisible: true, course.Id);
        await using var assign = database.CreateContext();
        foreach (var certificationId in new[] { visibleId, invisibleId })
        {
            assign.Assignments.Add(new Assignment { CertificationId = certificationId, LearnerId = reportOfReport.Id, AssignedAt = time.GetUtcNow().UtcDateTime, Status = AssignmentStatus.InProgress });
        }

        await assign.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static Actor LearnerActor(Learner learner) => new(learner.Email, learner.Id, new HashSet<string> { PortalRoles.Learner });

    private static Actor ManagerActor(Learner learner) => new(learner.Email, learner.Id, new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });

    private static async Task<int> PublishedAsync(CertificationService service, string name, bool invisible, int courseId)
    {
        var created = await service.CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [courseId], IsInvisible = invisible }, Actor.System);
        await service.PublishAsync(created.Id!.Value, created.Version!.Value, Actor.System);
        return created.Id!.Value;
    }

    private async Task<List<string>> DeniedAttemptsAsync()
    {
        await using var db = database.CreateContext();
        return await db.AuditEntries.Where(e => e.Action == "AccessDenied").Select(e => e.Actor + " -> " + e.EntityId).ToListAsync();
    }

    [Fact]
    public async Task AManagerSeesDirectAndIndirectReportsButIsRefusedAnyoneElseAndTheAttemptIsAudited()
    {
        var panels = new LearnerPanelService(database.Factory, guard, time, OrganisationCalendar.Utc);

        Assert.NotNull(await panels.GetPanelAsync(ManagerActor(manager), report.Id));
        Assert.NotNull(await panels.GetPanelAsync(ManagerActor(manager), reportOfReport.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => panels.GetPanelAsync(ManagerActor(manager), outsider.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => panels.GetPanelAsync(ManagerActor(manager), director.Id));

        Assert.Equal([$"{manager.Email} -> learner #{outsider.Id}", $"{manager.Email} -> learner #{director.Id}"], await DeniedAttemptsAsync());
    }

    [Fact]
    public async Task ALearnerSeesTheirOwnPanelWithoutInvisibleCertificationsAndIsRefusedAnothers()
    {
        var panels = new LearnerPanelService(database.Factory, guard, time, OrganisationCalendar.Utc);

        var own = await panels.GetPanelAsync(LearnerActor(reportOfReport), reportOfReport.Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => panels.GetPanelAsync(LearnerActor(reportOfReport), report.Id));

        Assert.Equal(["Workplace Safety"], own!.Certifications.Select(c => c.Name));
        Assert.Single(await DeniedAttemptsAsync());
    }

    [Fact]
    public async Task ManagersAndAdminsSeeAReportsInvisibleCertifications()
    {
        var panels = new LearnerPanelService(database.Factory, guard, time, OrganisationCalendar.Utc);

        var asManager = await panels.GetPanelAsync(ManagerActor(manager), reportOfReport.Id);
        var asAdmin = await panels.GetPanelAsync(Actor.Admin("admin@example.com"), reportOfReport.Id);

        Assert.Equal(["Manager Essentials", "Workplace Safety"], asManager!.Certifications.Select(c => c.Name));
        Assert.True(asAdmin!.Certifications.Single(c => c.Name == "Manager Essentials").IsInvisible);
    }

    [Fact]
    public async Task TheTeamIsEveryoneBelowTheManagerAndOnlyManagersHaveOne()
    {
        var teams = new TeamService(database.Factory, guard);

        var team = await teams.GetTeamAsync(ManagerActor(manager));
        await Assert.ThrowsAsync<AccessDeniedException>(() => teams.GetTeamAsync(LearnerActor(report)));

        Assert.Equal(["Remy Report", "Rita Report"], team.Select(t => t.Name));
        Assert.Equal((2, 0, 2, 0, 0), (team[1].Assigned, team[1].Done, team[1].InProgress, team[1].NotStarted, team[1].NeedsAttention));
    }

    [Fact]
    public async Task AForgedPublishFromANonAdminChangesNothingAndIsAudited()
    {
        var service = TestServices.Certifications(database.Factory, time, new EventHub(), guard);
        var draft = await service.CreateAsync(
            new CertificationDraft { Name = "Fire Warden", EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = [] }, Actor.System);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.PublishAsync(draft.Id!.Value, draft.Version!.Value, ManagerActor(manager)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync(LearnerActor(report), new CertificationListQuery()));

        Assert.Equal(CertificationState.Draft, (await service.GetForEditAsync(Actor.System, draft.Id!.Value))!.State);
        Assert.Equal(2, (await DeniedAttemptsAsync()).Count);
    }

    [Fact]
    public async Task AnonymousIsRefusedEverywhere()
    {
        var panels = new LearnerPanelService(database.Factory, guard, time, OrganisationCalendar.Utc);
        var search = new CatalogSearch(database.Factory, guard);

        await Assert.ThrowsAsync<AccessDeniedException>(() => panels.GetPanelAsync(Actor.Anonymous, report.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => search.SearchCoursesAsync(Actor.Anonymous, "safety"));
    }
}
