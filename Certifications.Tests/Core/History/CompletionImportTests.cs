using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.History;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.History;

public sealed class CompletionImportTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Assigned = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private readonly EventHub events = new();
    private readonly List<PortalEvent> heard = [];
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private CompletionImport import = null!;
    private Course safety = null!;
    private int renewing;
    private int bob;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        import = Import(database, time, events);
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2);
        await using var db = database.CreateContext();
        renewing = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [safety.Id], new DateOnly(2026, 3, 1), c =>
        {
            c.RenewalRequired = true;
            c.RenewalPeriodMonths = 12;
            c.RenewalWindowDays = 30;
            c.RenewalAnchor = RenewalAnchor.PreviousExpiry;
        });
        await ProgressData.AddCertificationAsync(db, "Forklift", [safety.Id], new DateOnly(2026, 3, 1));
        bob = (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id;
        await TestCatalog.AddLearnerAsync(db, "Alice Other");
        await ProgressData.AssignAsync(db, renewing, bob, Assigned);
        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync();
        events.Subscribe(e =>
        {
            heard.Add(e);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    internal static CompletionImport Import(TestDatabase database, TimeProvider time, EventHub events) =>
        new(database.Factory, time, OrganisationCalendar.Utc, new AccessGuard(database.Factory, time),
            new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events), events);

    private static Task<IReadOnlyList<ImportRow>> Csv(params string[] lines) =>
        CompletionCsv.ReadAsync(string.Join("\n", ["learner,certification,completed_at,expires_at,evidence", .. lines]));

    private async Task<List<string>> DescribeAsync()
    {
        await using var db = database.CreateContext();
        return [.. await ProgressData.DescribeAsync(db), .. (await db.CompletionRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync())
            .Select(r => FormattableString.Invariant($"record {r.LearnerId}/{r.CertificationId} {r.Source} {r.CompletedAt:o} {r.ExpiresAt:o} {r.Evidence} {r.RevokedAt:o}"))];
    }

    [Fact]
    public async Task ADryRunReportsExactlyWhatApplyingDoesAndStoresNothing()
    {
        var rows = await Csv(
            "bob.safety@example.com,Workplace Safety,2024-11-15,,Old LMS",
            "BOB.SAFETY@example.com,workplace safety,2025-11-15T10:00:00Z,,Old LMS",
            "alice.other@example.com,Forklift,2025-06-01,,Paper",
            $"{bob},Workplace Safety,2025-12-01,,Inside the period");
        var untouched = await DescribeAsync();

        var dryRun = await import.ImportAsync(Admin, rows, dryRun: true);

        Assert.False(dryRun.Applied);
        Assert.Equal(untouched, await DescribeAsync());
        Assert.Empty(heard);

        var applied = await import.ImportAsync(Admin, rows, dryRun: false);

        Assert.True(applied.Applied);
        Assert.Equal(dryRun.Rows, applied.Rows);
        Assert.Equal(
            [ImportVerdict.NewPeriod, ImportVerdict.NewPeriod, ImportVerdict.KeptAsHistory, ImportVerdict.KeptAsHistory],
            applied.Rows.Select(r => r.Verdict));
        Assert.Equal("New period 2, completed on 15 Nov 2025", applied.Rows[1].Reason);
        Assert.Contains("does not hold this certification", applied.Rows[2].Reason, StringComparison.Ordinal);
        Assert.Equal("Recorded; the period it falls in was already completed on 15 Nov 2025", applied.Rows[3].Reason);
        Assert.Contains(heard, e => e is AssignmentsChanged { CertificationId: var id, LearnerIds: [var learner] } && id == renewing && learner == bob);
    }

    [Fact]
    public async Task AFileWithOneBadRowAppliesNothingAndNamesTheRow()
    {
        var rows = await Csv(
            "bob.safety@example.com,Workplace Safety,2025-11-15,,Old LMS",
            "nobody@example.com,Workplace Safety,2025-11-15,,Old LMS",
            "bob.safety@example.com,Forklift,2025-11-15,,Old LMS");
        var before = await DescribeAsync();

        var report = await import.ImportAsync(Admin, rows, dryRun: false);

        Assert.False(report.Applied);
        Assert.Equal(1, report.Bad);
        Assert.Equal(3, report.FirstBad!.Line);
        Assert.Equal(ImportVerdict.UnknownLearner, report.FirstBad.Verdict);
        Assert.Equal("No learner has the email or id \"nobody@example.com\"", report.FirstBad.Reason);
        Assert.Equal(before, await DescribeAsync());
        Assert.Empty(heard);

        // The good rows still say what they would do once the file is corrected.
        Assert.Equal([ImportVerdict.NewPeriod, ImportVerdict.UnknownLearner, ImportVerdict.KeptAsHistory], report.Rows.Select(r => r.Verdict));
        Assert.Equal("New period 1, completed on 15 Nov 2025", report.Rows[0].Reason);
    }

    [Fact]
    public async Task EachKindOfBadRowSaysWhy()
    {
        var rows = await Csv(
            "bob.safety@example.com,No Such Certification,2025-11-15,,",
            "bob.safety@example.com,Workplace Safety,2026-04-01,,",
            "bob.safety@example.com,Workplace Safety,2025-11-15,2025-11-01,",
            "bob.safety@example.com,Workplace Safety,15/11/2025,,",
            ",Workplace Safety,2025-11-15,,");

        var report = await import.ImportAsync(Admin, rows, dryRun: true);

        Assert.Equal(
            [ImportVerdict.UnknownCertification, ImportVerdict.DateInFuture, ImportVerdict.ExpiryBeforeCompletion, ImportVerdict.Invalid, ImportVerdict.Invalid],
            report.Rows.Select(r => r.Verdict));
        Assert.Equal(
            [
                "No certification has the name or id \"No Such Certification\"",
                "Completed on 1 Apr 2026, which is later than now",
                "Expires on 1 Nov 2025, not after the completion on 15 Nov 2025",
                "Completed-at \"15/11/2025\" is not a date (use 2025-03-31 or 2025-03-31T14:30:00Z)",
                "No learner: give their email or id",
            ],
            report.Rows.Select(r => r.Reason));
        Assert.Equal([2, 3, 4, 5, 6], report.Rows.Select(r => r.Line));
    }

    [Fact]
    public async Task ImportingTheSameFileAgainChangesNothing()
    {
        var rows = await Csv(
            "bob.safety@example.com,Workplace Safety,2024-11-15,,Old LMS",
            "bob.safety@example.com,Workplace Safety,2025-11-15,2026-12-31,Old LMS",
            "bob.safety@example.com,Workplace Safety,2025-11-15,2026-12-31,Repeated in the file");
        var first = await import.ImportAsync(Admin, rows, dryRun: false);
        var afterFirst = await DescribeAsync();
        heard.Clear();

        var second = await import.ImportAsync(Admin, rows, dryRun: false);

        Assert.Equal([ImportVerdict.NewPeriod, ImportVerdict.NewPeriod, ImportVerdict.AlreadyRecorded], first.Rows.Select(r => r.Verdict));
        Assert.Equal("The same completion as line 3: nothing more changes", first.Rows[2].Reason);
        Assert.All(second.Rows, r => Assert.Equal(ImportVerdict.AlreadyRecorded, r.Verdict));
        Assert.Equal(afterFirst, await DescribeAsync());
        Assert.Empty(heard);
    }

    [Fact]
    public async Task ImportedHistoryDrivesTheNextRenewalDate()
    {
        await import.ImportAsync(Admin, await Csv("bob.safety@example.com,Workplace Safety,2025-11-15,,Old LMS"), dryRun: false);

        await using var db = database.CreateContext();
        var assignment = await db.Assignments.AsNoTracking().Include(a => a.Periods).SingleAsync(a => a.CertificationId == renewing && a.LearnerId == bob);
        Assert.Equal(AssignmentStatus.Certified, assignment.Status);
        var period = Assert.Single(assignment.Periods);
        Assert.Equal(CompletionSource.Imported, period.Source);
        Assert.Equal(new DateTime(2026, 11, 15, 0, 0, 0, DateTimeKind.Utc), period.ExpiresAt);

        // The renewal window opens 30 days before: the scheduler comes back then.
        Assert.Equal(new DateTime(2026, 10, 16, 0, 0, 0, DateTimeKind.Utc), assignment.NextTransitionAt);
    }

    [Fact]
    public async Task AnImportedCompletionEarlierThanTheResultsReplacesTheirCompletion()
    {
        await ResultIngestionTests.Ingestion(database, time, events).IngestAsync(Admin,
        [
            new ResultItem("q1", bob, safety.Steps[0].Id, 90m, Assigned.AddDays(2)),
            new ResultItem("q2", bob, safety.Steps[1].Id, 90m, Assigned.AddDays(2)),
        ]);

        var report = await import.ImportAsync(Admin, await Csv("bob.safety@example.com,Workplace Safety,2026-03-03,,Paper"), dryRun: false);

        var row = Assert.Single(report.Rows);
        Assert.Equal(ImportVerdict.EarlierThanExisting, row.Verdict);
        Assert.Equal("Period 1 now completed on 3 Mar 2026, earlier than the recorded 4 Mar 2026", row.Reason);
    }

    [Fact]
    public async Task AnEarlierCompletionWithALaterExpiryLeavesTheRenewalsAFullRecomputeWould()
    {
        await import.ImportAsync(Admin, await Csv(
            "bob.safety@example.com,Workplace Safety,2024-11-15,,Old LMS",
            "bob.safety@example.com,Workplace Safety,2025-10-25,,Old LMS"), dryRun: false);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var renewedAt = new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc);
        await ResultIngestionTests.Ingestion(database, time, events).IngestAsync(Admin,
        [
            new ResultItem("q1", bob, safety.Steps[0].Id, 90m, renewedAt),
            new ResultItem("q2", bob, safety.Steps[1].Id, 90m, renewedAt),
        ]);

        // The second period completed earlier, expiring 31 Jan 2027: the next window opens 1 Jan 2027, after now, so the
        // results' renewal of 20 Oct 2026 renews nothing any more.
        await import.ImportAsync(Admin, await Csv("bob.safety@example.com,Workplace Safety,2025-10-20,2027-01-31,Paper"), dryRun: false);
        var incremental = await DescribeAsync();
        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "PeriodCourseGrades"; DELETE FROM "Periods";""");
        }

        await new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events).RecomputeAllAsync();

        Assert.Equal(await DescribeAsync(), incremental);
        await using var check = database.CreateContext();
        var assignment = await check.Assignments.AsNoTracking().Include(a => a.Periods).SingleAsync(a => a.CertificationId == renewing && a.LearnerId == bob);
        Assert.Equal(2, assignment.Periods.Count);
        Assert.Equal(new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc), assignment.Periods.Single(p => p.Number == 2).ExpiresAt);
    }

    [Fact]
    public async Task TheImportIsSetBasedWhateverTheNumberOfRows()
    {
        async Task<int> StatementsFor(int rows)
        {
            await using (var db = database.CreateContext())
            {
                for (var i = 0; i < rows; i++)
                {
                    await TestCatalog.AddLearnerAsync(db, $"Learner {rows} {i}");
                }
            }

            var lines = Enumerable.Range(0, rows).Select(i => $"learner.{rows}.{i}@example.com,Forklift,2025-0{1 + (i % 9)}-01,,").ToArray();
            var csv = await Csv(lines);
            commands.Clear();
            await import.ImportAsync(Admin, csv, dryRun: false);
            return commands.Count;
        }

        Assert.Equal(await StatementsFor(5), await StatementsFor(200));
    }

    [Fact]
    public async Task OnlyAdminsAndApiClientsImport()
    {
        var learner = new Actor("bob.safety@example.com", bob, new HashSet<string> { PortalRoles.Learner });

        await Assert.ThrowsAsync<AccessDeniedException>(() => import.ImportAsync(learner, [], dryRun: true));
    }
}
