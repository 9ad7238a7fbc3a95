using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.History;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.History;
using Certifications.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Progress;

/// <summary>The long operations say how far they have got, batch by batch, ending at their total.</summary>
public sealed class OperationProgressTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EventHub events = new();
    private TestDatabase database = null!;
    private Course safety = null!;

    /// <summary>Collects each report as it is made, on the reporting thread (Progress&lt;T&gt; would post them).</summary>
    private sealed class Reports : IProgress<OperationProgress>
    {
        public List<OperationProgress> Made { get; } = [];

        public void Report(OperationProgress value) => Made.Add(value);
    }

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 1);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<int[]> AddLearnersAsync(int count, string prefix)
    {
        await using var db = database.CreateContext();
        var learners = Enumerable.Range(1, count)
            .Select(i => new Learner { Name = $"{prefix} {i}", Email = $"{prefix}.{i}@example.com", NormalizedEmail = $"{prefix}.{i}@EXAMPLE.COM".ToUpperInvariant() })
            .ToList();
        db.Learners.AddRange(learners);
        await db.SaveChangesAsync();
        return [.. learners.Select(l => l.Id)];
    }

    [Fact]
    public async Task AFullRecomputeReportsAfterEveryBatchOfEveryCertificationUpToAllItsAssignments()
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = database.CreateContext())
        {
            var small = await ProgressData.AddCertificationAsync(db, "Small", [safety.Id], new DateOnly(2026, 3, 1));
            var large = await ProgressData.AddCertificationAsync(db, "Large", [safety.Id], new DateOnly(2026, 3, 1));
            foreach (var learner in await AddLearnersAsync(2, "small"))
            {
                await ProgressData.AssignAsync(db, small, learner, now);
            }

            foreach (var learner in await AddLearnersAsync(ProgressRecompute.BatchSize + 1, "large"))
            {
                await ProgressData.AssignAsync(db, large, learner, now);
            }
        }

        var reports = new Reports();
        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync(Admin, reports);

        // The start, each certification's start and batches (2; then 500 and 1 more), and the end, all out of 503.
        Assert.Equal([0, 0, 2, 2, 502, 503, 503], reports.Made.Select(r => r.Done));
        Assert.All(reports.Made, r => Assert.Equal((OperationProgress.Recomputing, 503), (r.Stage, r.Total)));
        Assert.Equal(100, reports.Made[^1].Percent);
    }

    [Fact]
    public async Task PublishingReportsTheAssignedLearnersProgressWorkedOut()
    {
        var members = await AddLearnersAsync(3, "crew");
        int groupId;
        await using (var db = database.CreateContext())
        {
            var group = new Group { Name = "Crew", Courses = [new GroupCourse { CourseId = safety.Id }], Members = [.. members.Select(id => new GroupMember { LearnerId = id })] };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            groupId = group.Id;
        }

        var certifications = TestServices.Certifications(database.Factory, time, events, new AccessGuard(database.Factory, time));
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = "Crew Safety", EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 70, CourseIds = [safety.Id], GroupIds = [groupId] }, Admin);
        var reports = new Reports();

        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin, reports)).Succeeded);

        Assert.Equal([(0, 3), (3, 3)], reports.Made.Select(r => (r.Done, r.Total)));
    }

    [Fact]
    public async Task AnImportReportsTheRowsCheckedThenTheAssignmentsRecomputed()
    {
        await using (var db = database.CreateContext())
        {
            var certification = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [safety.Id], new DateOnly(2026, 3, 1));
            foreach (var learner in await AddLearnersAsync(2, "history"))
            {
                await ProgressData.AssignAsync(db, certification, learner, time.GetUtcNow().UtcDateTime);
            }
        }

        var rows = await CompletionCsv.ReadAsync(string.Join("\n",
            "learner,certification,completed_at", "history.1@example.com,Workplace Safety,2025-11-15", "history.2@example.com,Workplace Safety,2025-11-16",
            "history.2@example.com,Workplace Safety,2024-11-16"));
        var reports = new Reports();

        var report = await CompletionImportTests.Import(database, time, events).ImportAsync(Admin, rows, dryRun: false, reports);

        Assert.True(report.Applied);
        Assert.Equal(
            [(OperationProgress.CheckingRows, 0, 3), (OperationProgress.CheckingRows, 3, 3), (OperationProgress.Recomputing, 0, 2), (OperationProgress.Recomputing, 2, 2)],
            reports.Made.Select(r => (r.Stage, r.Done, r.Total)));
    }
}
