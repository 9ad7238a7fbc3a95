using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Demo;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Demo;

public sealed class DemoFeedTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private readonly EventHub events = new();
    private readonly List<PortalEvent> heard = [];
    private TestDatabase database = null!;
    private DemoFeed feed = null!;
    private Course safety = null!;
    private Course firstAid = null!;
    private int certificationId;
    private int bob;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        feed = new DemoFeed(database.Factory, ResultIngestionTests.Ingestion(database, time, events), time);
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2, ungradedSteps: 1);
        firstAid = await TestCatalog.AddCourseAsync(database, "First Aid", gradedSteps: 1);
        await using var db = database.CreateContext();
        certificationId = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [safety.Id, firstAid.Id], new DateOnly(2026, 3, 1));
        bob = (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id;
        await ProgressData.AssignAsync(db, certificationId, bob, Now.AddDays(-3));
        events.Subscribe(e =>
        {
            heard.Add(e);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<Assignment> BobsAssignmentAsync()
    {
        await using var db = database.CreateContext();
        return await db.Assignments.AsNoTracking().SingleAsync(a => a.CertificationId == certificationId && a.LearnerId == bob);
    }

    [Fact]
    public async Task ARoundSendsTheNextGradedStepOfALearnerWithSomethingLeftToDoThroughIngestion()
    {
        var report = await feed.SendOnceAsync(learners: 3, new Random(7));

        var item = Assert.Single(report.Items);
        Assert.Equal(ResultItemState.Accepted, item.State);
        Assert.StartsWith(DemoFeed.ExternalIdPrefix, item.ExternalId, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var stored = await db.StepResults.AsNoTracking().SingleAsync();
        Assert.Equal(safety.Steps.First(s => s.IsGraded).Id, stored.StepId);
        Assert.Equal(bob, stored.LearnerId);
        Assert.Equal(Now, stored.CompletedAt);
        Assert.InRange(stored.Score, 0m, 100m);
        Assert.Contains(heard, e => e is ResultsRecorded recorded && recorded.LearnerIds.Contains(bob));
        Assert.Contains(await db.AuditEntries.AsNoTracking().ToListAsync(), e => e.Actor == DemoFeed.SenderName);
    }

    [Fact]
    public async Task RoundAfterRoundTheLearnerCompletesTheCertificationAndThenIsLeftAlone()
    {
        var random = new Random(11);
        for (var round = 0; round < 40 && (await BobsAssignmentAsync()).Status != AssignmentStatus.Completed; round++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await feed.SendOnceAsync(learners: 1, random);
        }

        var assignment = await BobsAssignmentAsync();
        Assert.Equal(AssignmentStatus.Completed, assignment.Status);
        Assert.Equal(2, assignment.CoursesSatisfied);

        var afterwards = await feed.SendOnceAsync(learners: 1, random);
        Assert.Empty(afterwards.Items);
    }

    [Fact]
    public async Task NothingIsSentForWithdrawnAssignmentsOrCertificationsNoLongerPublished()
    {
        await using (var db = database.CreateContext())
        {
            var retired = await ProgressData.AddCertificationAsync(db, "Old Safety", [safety.Id], new DateOnly(2026, 1, 1), c => c.State = CertificationState.Retired);
            var alice = (await TestCatalog.AddLearnerAsync(db, "Alice Other")).Id;
            await ProgressData.AssignAsync(db, retired, alice, Now.AddDays(-3));
            await db.Assignments.Where(a => a.LearnerId == bob).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, Now.AddDays(-1)));
        }

        var report = await feed.SendOnceAsync(learners: 5, new Random(3));

        Assert.Empty(report.Items);
        await using var check = database.CreateContext();
        Assert.False(await check.StepResults.AnyAsync());
    }
}
