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
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Enrollment;

/// <summary>Every source of an assignment, kept apart: groups joined and left, individual enrolment, a learner's own start.</summary>
public sealed class EnrollmentRulesTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private readonly List<AssignmentsChanged> announced = [];
    private TestDatabase database = null!;
    private CertificationService certifications = null!;
    private EnrollmentService enrolment = null!;
    private ProgressRecompute recompute = null!;
    private Course safety = null!;
    private Group warehouse = null!;
    private Group nightShift = null!;
    private Learner bea = null!;
    private Learner will = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var guard = new AccessGuard(database.Factory, time);
        recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
        certifications = TestServices.Certifications(database.Factory, time, events, guard);
        enrolment = new EnrollmentService(database.Factory, time, guard, recompute, events, NullLogger<EnrollmentService>.Instance);
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 1);
        warehouse = await TestCatalog.AddGroupAsync(database, "Warehouse", safety);
        nightShift = await TestCatalog.AddGroupAsync(database, "Night shift", safety);
        await using var db = database.CreateContext();
        bea = await TestCatalog.AddLearnerAsync(db, "Bea Both");
        will = await TestCatalog.AddLearnerAsync(db, "Will Warehouse");
        events.Subscribe(e =>
        {
            if (e is AssignmentsChanged changed)
            {
                announced.Add(changed);
            }

            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<int> PublishAsync(string name, int graceDays = 0, bool invisible = false, params Group[] groups)
    {
        var created = await certifications.CreateAsync(
            new CertificationDraft
            {
                Name = name,
                EffectiveFrom = new DateOnly(2026, 3, 1),
                GraceDays = graceDays,
                IsInvisible = invisible,
                CourseIds = [safety.Id],
                GroupIds = [.. groups.Select(g => g.Id)],
            },
            Admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin)).Succeeded);
        return created.Id.Value;
    }

    /// <summary>What a catalog change does: memberships saved, then the sync in the same transaction, then the announcement.</summary>
    private async Task<EnrollmentChanges> ChangeMembershipAsync(Group group, Learner learner, bool join)
    {
        EnrollmentChanges changes;
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (join)
            {
                db.GroupMembers.Add(new GroupMember { GroupId = group.Id, LearnerId = learner.Id, JoinedAt = Now });
                await db.SaveChangesAsync();
            }
            else
            {
                await db.GroupMembers.Where(m => m.GroupId == group.Id && m.LearnerId == learner.Id).ExecuteDeleteAsync();
            }

            changes = await EnrollmentSync.MembershipChangedAsync(db, [group.Id], Now, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await EnrollmentSync.AnnounceAsync(changes, recompute, events, NullLogger.Instance, CancellationToken.None);
        return changes;
    }

    private async Task<Assignment?> AssignmentAsync(int certificationId, Learner learner)
    {
        await using var db = database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Sources).Include(a => a.Periods)
            .SingleOrDefaultAsync(a => a.CertificationId == certificationId && a.LearnerId == learner.Id);
    }

    private async Task PassAsync(Learner learner)
    {
        await using var db = database.CreateContext();
        var step = await db.Steps.SingleAsync(s => s.CourseId == safety.Id);
        db.StepResults.Add(new StepResult { LearnerId = learner.Id, StepId = step.Id, Score = 95, CompletedAt = Now, ReceivedAt = Now, ExternalId = $"pass-{learner.Id}-{Now.Ticks}" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ALearnerWhoJoinsATargetedGroupLaterIsAssignedThenWithTheGraceInForceAndAnnounced()
    {
        var id = await PublishAsync("Workplace Safety", graceDays: 7, invisible: false, warehouse);
        time.Advance(TimeSpan.FromDays(3));

        var changes = await ChangeMembershipAsync(warehouse, will, join: true);

        var assignment = await AssignmentAsync(id, will);
        Assert.NotNull(assignment);
        Assert.Equal((Now, 7, (DateTime?)null), (assignment.AssignedAt, assignment.GraceDays, assignment.WithdrawnAt));
        Assert.Equal([(AssignmentSourceKind.Group, (int?)warehouse.Id)], assignment.Sources.Select(s => (s.Kind, s.GroupId)));
        Assert.Single(changes.Assigned);
        Assert.Contains(announced, e => e.CertificationId == id && e.LearnerIds.Contains(will.Id));
    }

    [Fact]
    public async Task WhenRecomputingAfterCommitFailsTheEnrolmentStandsAndIsStillAnnounced()
    {
        await ChangeMembershipAsync(warehouse, will, join: true);
        await database.RefuseInsertsIntoAsync("Periods", "disk full");

        var published = await PublishAsync("Workplace Safety", 0, false, warehouse);
        var joined = await PublishAsync("Night Work", 0, false, nightShift);
        await ChangeMembershipAsync(nightShift, bea, join: true);

        Assert.NotNull(await AssignmentAsync(published, will));
        Assert.Empty((await AssignmentAsync(published, will))!.Periods);
        Assert.NotNull(await AssignmentAsync(joined, bea));
        Assert.Contains(announced, e => e.CertificationId == published && e.LearnerIds.Contains(will.Id));
        Assert.Contains(announced, e => e.CertificationId == joined && e.LearnerIds.Contains(bea.Id));
    }

    /// <summary>
    /// Two instances each add the learner to one of the two targeted groups at the same moment: the second waits for the
    /// first, then finds the assignment made and adds only its group's source, instead of failing on the unique key.
    /// </summary>
    [Fact]
    public async Task TwoMembershipChangesAtOnceAssignTheLearnerOnceWithBothGroupsAsSources()
    {
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse, nightShift);

        await using var first = database.CreateContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        first.GroupMembers.Add(new GroupMember { GroupId = warehouse.Id, LearnerId = will.Id, JoinedAt = Now });
        await first.SaveChangesAsync();
        var firstChanges = await EnrollmentSync.MembershipChangedAsync(first, [warehouse.Id], Now, CancellationToken.None);

        var second = Task.Run(async () =>
        {
            await using var db = database.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.GroupMembers.Add(new GroupMember { GroupId = nightShift.Id, LearnerId = will.Id, JoinedAt = Now });
            await db.SaveChangesAsync();
            var changes = await EnrollmentSync.MembershipChangedAsync(db, [nightShift.Id], Now, CancellationToken.None);
            await transaction.CommitAsync();
            return changes;
        });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(second.IsCompleted);
        await firstTransaction.CommitAsync();
        var secondChanges = await second;

        Assert.Equal([will.Id], firstChanges.Assigned.Select(c => c.LearnerId));
        Assert.Empty(secondChanges.Assigned);
        await using var check = database.CreateContext();
        var assignment = await check.Assignments.Include(a => a.Sources).SingleAsync(a => a.CertificationId == id && a.LearnerId == will.Id);
        Assert.Equal(new[] { nightShift.Id, warehouse.Id }.Order(), assignment.Sources.Select(s => s.GroupId!.Value).Order());
    }

    [Fact]
    public async Task JoiningAGroupNoPublishedCertificationTargetsAssignsNothing()
    {
        await PublishAsync("Workplace Safety", 0, false, nightShift);

        var changes = await ChangeMembershipAsync(warehouse, will, join: true);

        Assert.True(changes.IsEmpty);
        await using var db = database.CreateContext();
        Assert.False(await db.Assignments.AnyAsync(a => a.LearnerId == will.Id));
    }

    [Fact]
    public async Task LeavingOneOfTwoTargetedGroupsKeepsTheAssignmentThroughTheOther()
    {
        await ChangeMembershipAsync(warehouse, bea, join: true);
        await ChangeMembershipAsync(nightShift, bea, join: true);
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse, nightShift);

        var changes = await ChangeMembershipAsync(warehouse, bea, join: false);

        var assignment = await AssignmentAsync(id, bea);
        Assert.Null(assignment!.WithdrawnAt);
        Assert.Equal([(AssignmentSourceKind.Group, (int?)nightShift.Id)], assignment.Sources.Select(s => (s.Kind, s.GroupId)));
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public async Task LeavingTheLastSourceWithdrawsAnUnfinishedAssignmentAndRejoiningRestoresTheSameOne()
    {
        await ChangeMembershipAsync(warehouse, will, join: true);
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse);
        var before = await AssignmentAsync(id, will);
        time.Advance(TimeSpan.FromDays(1));

        await ChangeMembershipAsync(warehouse, will, join: false);
        var left = await AssignmentAsync(id, will);
        time.Advance(TimeSpan.FromDays(1));
        await ChangeMembershipAsync(warehouse, will, join: true);
        var back = await AssignmentAsync(id, will);

        Assert.Equal((AssignmentStatus.Withdrawn, (DateTime?)Now.AddDays(-1)), (left!.Status, left.WithdrawnAt));
        Assert.Empty(left.Sources);
        Assert.Equal((before!.Id, before.AssignedAt, (DateTime?)null, AssignmentStatus.NotStarted), (back!.Id, back.AssignedAt, back.WithdrawnAt, back.Status));
        Assert.Contains(announced, e => e.CertificationId == id && e.LearnerIds.Contains(will.Id) && e != announced[^1]);
    }

    [Fact]
    public async Task LeavingAfterCompletingKeepsTheCompletionOnRecord()
    {
        await ChangeMembershipAsync(warehouse, will, join: true);
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse);
        time.Advance(TimeSpan.FromDays(2));
        await PassAsync(will);
        await recompute.RecomputeCertificationAsync(id);
        var completedAt = (await AssignmentAsync(id, will))!.Periods.Single().CompletedAt;
        time.Advance(TimeSpan.FromDays(2));

        await ChangeMembershipAsync(warehouse, will, join: false);

        var after = await AssignmentAsync(id, will);
        Assert.NotNull(completedAt);
        Assert.Equal((AssignmentStatus.Completed, completedAt), (after!.Status, after.Periods.Single().CompletedAt));
        Assert.NotNull(after.WithdrawnAt);
    }

    [Fact]
    public async Task RemovingAGroupFromAPublishedCertificationWithdrawsOnlyThoseWithNoOtherSource()
    {
        await ChangeMembershipAsync(warehouse, bea, join: true);
        await ChangeMembershipAsync(warehouse, will, join: true);
        await ChangeMembershipAsync(nightShift, bea, join: true);
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse, nightShift);
        var draft = (await certifications.GetForEditAsync(Admin, id))!.Draft;
        draft.GroupIds.Remove(warehouse.Id);

        Assert.True((await certifications.UpdateAsync(draft, Admin)).Succeeded);

        Assert.Equal(AssignmentStatus.Withdrawn, (await AssignmentAsync(id, will))!.Status);
        var kept = await AssignmentAsync(id, bea);
        Assert.Equal((AssignmentStatus.NotStarted, nightShift.Id), (kept!.Status, kept.Sources.Single().GroupId!.Value));
        await using var db = database.CreateContext();
        Assert.Contains("\"Withdrawn\":1", (await db.AuditEntries.SingleAsync(e => e.Action == "EnrolmentChanged")).Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheImpactOfChangingTargetsCountsWhoWouldBeAssignedAndWhoWithdrawnBeforeAnythingChanges()
    {
        await ChangeMembershipAsync(warehouse, bea, join: true);
        await ChangeMembershipAsync(warehouse, will, join: true);
        var id = await PublishAsync("Workplace Safety", 0, false, warehouse);
        await enrolment.SaveIndividualAsync(Admin, bea.Id, [id], []);
        var carl = await AddLearnerInAsync(nightShift, "Carl Night");

        var swap = await certifications.GetTargetChangeImpactAsync(Admin, id, [nightShift.Id]);

        Assert.Equal((1, 1), (swap.WouldBeAssigned, swap.WouldBeWithdrawn));
        Assert.Equal(["Night shift", "Warehouse"], swap.GroupNames.Values.Order());
        Assert.Null(await AssignmentAsync(id, carl));
        Assert.Null((await AssignmentAsync(id, will))!.WithdrawnAt);
    }

    private async Task<Learner> AddLearnerInAsync(Group group, string name)
    {
        await using var db = database.CreateContext();
        var learner = await TestCatalog.AddLearnerAsync(db, name);
        db.GroupMembers.Add(new GroupMember { GroupId = group.Id, LearnerId = learner.Id, JoinedAt = Now });
        await db.SaveChangesAsync();
        return learner;
    }

    [Fact]
    public async Task AnIndividualEnrolmentAssignsWithTheGraceInForceAndAnnouncesIt()
    {
        var id = await PublishAsync("Workplace Safety", graceDays: 10, invisible: false, warehouse);

        var outcome = await enrolment.SaveIndividualAsync(Admin, will.Id, [id], []);

        Assert.True(outcome.Succeeded);
        Assert.Equal("Enrolled in \u201cWorkplace Safety\u201d.", outcome.Message);
        var assignment = await AssignmentAsync(id, will);
        Assert.Equal((10, AssignmentSourceKind.Individual), (assignment!.GraceDays, assignment.Sources.Single().Kind));
        Assert.Contains(announced, e => e.CertificationId == id && e.LearnerIds.SequenceEqual([will.Id]));
        var card = await enrolment.GetCardAsync(Admin, will.Id);
        Assert.Equal((true, AssignmentStatus.NotStarted), (card!.Certifications.Single().IsIndividual, card.Certifications.Single().Status));
    }

    [Fact]
    public async Task RemovingTheIndividualEnrolmentKeepsAGroupHeldAssignmentAndWithdrawsAnIndividualOnlyOne()
    {
        await ChangeMembershipAsync(warehouse, bea, join: true);
        var grouped = await PublishAsync("Workplace Safety", 0, false, warehouse);
        var open = await PublishAsync("Sales 101");
        await enrolment.SaveIndividualAsync(Admin, bea.Id, [grouped, open], []);

        var outcome = await enrolment.SaveIndividualAsync(Admin, bea.Id, [], [grouped, open]);

        Assert.Equal((2, 1), (outcome.Removed, outcome.Withdrawn));
        Assert.EndsWith("Where a group or the learner's own start still holds it, the learner keeps it.", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.NotStarted, (await AssignmentAsync(grouped, bea))!.Status);
        Assert.Equal(AssignmentStatus.Withdrawn, (await AssignmentAsync(open, bea))!.Status);
        var card = await enrolment.GetCardAsync(Admin, bea.Id);
        var row = card!.Certifications.Single(c => c.CertificationId == grouped);
        Assert.Equal((false, "Warehouse"), (row.IsIndividual, row.Groups.Single()));
    }

    [Fact]
    public async Task ReEnrollingIndividuallyRestoresTheWithdrawnAssignmentWithItsHistory()
    {
        var id = await PublishAsync("Sales 101");
        await enrolment.SaveIndividualAsync(Admin, will.Id, [id], []);
        await PassAsync(will);
        await recompute.RecomputeCertificationAsync(id);
        await enrolment.SaveIndividualAsync(Admin, will.Id, [], [id]);
        var first = await AssignmentAsync(id, will);

        await enrolment.SaveIndividualAsync(Admin, will.Id, [id], []);

        var back = await AssignmentAsync(id, will);
        Assert.Equal((first!.Id, (DateTime?)null, 1), (back!.Id, back.WithdrawnAt, back.Periods.Count(p => p.CompletedAt != null)));
        Assert.Equal(AssignmentStatus.Completed, back.Status);
    }

    [Fact]
    public async Task EnrollingInACertificationNoLongerPublishedSavesNothingAndSaysWhich()
    {
        var open = await PublishAsync("Sales 101");
        var retired = await PublishAsync("Legacy Fire Warden");
        var forEdit = await certifications.GetForEditAsync(Admin, retired);
        await certifications.RetireAsync(retired, forEdit!.Draft.Version!.Value, Admin);

        var outcome = await enrolment.SaveIndividualAsync(Admin, will.Id, [open, retired], []);

        Assert.False(outcome.Succeeded);
        Assert.Contains("Legacy Fire Warden is no longer published", outcome.Message, StringComparison.Ordinal);
        Assert.Null(await AssignmentAsync(open, will));
    }

    [Fact]
    public async Task OnlyAdminsEnrolIndividually()
    {
        var id = await PublishAsync("Sales 101");
        var learner = new Actor("will", will.Id, new HashSet<string> { PortalRoles.Learner });

        await Assert.ThrowsAsync<AccessDeniedException>(() => enrolment.SaveIndividualAsync(learner, will.Id, [id], []));
        await Assert.ThrowsAsync<AccessDeniedException>(() => enrolment.GetCardAsync(learner, will.Id));
        Assert.Null(await AssignmentAsync(id, will));
    }

    [Fact]
    public async Task ALearnerStartsAnOpenCertificationOnceAndNeverOneForGroupsOrInvisible()
    {
        var open = await PublishAsync("Sales 101");
        var grouped = await PublishAsync("Workplace Safety", 0, false, warehouse);
        var hidden = await PublishAsync("Manager Essentials", 0, true);
        var learner = new Actor("will", will.Id, new HashSet<string> { PortalRoles.Learner });

        var started = await enrolment.StartAsync(learner, open);
        var again = await enrolment.StartAsync(learner, open);
        var forGroups = await enrolment.StartAsync(learner, grouped);
        var invisible = await enrolment.StartAsync(learner, hidden);

        Assert.Equal((true, "Started \u201cSales 101\u201d."), (started.Succeeded, started.Message));
        Assert.Equal((true, "You already have \u201cSales 101\u201d."), (again.Succeeded, again.Message));
        Assert.False(forGroups.Succeeded);
        Assert.Contains("assigned to groups", forGroups.Message, StringComparison.Ordinal);
        Assert.Equal((false, "This certification is no longer available."), (invisible.Succeeded, invisible.Message));
        Assert.Equal(AssignmentSourceKind.SelfStarted, (await AssignmentAsync(open, will))!.Sources.Single().Kind);
        Assert.Null(await AssignmentAsync(grouped, will));
        Assert.Null(await AssignmentAsync(hidden, will));
    }

    [Fact]
    public async Task RetiringKeepsCompletionsWithTheirDatesAndWithdrawsTheRest()
    {
        var id = await PublishAsync("Sales 101");
        await enrolment.SaveIndividualAsync(Admin, will.Id, [id], []);
        await enrolment.SaveIndividualAsync(Admin, bea.Id, [id], []);
        await PassAsync(will);
        await recompute.RecomputeCertificationAsync(id);
        var completedAt = (await AssignmentAsync(id, will))!.Periods.Single().CompletedAt;
        var forEdit = await certifications.GetForEditAsync(Admin, id);
        time.Advance(TimeSpan.FromDays(5));

        await certifications.RetireAsync(id, forEdit!.Draft.Version!.Value, Admin);

        var kept = await AssignmentAsync(id, will);
        Assert.Equal((AssignmentStatus.Completed, completedAt), (kept!.Status, kept.Periods.Single().CompletedAt));
        Assert.Equal(AssignmentStatus.Withdrawn, (await AssignmentAsync(id, bea))!.Status);
    }
}
