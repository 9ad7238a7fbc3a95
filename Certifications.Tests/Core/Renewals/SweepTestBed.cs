using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Renewals;

/// <summary>
/// A private database with one course, the recompute, result ingestion and the sweep wired as the portal wires them, on
/// a <see cref="FakeTimeProvider"/> the test moves.
/// </summary>
internal sealed class SweepTestBed : IAsyncDisposable
{
    private int nextResult;

    private SweepTestBed(TestDatabase database, FakeTimeProvider time, OrganisationCalendar calendar, int batchSize)
    {
        Database = database;
        Time = time;
        Recompute = new ProgressRecompute(database.Factory, time, calendar, Events);
        var guard = new AccessGuard(database.Factory, time);
        Ingestion = new ResultIngestion(database.Factory, time, guard, Recompute, Events);
        Sweep = new RenewalSweep(database.Factory, time, Recompute, guard, Events, new SweepSettings(batchSize), NullLogger<RenewalSweep>.Instance);
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Time { get; }

    public EventHub Events { get; } = new();

    public ProgressRecompute Recompute { get; }

    public ResultIngestion Ingestion { get; }

    public RenewalSweep Sweep { get; }

    public Course Course { get; private set; } = null!;

    public static async Task<SweepTestBed> CreateAsync(DateTime start, OrganisationCalendar? calendar = null, int batchSize = ProgressRecompute.BatchSize)
    {
        var bed = new SweepTestBed(await TestDatabase.CreateAsync(), new FakeTimeProvider(new DateTimeOffset(start)), calendar ?? OrganisationCalendar.Utc, batchSize);
        bed.Course = await TestCatalog.AddCourseAsync(bed.Database, "Safety 101", gradedSteps: 1);
        return bed;
    }

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public void SetNow(DateTime instant) => Time.SetUtcNow(new DateTimeOffset(instant));

    public async Task<int> AddCertificationAsync(string name, DateOnly effectiveFrom, Action<Certification>? configure = null)
    {
        await using var db = Database.CreateContext();
        return await ProgressData.AddCertificationAsync(db, name, [Course.Id], effectiveFrom, configure);
    }

    /// <summary>A learner assigned now, evaluated as the enrolment does after it commits.</summary>
    public async Task<int> AssignNewLearnerAsync(int certificationId, string name)
    {
        int learnerId;
        await using (var db = Database.CreateContext())
        {
            learnerId = (await TestCatalog.AddLearnerAsync(db, name)).Id;
            await ProgressData.AssignAsync(db, certificationId, learnerId, Now);
        }

        await Recompute.RecomputeCertificationAsync(certificationId, [learnerId]);
        return learnerId;
    }

    /// <summary>The learner passes the course at <paramref name="completedAt"/>; the result is sent now, through ingestion.</summary>
    public async Task PassAsync(int learnerId, DateTime completedAt, decimal score = 90m)
    {
        var report = await Ingestion.IngestAsync(
            Actor.System,
            [new ResultItem($"result-{Interlocked.Increment(ref nextResult)}", learnerId, Course.Steps[0].Id, score, completedAt)]);
        Assert.Equal(1, report.Accepted);
    }

    public async Task<List<AssignmentTransition>> TransitionsAsync()
    {
        await using var db = Database.CreateContext();
        return await db.AssignmentTransitions.AsNoTracking().OrderBy(t => t.EffectiveAt).ThenBy(t => t.Id).ToListAsync();
    }

    public async Task<global::Certifications.Core.Enrollment.Assignment> AssignmentAsync(int certificationId, int learnerId)
    {
        await using var db = Database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Periods)
            .SingleAsync(a => a.CertificationId == certificationId && a.LearnerId == learnerId);
    }

    /// <summary>Everything the sweep and the recompute write, one line per row, to compare two moments.</summary>
    public async Task<List<string>> SnapshotAsync()
    {
        await using var db = Database.CreateContext();
        var lines = await ProgressData.DescribeAsync(db);
        lines.AddRange((await db.Assignments.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.NextTransitionAt, a.StatusChangedAt }).ToListAsync())
            .Select(a => FormattableString.Invariant($"assignment {a.Id} next {a.NextTransitionAt:o} changed {a.StatusChangedAt:o}")));
        lines.Add(FormattableString.Invariant($"transitions {await db.AssignmentTransitions.CountAsync()}, runs {await db.SweepRuns.CountAsync()}, audit {await db.AuditEntries.CountAsync()}, periods {await db.Periods.CountAsync()}"));
        return lines;
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}
