using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Progress;

public sealed class ProgressRecomputeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private ProgressRecompute recompute = null!;
    private CertificationService certifications = null!;
    private Course safety = null!;
    private int certificationId;
    private int learnerId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
        certifications = TestServices.Certifications(database.Factory, time, events, new global::Certifications.Core.Security.AccessGuard(database.Factory, time));
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2);
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = "Workplace Safety", EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 70, CourseIds = [safety.Id] },
            Actor.System);
        certificationId = created.Id!.Value;
        await using var db = database.CreateContext();
        learnerId = (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id;
        var now = time.GetUtcNow().UtcDateTime;
        db.Assignments.Add(new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learnerId,
            AssignedAt = now,
            GraceDays = 0,
            StatusChangedAt = now,
            Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = now }],
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task PlayAsync(decimal score, params int[] hoursLater)
    {
        await using var db = database.CreateContext();
        var start = time.GetUtcNow().UtcDateTime;
        foreach (var (step, hours) in safety.Steps.Zip(hoursLater))
        {
            db.StepResults.Add(new StepResult
            {
                LearnerId = learnerId,
                StepId = step.Id,
                Score = score,
                CompletedAt = start.AddHours(hours),
                ReceivedAt = start.AddHours(hours),
                ExternalId = $"r-{Guid.NewGuid():N}",
            });
        }

        await db.SaveChangesAsync();
        time.Advance(TimeSpan.FromHours(hoursLater.Max() + 1));
    }

    private async Task<Assignment> AssignmentAsync()
    {
        await using var db = database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Periods).ThenInclude(p => p.CourseGrades).SingleAsync();
    }

    [Fact]
    public async Task ACompletionIsStoredAsAPeriodWithItsCourseGradesAndAnnounced()
    {
        var seen = new List<PortalEvent>();
        using var _ = events.Subscribe(e =>
        {
            seen.Add(e);
            return Task.CompletedTask;
        });
        await PlayAsync(80m, 1, 2);

        Assert.Equal(1, await recompute.RecomputeAllAsync());

        var assignment = await AssignmentAsync();
        Assert.Equal(AssignmentStatus.Completed, assignment.Status);
        Assert.Equal((1, 1), (assignment.CoursesSatisfied, assignment.CoursesRequired));
        var period = Assert.Single(assignment.Periods);
        Assert.Equal(new DateTime(2026, 3, 2, 11, 0, 0, DateTimeKind.Utc), period.CompletedAt);
        Assert.Equal(80m, Assert.Single(period.CourseGrades).Grade);
        var changed = Assert.IsType<AssignmentsChanged>(seen[0]);
        Assert.IsType<NotificationsRecorded>(Assert.Single(seen[1..])); // The completion is news to the learner.
        Assert.Equal([learnerId], changed.LearnerIds);
    }

    [Fact]
    public async Task RunningItAgainAtTheSameInstantChangesNothing()
    {
        await PlayAsync(80m, 1, 2);
        await recompute.RecomputeAllAsync();
        var before = await AssignmentAsync();

        Assert.Equal(0, await recompute.RecomputeAllAsync());

        var after = await AssignmentAsync();
        Assert.Equal((before.Status, before.StatusChangedAt, before.Periods.Single().CompletedAt), (after.Status, after.StatusChangedAt, after.Periods.Single().CompletedAt));
    }

    [Fact]
    public async Task AnInProgressAssignmentKeepsAnOpenPeriodAndCountsItsSatisfiedCourses()
    {
        await PlayAsync(50m, 1, 2);

        await recompute.RecomputeAllAsync();

        var assignment = await AssignmentAsync();
        Assert.Equal(AssignmentStatus.InProgress, assignment.Status);
        Assert.Equal((0, 1), (assignment.CoursesSatisfied, assignment.CoursesRequired));
        Assert.Null(Assert.Single(assignment.Periods).CompletedAt);
    }

    [Fact]
    public async Task RaisingTheMinimumAfterACompletionLeavesTheLearnersHistoryAlone()
    {
        await PlayAsync(80m, 1, 2);
        await recompute.RecomputeAllAsync();
        var edit = (await certifications.GetForEditAsync(Actor.System, certificationId))!.Draft;
        edit.MinimumPassingGrade = 95;
        Assert.True((await certifications.UpdateAsync(edit, Actor.System)).Succeeded);

        await recompute.RecomputeAllAsync();

        var assignment = await AssignmentAsync();
        Assert.Equal(AssignmentStatus.Completed, assignment.Status);
        Assert.Equal(80m, assignment.Periods.Single().CourseGrades.Single().Grade);
    }

    [Fact]
    public async Task AGradeWithMoreDigitsThanTheDatabaseKeepsDoesNotLookChangedOnTheNextRun()
    {
        var thirds = await TestCatalog.AddCourseAsync(database, "Thirds", gradedSteps: 3);
        var certification = (await certifications.CreateAsync(
            new CertificationDraft { Name = "Thirds", EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 50, CourseIds = [thirds.Id] },
            Actor.System)).Id!.Value;
        await using (var db = database.CreateContext())
        {
            await ProgressData.AssignAsync(db, certification, learnerId, time.GetUtcNow().UtcDateTime);
            db.StepResults.AddRange(thirds.Steps.Select((step, i) => new StepResult
            {
                LearnerId = learnerId,
                StepId = step.Id,
                Score = i == 0 ? 100m : 50m,
                CompletedAt = time.GetUtcNow().UtcDateTime.AddHours(1),
                ReceivedAt = time.GetUtcNow().UtcDateTime.AddHours(1),
                ExternalId = $"third-{i}",
            }));
            await db.SaveChangesAsync();
        }

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await recompute.RecomputeCertificationAsync(certification));

        Assert.Equal(0, await recompute.RecomputeCertificationAsync(certification));
        await using var check = database.CreateContext();
        var grade = await check.PeriodCourseGrades.Where(g => g.Period!.Assignment!.CertificationId == certification).Select(g => g.Grade).SingleAsync();
        Assert.Equal(66.6666666666667m, grade);
    }

    [Fact]
    public async Task OnlyAnAdminMayRecomputeEveryonesProgressAndEachRunIsAudited()
    {
        await PlayAsync(80m, 1, 2);
        var manager = new Actor("boss@example.com", null, new HashSet<string> { global::Certifications.Core.Security.PortalRoles.Manager });

        await Assert.ThrowsAsync<global::Certifications.Core.Security.AccessDeniedException>(() => recompute.RecomputeAllAsync(manager));
        await Assert.ThrowsAsync<global::Certifications.Core.Security.AccessDeniedException>(() => recompute.RecomputeAllAsync(Actor.ApiClient("lms-feed")));
        Assert.Equal(AssignmentStatus.NotStarted, (await AssignmentAsync()).Status);

        Assert.Equal(1, await recompute.RecomputeAllAsync(Actor.Admin("admin@example.com")));

        Assert.Equal(AssignmentStatus.Completed, (await AssignmentAsync()).Status);
        await using var db = database.CreateContext();
        var audited = await db.AuditEntries.Where(e => e.EntityType == "Progress" || e.Action == "AccessDenied").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [("boss@example.com", "AccessDenied"), ("lms-feed", "AccessDenied"), ("admin@example.com", "Recomputed")],
            audited.Select(e => (e.Actor, e.Action)));
        Assert.Contains("\"AssignmentsChanged\":1", audited[^1].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullRecomputeCostsAFewStatementsPerBatchOfLearnersNotOnePerLearner()
    {
        async Task<int> StatementsWithLearnersAsync(int count)
        {
            await using (var db = database.CreateContext())
            {
                var now = time.GetUtcNow().UtcDateTime;
                var learners = Enumerable.Range(0, count)
                    .Select(i => new Learner { Name = $"Learner {count}.{i}", Email = $"l{count}.{i}@example.com", NormalizedEmail = $"L{count}.{i}@EXAMPLE.COM" })
                    .ToList();
                db.Learners.AddRange(learners);
                await db.SaveChangesAsync();
                db.Assignments.AddRange(learners.Select(l => new Assignment
                {
                    CertificationId = certificationId,
                    LearnerId = l.Id,
                    AssignedAt = now,
                    StatusChangedAt = now,
                    Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = now }],
                }));
                db.StepResults.AddRange(learners.SelectMany(l => safety.Steps.Select(step => new StepResult
                {
                    LearnerId = l.Id,
                    StepId = step.Id,
                    Score = 90m,
                    CompletedAt = now.AddMinutes(1),
                    ReceivedAt = now.AddMinutes(1),
                    ExternalId = $"{l.Id}-{step.Id}",
                })));
                await db.SaveChangesAsync();
            }

            time.Advance(TimeSpan.FromHours(1));
            commands.Clear();
            Assert.Equal(count, await recompute.RecomputeAllAsync());
            return commands.Count;
        }

        await recompute.RecomputeAllAsync();
        var few = await StatementsWithLearnersAsync(10);
        var many = await StatementsWithLearnersAsync(2 * ProgressRecompute.BatchSize + 10);

        // Three batches of learners for the many; each batch reads five times (assignments, periods, grades, results,
        // completion records) and writes four times (periods, grades, statuses, notifications). PostgreSQL first locks
        // the batch's assignments: their ids, then the lock.
        var locking = database.IsPostgreSql ? 2 : 0;
        Assert.True(few <= 13 + locking, $"{few} statements for 10 learners:\n{string.Join("\n", commands.Statements)}");
        Assert.True(many <= few + 2 * (9 + locking), $"{few} statements for 10 learners, {many} for {2 * ProgressRecompute.BatchSize + 10}");
        await using var check = database.CreateContext();
        Assert.Equal(2 * ProgressRecompute.BatchSize + 20, await check.Assignments.CountAsync(a => a.Status == AssignmentStatus.Completed));
    }
}
