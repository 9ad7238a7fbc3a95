using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Enrollment;

public sealed class GroupEnrollmentTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private TestDatabase database = null!;
    private CertificationService service = null!;
    private Course safety = null!;
    private Group warehouse = null!;
    private Group nightShift = null!;
    private Group finance = null!;
    private Learner both = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        service = TestServices.Certifications(database.Factory, time, events, new AccessGuard(database.Factory, time));
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101");
        warehouse = await TestCatalog.AddGroupAsync(database, "Warehouse", safety);
        nightShift = await TestCatalog.AddGroupAsync(database, "Night shift", safety);
        finance = await TestCatalog.AddGroupAsync(database, "Finance", safety);
        await using var db = database.CreateContext();
        var now = time.GetUtcNow().UtcDateTime;
        both = await TestCatalog.AddLearnerAsync(db, "Bea Both");
        var onlyWarehouse = await TestCatalog.AddLearnerAsync(db, "Will Warehouse");
        var onlyFinance = await TestCatalog.AddLearnerAsync(db, "Fay Finance");
        db.GroupMembers.AddRange(
            new GroupMember { GroupId = warehouse.Id, LearnerId = both.Id, JoinedAt = now },
            new GroupMember { GroupId = nightShift.Id, LearnerId = both.Id, JoinedAt = now },
            new GroupMember { GroupId = warehouse.Id, LearnerId = onlyWarehouse.Id, JoinedAt = now },
            new GroupMember { GroupId = finance.Id, LearnerId = onlyFinance.Id, JoinedAt = now });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<CertificationOutcome> PublishedAsync(int graceDays, params int[] groups)
    {
        var created = await service.CreateAsync(
            new CertificationDraft { Name = "Workplace Safety", EffectiveFrom = new DateOnly(2026, 3, 1), GraceDays = graceDays, CourseIds = [safety.Id], GroupIds = [.. groups] },
            Admin);
        return await service.PublishAsync(created.Id!.Value, created.Version!.Value, Admin);
    }

    [Fact]
    public async Task PublishingAssignsEveryMemberOnceWithEachTargetedGroupAsASourceAndTheGraceInForce()
    {
        var impactBefore = await DraftImpactAsync();
        var published = await PublishedAsync(5, warehouse.Id, nightShift.Id);

        Assert.True(published.Succeeded);
        await using var db = database.CreateContext();
        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Sources).Include(a => a.Learner).OrderBy(a => a.Learner!.Name).ToListAsync();
        Assert.Equal(["Bea Both", "Will Warehouse"], assignments.Select(a => a.Learner!.Name));
        Assert.Equal(new[] { warehouse.Id, nightShift.Id }.Order(), assignments[0].Sources.Select(s => s.GroupId!.Value).Order());
        Assert.All(assignments, a => Assert.Equal((5, time.GetUtcNow().UtcDateTime, AssignmentStatus.NotStarted, 1), (a.GraceDays, a.AssignedAt, a.Status, a.CoursesRequired)));
        Assert.All(assignments.SelectMany(a => a.Sources), s => Assert.Equal(AssignmentSourceKind.Group, s.Kind));
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "Published");
        Assert.Contains("\"AssignmentsCreated\":2", audit.Changes, StringComparison.Ordinal);
        Assert.Equal(2, impactBefore);
    }

    [Fact]
    public async Task ALearnerReachedThroughTwoTargetedGroupsIsToldOnceThatTheyWereAssigned()
    {
        var published = await PublishedAsync(5, warehouse.Id, nightShift.Id);
        Assert.True(published.Succeeded);

        // Publishing again after a change re-synchronises both groups: still one notification.
        var draft = (await service.GetForEditAsync(Admin, published.Id!.Value))!.Draft;
        draft.Description = "Now with a refresher on ladders.";
        Assert.True((await service.UpdateAsync(draft, Admin)).Succeeded);

        await using var db = database.CreateContext();
        var assigned = await db.Notifications.AsNoTracking()
            .Where(n => n.Kind == NotificationKind.Assigned)
            .Select(n => new { n.RecipientId, n.LearnerId })
            .ToListAsync();
        Assert.Single(assigned, n => n.LearnerId == both.Id);
        Assert.Equal(both.Id, assigned.Single(n => n.LearnerId == both.Id).RecipientId);
        Assert.Equal(2, assigned.Count);
    }

    [Fact]
    public async Task ALaterChangeOfTheGracePeriodLeavesAssignedLearnersAsTheyWere()
    {
        var published = await PublishedAsync(5, warehouse.Id);
        var draft = (await service.GetForEditAsync(Admin, published.Id!.Value))!.Draft;
        draft.GraceDays = 30;
        draft.GroupIds.Add(finance.Id);

        Assert.True((await service.UpdateAsync(draft, Admin)).Succeeded);

        await using var db = database.CreateContext();
        var graces = await db.Assignments.AsNoTracking().OrderBy(a => a.LearnerId).Select(a => new { a.Learner!.Name, a.GraceDays }).ToListAsync();
        Assert.Equal([("Bea Both", 5), ("Will Warehouse", 5), ("Fay Finance", 30)], graces.Select(g => (g.Name, g.GraceDays)));
    }

    [Fact]
    public async Task SavingAPublishedCertificationAgainCreatesNoSecondAssignmentOrSource()
    {
        var published = await PublishedAsync(0, warehouse.Id, nightShift.Id);
        var draft = (await service.GetForEditAsync(Admin, published.Id!.Value))!.Draft;
        draft.Description = "Now with a description";

        await service.UpdateAsync(draft, Admin);

        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Assignments.CountAsync());
        Assert.Equal(3, await db.AssignmentSources.CountAsync());
    }

    [Fact]
    public async Task NewAssignmentsGetTheirStatusFromTheRulesAtOnceAndAreAnnounced()
    {
        var seen = new List<PortalEvent>();
        using var _ = events.Subscribe(e =>
        {
            seen.Add(e);
            return Task.CompletedTask;
        });
        var created = await service.CreateAsync(
            new CertificationDraft { Name = "Forklift", EffectiveFrom = new DateOnly(2026, 4, 1), CourseIds = [safety.Id], GroupIds = [warehouse.Id] }, Admin);

        await service.PublishAsync(created.Id!.Value, created.Version!.Value, Admin);

        await using var db = database.CreateContext();
        Assert.All(await db.Assignments.AsNoTracking().ToListAsync(), a => Assert.Equal(AssignmentStatus.Scheduled, a.Status));
        Assert.Contains(seen, e => e is AssignmentsChanged changed && changed.LearnerIds.Count == 2);
    }

    private async Task<int> DraftImpactAsync()
    {
        var created = await service.CreateAsync(
            new CertificationDraft { Name = "Preview", EffectiveFrom = new DateOnly(2026, 3, 1), CourseIds = [safety.Id], GroupIds = [warehouse.Id, nightShift.Id] }, Admin);
        var impact = await service.GetImpactAsync(Admin, created.Id!.Value);
        await service.DeleteAsync(created.Id!.Value, created.Version!.Value, Admin);
        return impact.WouldBeAssigned;
    }

    [Fact]
    public async Task ALearnerWithdrawnAndAgainInATargetedGroupGetsTheSameAssignmentBack()
    {
        var published = await PublishedAsync(5, warehouse.Id);
        int assignmentId;
        await using (var db = database.CreateContext())
        {
            assignmentId = await db.Assignments.Where(a => a.LearnerId == both.Id).Select(a => a.Id).SingleAsync();
            await db.Assignments.Where(a => a.Id == assignmentId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.WithdrawnAt, time.GetUtcNow().UtcDateTime)
                .SetProperty(a => a.Status, AssignmentStatus.Withdrawn));
        }

        var draft = (await service.GetForEditAsync(Admin, published.Id!.Value))!.Draft;
        draft.GroupIds.Add(nightShift.Id);
        await service.UpdateAsync(draft, Admin);

        await using var after = database.CreateContext();
        var restored = await after.Assignments.AsNoTracking().SingleAsync(a => a.LearnerId == both.Id);
        Assert.Equal((assignmentId, (DateTime?)null, AssignmentStatus.NotStarted, 5), (restored.Id, restored.WithdrawnAt, restored.Status, restored.GraceDays));
    }
}
