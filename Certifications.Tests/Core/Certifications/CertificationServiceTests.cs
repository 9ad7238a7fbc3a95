using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Certifications;

public sealed class CertificationServiceTests : IAsyncLifetime
{
    private static readonly Actor Alice = Actor.Admin("alice@example.com");
    private static readonly Actor Bruno = Actor.Admin("bruno@example.com");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private TestDatabase database = null!;
    private CertificationService service = null!;
    private int safetyId;
    private int fireId;
    private int warehouseId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        service = TestServices.Certifications(database.Factory, time, events, new AccessGuard(database.Factory, time));
        var safety = await TestCatalog.AddCourseAsync(database, "Safety 101");
        var fire = await TestCatalog.AddCourseAsync(database, "Fire Warden");
        safetyId = safety.Id;
        fireId = fire.Id;
        warehouseId = (await TestCatalog.AddGroupAsync(database, "Warehouse", safety, fire)).Id;
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private CertificationDraft Draft(string name = "Workplace Safety") => new()
    {
        Name = name,
        EffectiveFrom = new DateOnly(2026, 3, 1),
        MinimumPassingGrade = 70,
        GraceDays = 5,
        CourseIds = [safetyId, fireId],
        GroupIds = [warehouseId],
    };

    [Fact]
    public async Task ADraftIsCreatedWithItsCoursesGroupsAndAnAuditEntry()
    {
        var outcome = await service.CreateAsync(Draft(), Alice);

        Assert.True(outcome.Succeeded);
        var edit = await service.GetForEditAsync(Alice, outcome.Id!.Value);
        Assert.NotNull(edit);
        Assert.Equal(CertificationState.Draft, edit.State);
        Assert.Equal([safetyId, fireId], edit.Draft.CourseIds);
        Assert.Equal([warehouseId], edit.Draft.GroupIds);
        Assert.Equal(outcome.Version, edit.Draft.Version);
        await using var db = database.CreateContext();
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal(("alice@example.com", "Created", time.GetUtcNow().UtcDateTime), (audit.Actor, audit.Action, audit.At));
        Assert.Contains("Workplace Safety", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidDraftSavesNothingAndSaysWhichFieldIsWrong()
    {
        var draft = Draft();
        draft.Name = "ab";
        draft.GraceDays = 400;

        var outcome = await service.CreateAsync(draft, Alice);

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.Name));
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.GraceDays));
        await using var db = database.CreateContext();
        Assert.Empty(await db.Certifications.ToListAsync());
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task ASecondCertificationWithTheSameNameIsRefused()
    {
        Assert.True((await service.CreateAsync(Draft(), Alice)).Succeeded);
        var outcome = await service.CreateAsync(Draft(" workplace safety "), Alice);
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.Name) && e.Message.Contains("already called", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSecondOfTwoAdminsEditingTheSameVersionIsRefusedAndNothingIsOverwritten()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var alicesCopy = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;
        var brunosCopy = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;

        alicesCopy.Description = "Alice's text";
        Assert.True((await service.UpdateAsync(alicesCopy, Alice)).Succeeded);
        brunosCopy.Description = "Bruno's text";
        var outcome = await service.UpdateAsync(brunosCopy, Bruno);

        Assert.Equal(FailureKind.Conflict, outcome.Failure);
        Assert.Contains("changed by someone else (alice@example.com", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("reload", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("Alice's text", (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft.Description);
    }

    [Fact]
    public async Task AnUpdateRecordsWhatChangedFromAndTo()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var draft = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;
        draft.GraceDays = 10;
        draft.CourseIds = [safetyId];

        var updated = await service.UpdateAsync(draft, Bruno);

        Assert.True(updated.Succeeded);
        Assert.NotEqual(created.Version, updated.Version);
        await using var db = database.CreateContext();
        var audit = await db.AuditEntries.Where(e => e.Action == "Updated").SingleAsync();
        Assert.Equal("bruno@example.com", audit.Actor);
        Assert.Contains("\"GraceDays\":{\"From\":5,\"To\":10}", audit.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain("Name", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingWithoutChangesKeepsTheVersionAndWritesNoAudit()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var draft = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;
        var again = await service.UpdateAsync(draft, Alice);
        Assert.Equal(created.Version, again.Version);
        Assert.True((await service.UpdateAsync(draft, Alice)).Succeeded);
    }

    [Fact]
    public async Task PublishingRunsThePublishRulesAndMovesToPublished()
    {
        var ungraded = await TestCatalog.AddCourseAsync(database, "Welcome video", gradedSteps: 0, ungradedSteps: 1);
        var draft = Draft("Welcome");
        draft.CourseIds = [ungraded.Id];
        draft.GroupIds = [];
        var created = await service.CreateAsync(draft, Alice);

        var refused = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        Assert.Equal(FailureKind.Invalid, refused.Failure);
        Assert.Contains("graded step", refused.Errors[0].Message, StringComparison.Ordinal);

        var good = await service.CreateAsync(Draft(), Alice);
        var published = await service.PublishAsync(good.Id!.Value, good.Version!.Value, Alice);
        Assert.True(published.Succeeded);
        Assert.Equal(CertificationState.Published, (await service.GetForEditAsync(Alice, good.Id!.Value))!.State);
    }

    [Fact]
    public async Task ACourseUnpublishedAfterwardsIsWarnedAboutAndBlocksPublishing()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        await using (var db = database.CreateContext())
        {
            await db.Courses.Where(c => c.Id == fireId).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsPublished, false));
        }

        var edit = await service.GetForEditAsync(Alice, created.Id!.Value);
        Assert.Contains(edit!.Warnings, w => w.Contains("\u201cFire Warden\u201d is no longer published", StringComparison.Ordinal));
        var outcome = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        Assert.Contains(outcome.Errors, e => e.Message.Contains("\u201cFire Warden\u201d is not published", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnpublishingIsRefusedWhileALearnerHoldsTheCertification()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var published = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        await AssignAsync(created.Id!.Value, completed: false);

        var outcome = await service.UnpublishAsync(created.Id!.Value, published.Version!.Value, Alice);

        Assert.Equal(FailureKind.NotAllowed, outcome.Failure);
        Assert.Contains("1 learner holds", outcome.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetiringWithdrawsOpenAssignmentsAndKeepsCompletedOnes()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var published = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        var open = await AssignAsync(created.Id!.Value, completed: false);
        var done = await AssignAsync(created.Id!.Value, completed: true);

        var retired = await service.RetireAsync(created.Id!.Value, published.Version!.Value, Alice);

        Assert.True(retired.Succeeded);
        await using var db = database.CreateContext();
        var openAfter = await db.Assignments.SingleAsync(a => a.Id == open);
        var doneAfter = await db.Assignments.SingleAsync(a => a.Id == done);
        Assert.Equal(AssignmentStatus.Withdrawn, openAfter.Status);
        Assert.NotNull(openAfter.WithdrawnAt);
        Assert.Equal(AssignmentStatus.Completed, doneAfter.Status);
        Assert.NotNull(doneAfter.WithdrawnAt);
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "Retired");
        Assert.Contains("\"AssignmentsWithdrawn\":1", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACompletionKeptOnAProfileStillPreventsGoingBackToDraft()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var published = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        var done = await AssignAsync(created.Id!.Value, completed: true);
        await using (var db = database.CreateContext())
        {
            await db.Assignments.Where(a => a.Id == done).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, time.GetUtcNow().UtcDateTime));
        }

        var outcome = await service.UnpublishAsync(created.Id!.Value, published.Version!.Value, Alice);

        Assert.Equal(FailureKind.NotAllowed, outcome.Failure);
    }

    [Fact]
    public async Task ADeletedCertificationLeavesTheListAndFreesItsName()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        Assert.True((await service.DeleteAsync(created.Id!.Value, created.Version!.Value, Alice)).Succeeded);

        Assert.Empty((await service.ListAsync(Alice, new CertificationListQuery())).Items);
        Assert.Null(await service.GetForEditAsync(Alice, created.Id!.Value));
        Assert.True((await service.CreateAsync(Draft(), Alice)).Succeeded);
    }

    [Fact]
    public async Task AStaleVersionCannotChangeTheState()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var draft = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;
        draft.Description = "changed";
        await service.UpdateAsync(draft, Bruno);

        var outcome = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);

        Assert.Equal(FailureKind.Conflict, outcome.Failure);
        Assert.Equal(CertificationState.Draft, (await service.GetForEditAsync(Alice, created.Id!.Value))!.State);
    }

    [Fact]
    public async Task TheListFiltersByNameAndStateAndCountsCoursesGroupsAndLearners()
    {
        var a = await service.CreateAsync(Draft("Workplace Safety"), Alice);
        await service.CreateAsync(Draft("Sales 101"), Alice);
        await service.PublishAsync(a.Id!.Value, a.Version!.Value, Alice);
        await AssignAsync(a.Id!.Value, completed: true);
        await AssignAsync(a.Id!.Value, completed: false);

        var published = await service.ListAsync(Alice, new CertificationListQuery(State: CertificationState.Published));
        var item = Assert.Single(published.Items);
        Assert.Equal(("Workplace Safety", 2, 1, 2, 1), (item.Name, item.CourseCount, item.GroupCount, item.LearnerCount, item.CompletedCount));
        Assert.Equal(["Sales 101"], (await service.ListAsync(Alice, new CertificationListQuery(Search: "sal"))).Items.Select(i => i.Name));
        Assert.Empty((await service.ListAsync(Alice, new CertificationListQuery(Search: "%"))).Items);
    }

    [Fact]
    public async Task EverySuccessfulChangeIsAnnouncedOnTheHub()
    {
        var seen = new List<PortalEvent>();
        using var subscription = events.Subscribe(e =>
        {
            seen.Add(e);
            return Task.CompletedTask;
        });

        var created = await service.CreateAsync(Draft(), Alice);
        await service.CreateAsync(Draft(), Alice);
        await service.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);

        Assert.Equal([new CertificationChanged(created.Id!.Value), new CertificationChanged(created.Id!.Value)], seen);
    }

    [Fact]
    public async Task EveryCatalogRuleIsEnforcedByTheServiceWhateverTheUiSent()
    {
        var trigger = await TestCatalog.AddCourseAsync(database, "Onboarding", trigger: true);
        var unpublished = await TestCatalog.AddCourseAsync(database, "Unreleased", published: false);
        var partial = await TestCatalog.AddGroupAsync(database, "Sales EMEA");
        var forged = Draft("Forged");
        forged.CourseIds = [safetyId, trigger.Id, unpublished.Id];
        forged.GroupIds = [partial.Id];

        var outcome = await service.CreateAsync(forged, Alice);

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.CourseIds) && e.Message.Contains("\u201cOnboarding\u201d is a trigger course", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.CourseIds) && e.Message.Contains("\u201cUnreleased\u201d is not published", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Field == nameof(CertificationDraft.GroupIds) && e.Message.Contains("\u201cSales EMEA\u201d is not assigned", StringComparison.Ordinal));
        await using var db = database.CreateContext();
        Assert.Empty(await db.Certifications.ToListAsync());
    }

    [Fact]
    public async Task AddingACourseATargetedGroupLacksIsRefusedOnSaveByTheService()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var other = await TestCatalog.AddCourseAsync(database, "Forklift Operation");
        var draft = (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft;
        draft.CourseIds.Add(other.Id);

        var outcome = await service.UpdateAsync(draft, Alice);

        Assert.Contains(outcome.Errors, e => e.Message.Contains("\u201cWarehouse\u201d is not assigned \u201cForklift Operation\u201d", StringComparison.Ordinal));
        Assert.Equal([safetyId, fireId], (await service.GetForEditAsync(Alice, created.Id!.Value))!.Draft.CourseIds);
    }

    [Fact]
    public async Task TheAuditTrailListsEveryChangeNewestFirstAndTheImpactCountsWhoIsTouched()
    {
        var created = await service.CreateAsync(Draft(), Alice);
        var published = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Bruno);
        await AssignAsync(created.Id!.Value, completed: true);
        await AssignAsync(created.Id!.Value, completed: false);

        var trail = await service.GetAuditTrailAsync(Alice, created.Id!.Value);
        var impact = await service.GetImpactAsync(Alice, created.Id!.Value);

        Assert.Equal([("Published", "bruno@example.com"), ("Created", "alice@example.com")], trail.Select(t => (t.Action, t.Actor)));
        Assert.Equal(new CertificationImpact(WouldBeAssigned: 0, Holding: 2, WouldBeWithdrawn: 1, Completed: 1), impact);
        Assert.NotNull(published.Version);
    }

    private async Task<int> AssignAsync(int certificationId, bool completed)
    {
        await using var db = database.CreateContext();
        var learner = await TestCatalog.AddLearnerAsync(db, $"Learner {Guid.NewGuid():N}");
        var now = time.GetUtcNow().UtcDateTime;
        var assignment = new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learner.Id,
            AssignedAt = now,
            GraceDays = 5,
            Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = now }],
            Periods = [new Period { Number = 1, WindowStart = now, CompletedAt = completed ? now : null }],
        };
        db.Assignments.Add(assignment);
        await db.SaveChangesAsync();
        return assignment.Id;
    }
}
