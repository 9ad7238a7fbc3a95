using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
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
    private TestDatabase database = null!;
    private ProgressRecompute recompute = null!;
    private CertificationService certifications = null!;
    private Course safety = null!;
    private int certificationId;
    private int learnerId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
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
        var changed = Assert.IsType<AssignmentsChanged>(Assert.Single(seen));
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
}
