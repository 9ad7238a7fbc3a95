using System.Data.Common;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Progress;

public sealed class ResultIngestionTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Assigned = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Sender = Actor.ApiClient("lms-feed");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private readonly EventHub events = new();
    private readonly List<PortalEvent> heard = [];
    private readonly CommandLog commands = new();
    private readonly FaultInjector faults = new();
    private TestDatabase database = null!;
    private ResultIngestion ingestion = null!;
    private Course safety = null!;
    private int certificationId;
    private int bob;
    private int alice;

    private int Step1 => safety.Steps[0].Id;

    private int Step2 => safety.Steps[1].Id;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands, faults);
        ingestion = Ingestion(database, time, events);
        safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2, ungradedSteps: 1);
        await using var db = database.CreateContext();
        certificationId = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [safety.Id], new DateOnly(2026, 3, 1));
        bob = (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id;
        alice = (await TestCatalog.AddLearnerAsync(db, "Alice Other")).Id;
        await ProgressData.AssignAsync(db, certificationId, bob, Assigned);
        events.Subscribe(e =>
        {
            heard.Add(e);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    internal static ResultIngestion Ingestion(TestDatabase database, TimeProvider time, EventHub events) =>
        new(database.Factory, time, new AccessGuard(database.Factory, time), new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events), events);

    private static ResultItem Item(string id, int learnerId, int stepId, decimal score, DateTime completedAt) => new(id, learnerId, stepId, score, completedAt);

    private async Task<List<StepResult>> StoredAsync()
    {
        await using var db = database.CreateContext();
        return await db.StepResults.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    private async Task<Assignment> BobsAssignmentAsync()
    {
        await using var db = database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Periods).ThenInclude(p => p.CourseGrades)
            .SingleAsync(a => a.CertificationId == certificationId && a.LearnerId == bob);
    }

    /// <summary>
    /// Two batches at once, as two instances take them, each completing one of a learner's two steps: whichever commits
    /// second must count the first's result, so every learner ends Completed, never left with one step of two.
    /// </summary>
    [Fact]
    public async Task TwoBatchesAtOnceForTheSameLearnersBothCount()
    {
        List<int> learners = [];
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 20; i++)
            {
                var learner = await TestCatalog.AddLearnerAsync(db, $"Concurrent {i}");
                await ProgressData.AssignAsync(db, certificationId, learner.Id, Assigned);
                learners.Add(learner.Id);
            }
        }

        var at = Now.AddDays(-1);
        var other = Ingestion(database, time, events);
        await Task.WhenAll(learners.SelectMany(learner => new[]
        {
            Task.Run(() => ingestion.IngestAsync(Sender, [Item($"a-{learner}", learner, Step1, 90m, at)])),
            Task.Run(() => other.IngestAsync(Sender, [Item($"b-{learner}", learner, Step2, 90m, at)])),
        }));

        await using var check = database.CreateContext();
        var statuses = await check.Assignments.AsNoTracking().Where(a => learners.Contains(a.LearnerId)).Select(a => new { a.LearnerId, a.Status, a.CoursesSatisfied }).ToListAsync();
        Assert.All(statuses, s => Assert.Equal((AssignmentStatus.Completed, 1), (s.Status, s.CoursesSatisfied)));
    }

    [Fact]
    public async Task EachBadItemIsRejectedOnItsOwnWithItsReasonAndTheGoodOnesAreRecorded()
    {
        var good = Now.AddDays(-1);
        ResultItem[] items =
        [
            new(null, bob, Step1, 80m, good),
            new("   ", bob, Step1, 80m, good),
            new(new string('x', StepResult.ExternalIdMaxLength + 1), bob, Step1, 80m, good),
            new("no-learner", null, Step1, 80m, good),
            new("unknown-learner", 987_654, Step1, 80m, good),
            new("no-step", bob, null, 80m, good),
            new("unknown-step", bob, 876_543, 80m, good),
            new("no-score", bob, Step1, null, good),
            new("below-zero", bob, Step1, -0.01m, good),
            new("above-hundred", bob, Step1, 100.01m, good),
            new("no-instant", bob, Step1, 80m, null),
            new("unspecified", bob, Step1, 80m, DateTime.SpecifyKind(good, DateTimeKind.Unspecified)),
            new("local", bob, Step1, 80m, good.ToLocalTime()),
            new("future", bob, Step1, 80m, Now.AddTicks(1)),
            null!,
            new(new string('y', StepResult.ExternalIdMaxLength), bob, Step1, 0m, Now),
            new("hundred", bob, Step2, 100m, good),
        ];

        var report = await ingestion.IngestAsync(Sender, items);

        string?[] reasons =
        [
            "The external id is missing.",
            "The external id is missing.",
            "The external id is 201 characters long; at most 200 are allowed.",
            "The learner id is missing.",
            "No learner has id 987654.",
            "The step id is missing.",
            "No step has id 876543.",
            "The score is missing.",
            "The score -0.01 is outside 0 to 100.",
            "The score 100.01 is outside 0 to 100.",
            "The completed-at instant is missing.",
            "The completed-at instant 2026-03-09T09:00:00 is not in UTC: send it with its offset or in UTC, such as 2026-03-01T09:30:00Z.",
            "is not in UTC",
            "The completed-at instant 2026-03-10T09:00:00.0000001Z is in the future: the portal's clock reads 2026-03-10T09:00:00Z.",
            "The item is empty.",
            null,
            null,
        ];
        Assert.Equal(items.Length, report.Items.Count);
        foreach (var (outcome, reason) in report.Items.Zip(reasons))
        {
            Assert.Equal(reason is null ? ResultItemState.Accepted : ResultItemState.Rejected, outcome.State);
            if (reason is not null)
            {
                Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
            }
        }

        Assert.Equal(Enumerable.Range(0, items.Length), report.Items.Select(i => i.Index));
        Assert.Equal((2, 0, 15), (report.Accepted, report.Duplicates, report.Rejected));
        var stored = await StoredAsync();
        Assert.Equal([(new string('y', 200), Step1, 0m, Now), ("hundred", Step2, 100m, good)], stored.Select(r => (r.ExternalId, r.StepId, r.Score, r.CompletedAt)));
        Assert.All(stored, r => Assert.Equal(Now, r.ReceivedAt));
    }

    [Fact]
    public async Task AnItemWithSeveralProblemsNamesThemAll()
    {
        var report = await ingestion.IngestAsync(Sender, [new ResultItem("", null, null, 101m, null)]);

        Assert.Equal(
            "The external id is missing. The learner id is missing. The step id is missing. The score 101 is outside 0 to 100. The completed-at instant is missing.",
            Assert.Single(report.Items).Reason);
    }

    [Fact]
    public async Task AnExternalIdRepeatedWithinABatchIsRecordedOnceAndReportedAsADuplicate()
    {
        var at = Now.AddDays(-2);
        var report = await ingestion.IngestAsync(Sender,
        [
            Item("r-1", bob, Step1, 80m, at),
            Item("r-1", bob, Step1, 80m, at),
            Item("r-1", bob, Step1, 95m, at),
        ]);

        Assert.Equal([ResultItemState.Accepted, ResultItemState.Duplicate, ResultItemState.Duplicate], report.Items.Select(i => i.State));
        Assert.Equal("Repeats item 0 of this batch, which is recorded.", report.Items[1].Reason);
        Assert.Contains("with a different learner, step, score or completed-at; item 0 is recorded", report.Items[2].Reason, StringComparison.Ordinal);
        Assert.Equal(80m, Assert.Single(await StoredAsync()).Score);
    }

    [Fact]
    public async Task AnExternalIdSentAgainInALaterBatchKeepsTheRecordedResult()
    {
        var at = Now.AddDays(-2);
        await ingestion.IngestAsync(Sender, [Item("r-1", bob, Step1, 80m, at)]);

        var again = await ingestion.IngestAsync(Sender, [Item("r-1", bob, Step1, 80m, at), Item("r-1", bob, Step2, 95m, at.AddHours(1))]);

        Assert.Equal([ResultItemState.Duplicate, ResultItemState.Duplicate], again.Items.Select(i => i.State));
        Assert.Equal("A result with this external id is already recorded.", again.Items[0].Reason);
        Assert.Contains("the recorded result is kept", again.Items[1].Reason, StringComparison.Ordinal);
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal((Step1, 80m, at), (stored.StepId, stored.Score, stored.CompletedAt));
    }

    [Fact]
    public async Task AnItemThatIsInvalidIsRejectedEvenWhenItsExternalIdIsRecorded()
    {
        await ingestion.IngestAsync(Sender, [Item("r-1", bob, Step1, 80m, Now.AddDays(-2))]);

        var report = await ingestion.IngestAsync(Sender, [Item("r-1", bob, Step1, 180m, Now.AddDays(-2))]);

        Assert.Equal(ResultItemState.Rejected, Assert.Single(report.Items).State);
    }

    [Fact]
    public async Task ABatchLargerThanTheLimitIsRefusedWholeAndRecordsNothing()
    {
        var items = Enumerable.Range(0, ResultIngestion.MaxBatchSize + 1)
            .Select(i => Item($"r-{i}", bob, Step1, 80m, Now.AddMinutes(-i)))
            .ToList();

        var refused = await Assert.ThrowsAsync<ResultBatchTooLargeException>(() => ingestion.IngestAsync(Sender, items));

        Assert.Equal(1001, refused.Count);
        Assert.Contains("at most 1,000", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync());
        Assert.Empty(heard);
    }

    [Fact]
    public async Task OnlyAdminsAndApiClientsMaySendResultsAndARefusalIsAudited()
    {
        var learner = new Actor("bob@example.com", bob, new HashSet<string> { PortalRoles.Learner });
        var manager = new Actor("boss@example.com", alice, new HashSet<string> { PortalRoles.Manager, PortalRoles.Learner });

        await Assert.ThrowsAsync<AccessDeniedException>(() => ingestion.IngestAsync(learner, [Item("r-1", bob, Step1, 80m, Now)]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => ingestion.IngestAsync(manager, [Item("r-2", bob, Step1, 80m, Now)]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => ingestion.IngestAsync(Actor.Anonymous, [Item("r-3", bob, Step1, 80m, Now)]));
        Assert.Empty(await StoredAsync());

        Assert.Equal(1, (await ingestion.IngestAsync(Actor.Admin("admin@example.com"), [Item("r-4", bob, Step1, 80m, Now)])).Accepted);
        Assert.Equal(1, (await ingestion.IngestAsync(Sender, [Item("r-5", bob, Step1, 80m, Now)])).Accepted);
        await using var db = database.CreateContext();
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Action == "AccessDenied"));
        Assert.Equal(["admin@example.com", "lms-feed"], await db.AuditEntries.Where(e => e.Action == "ResultsReceived").OrderBy(e => e.Id).Select(e => e.Actor).ToListAsync());
    }

    [Fact]
    public async Task ResultsThatCompleteACertificationMakeItCompletedBeforeTheCallReturns()
    {
        var report = await ingestion.IngestAsync(Sender,
        [
            Item("q1", bob, Step1, 75m, Now.AddDays(-3)),
            Item("q2", bob, Step2, 90m, Now.AddDays(-2)),
            Item("video", bob, safety.Steps[2].Id, 0m, Now.AddDays(-1)),
        ]);

        Assert.Equal(3, report.Accepted);
        var assignment = await BobsAssignmentAsync();
        Assert.Equal(AssignmentStatus.Completed, assignment.Status);
        Assert.Equal((1, 1), (assignment.CoursesSatisfied, assignment.CoursesRequired));
        Assert.Equal(Now, assignment.StatusChangedAt);
        var period = Assert.Single(assignment.Periods);
        Assert.Equal((Now.AddDays(-2), Assigned), (period.CompletedAt, period.WindowStart));
        Assert.Equal(82.5m, Assert.Single(period.CourseGrades).Grade);
    }

    [Fact]
    public async Task AResultOnlyPartOfTheWayPutsTheAssignmentInProgress()
    {
        await ingestion.IngestAsync(Sender, [Item("q1", bob, Step1, 75m, Now.AddDays(-3))]);

        var assignment = await BobsAssignmentAsync();
        Assert.Equal(AssignmentStatus.InProgress, assignment.Status);
        Assert.Null(Assert.Single(assignment.Periods).CompletedAt);
    }

    [Fact]
    public async Task ResultsSentLateAndOutOfOrderGiveTheCompletionResultsSentInOrderGive()
    {
        ResultItem[] inOrder =
        [
            Item("a", bob, Step1, 50m, Now.AddDays(-6)),
            Item("b", bob, Step2, 80m, Now.AddDays(-5)),
            Item("c", bob, Step1, 85m, Now.AddDays(-4)),
            Item("d", bob, Step2, 70m, Now.AddDays(-1)),
        ];
        await using var other = await TestDatabase.CreateAsync();
        await CopySetUpAsync(other);
        foreach (var item in inOrder)
        {
            await Ingestion(other, time, new EventHub()).IngestAsync(Sender, [item]);
        }

        await ingestion.IngestAsync(Sender, [inOrder[3]]);
        await ingestion.IngestAsync(Sender, [inOrder[2], inOrder[0]]);
        await ingestion.IngestAsync(Sender, [inOrder[1]]);

        // Without "b" the results completed the certification on day -1 at 77.5%; with it, on day -4 at 82.5%.
        var late = await BobsAssignmentAsync();
        Assert.Equal(Now.AddDays(-4), late.Periods.Single().CompletedAt);
        Assert.Equal(82.5m, late.Periods.Single().CourseGrades.Single().Grade);
        await using var db = database.CreateContext();
        await using var otherDb = other.CreateContext();
        Assert.Equal(await ProgressData.DescribeAsync(otherDb), await ProgressData.DescribeAsync(db));
    }

    private async Task CopySetUpAsync(TestDatabase other)
    {
        var copy = await TestCatalog.AddCourseAsync(other, "Safety 101", gradedSteps: 2, ungradedSteps: 1);
        Assert.Equal(safety.Steps.Select(s => s.Id), copy.Steps.Select(s => s.Id));
        await using var db = other.CreateContext();
        Assert.Equal(certificationId, await ProgressData.AddCertificationAsync(db, "Workplace Safety", [copy.Id], new DateOnly(2026, 3, 1)));
        Assert.Equal(bob, (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id);
        await ProgressData.AssignAsync(db, certificationId, bob, Assigned);
    }

    [Fact]
    public async Task OpenPagesHearAfterCommitWhichAssignmentsChangedAndWhoseResultsWereRecorded()
    {
        await using (var db = database.CreateContext())
        {
            await ProgressData.AssignAsync(db, certificationId, alice, Assigned);
        }

        var seenByListener = new List<string>();
        events.Subscribe(async e =>
        {
            // The test database has one connection: a query while the batch's transaction is open would throw.
            try
            {
                await using var db = database.CreateContext();
                seenByListener.Add($"{e.GetType().Name}: {await db.StepResults.CountAsync()} results, Bob {(await db.Assignments.SingleAsync(a => a.LearnerId == bob)).Status}");
            }
            catch (InvalidOperationException ex)
            {
                seenByListener.Add($"{e.GetType().Name}: failed, {ex.Message}");
            }
        });

        await ingestion.IngestAsync(Sender,
        [
            Item("q1", bob, Step1, 75m, Now.AddDays(-3)),
            Item("q2", bob, Step2, 90m, Now.AddDays(-2)),
            Item("a1", alice, Step1, 10m, Now.AddDays(-2)),
            Item("a2", alice, Step1, 20m, Now.AddDays(-2)),
        ]);

        Assert.Collection(
            heard,
            e =>
            {
                var changed = Assert.IsType<AssignmentsChanged>(e);
                Assert.Equal(certificationId, changed.CertificationId);
                Assert.Equal(new[] { bob, alice }.Order(), changed.LearnerIds);
            },
            e => Assert.Equal([bob], Assert.IsType<NotificationsRecorded>(e).RecipientIds), // Bob completed it: he is told.
            e => Assert.Equal(new[] { bob, alice }.Order(), Assert.IsType<ResultsRecorded>(e).LearnerIds));
        Assert.Equal(
            ["AssignmentsChanged: 4 results, Bob Completed", "NotificationsRecorded: 4 results, Bob Completed", "ResultsRecorded: 4 results, Bob Completed"],
            seenByListener);
    }

    [Fact]
    public async Task ResultsThatChangeNoStatusAreStillAnnouncedForTheGradesTheyShow()
    {
        await ingestion.IngestAsync(Sender, [Item("q1", bob, Step1, 75m, Now.AddDays(-3)), Item("q2", bob, Step2, 90m, Now.AddDays(-2))]);
        heard.Clear();

        // A replay after the completion neither moves it nor changes the grades recorded at completion.
        await ingestion.IngestAsync(Sender, [Item("q3", bob, Step1, 95m, Now.AddDays(-1)), Item("x", alice, Step1, 50m, Now.AddDays(-1))]);

        var recorded = Assert.IsType<ResultsRecorded>(Assert.Single(heard));
        Assert.Equal(new[] { bob, alice }.Order(), recorded.LearnerIds);
    }

    [Fact]
    public async Task ABatchWithNothingToRecordAnnouncesNothing()
    {
        await ingestion.IngestAsync(Sender, [Item("q1", bob, 123_456, 75m, Now.AddDays(-3)), new ResultItem(null, null, null, null, null)]);

        Assert.Empty(heard);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task WhenWritingProgressFailsNoResultOfTheBatchIsLeftBehind()
    {
        // The database refuses the completion the batch would record, after the results are inserted.
        await database.RefuseInsertsIntoAsync("Periods", "disk full");

        var failure = await Assert.ThrowsAnyAsync<DbException>(() => ingestion.IngestAsync(Sender,
        [
            Item("q1", bob, Step1, 75m, Now.AddDays(-3)),
            Item("q2", bob, Step2, 90m, Now.AddDays(-2)),
        ]));

        Assert.Contains("disk full", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync());
        var assignment = await BobsAssignmentAsync();
        Assert.Equal(AssignmentStatus.NotStarted, assignment.Status);
        Assert.Empty(assignment.Periods);
        Assert.Empty(heard);
        await using var check = database.CreateContext();
        Assert.False(await check.AuditEntries.AnyAsync(e => e.Action == "ResultsReceived"));
    }

    [Fact]
    public async Task CancellingAfterTheResultsAreInsertedLeavesNothingBehind()
    {
        using var cancel = new CancellationTokenSource();
        faults.AfterExecuted = sql =>
        {
            if (sql.StartsWith("INSERT INTO \"StepResults\"", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ingestion.IngestAsync(Sender,
        [
            Item("q1", bob, Step1, 75m, Now.AddDays(-3)),
            Item("q2", bob, Step2, 90m, Now.AddDays(-2)),
        ], cancel.Token));

        Assert.Empty(await StoredAsync());
        Assert.Equal(AssignmentStatus.NotStarted, (await BobsAssignmentAsync()).Status);
        Assert.Empty(heard);
    }

    [Fact]
    public async Task AnExternalIdRecordedByAnotherRequestAtTheSameMomentIsADuplicateNotAFailure()
    {
        faults.BeforeExecuting = command =>
        {
            if (command.CommandText.StartsWith("INSERT INTO \"StepResults\"", StringComparison.Ordinal))
            {
                faults.BeforeExecuting = null;
                using var meanwhile = command.Connection!.CreateCommand();
                meanwhile.Transaction = command.Transaction;
                meanwhile.CommandText =
                    $"""INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt") VALUES ({alice}, {Step1}, 40.0, '2026-03-09 09:00:00', 'q2', '2026-03-10 09:00:00')""";
                meanwhile.ExecuteNonQuery();
            }
        };

        var report = await ingestion.IngestAsync(Sender,
        [
            Item("q1", bob, Step1, 75m, Now.AddDays(-3)),
            Item("q2", bob, Step2, 90m, Now.AddDays(-2)),
        ]);

        Assert.Equal([ResultItemState.Accepted, ResultItemState.Duplicate], report.Items.Select(i => i.State));
        Assert.Contains("recorded by another request at the same moment", report.Items[1].Reason, StringComparison.Ordinal);
        Assert.Equal([("q1", bob), ("q2", alice)], (await StoredAsync()).Select(r => (r.ExternalId, r.LearnerId)).Order());
        Assert.Equal(AssignmentStatus.InProgress, (await BobsAssignmentAsync()).Status);
    }

    [Fact]
    public async Task ABatchOfAThousandResultsCostsAFewStatementsNotOnePerResult()
    {
        var firstAid = await TestCatalog.AddCourseAsync(database, "First aid", gradedSteps: 1);
        int both;
        int renewing;
        List<int> learners;
        await using (var db = database.CreateContext())
        {
            both = await ProgressData.AddCertificationAsync(db, "Both", [safety.Id, firstAid.Id], new DateOnly(2026, 3, 1));
            renewing = await ProgressData.AddCertificationAsync(db, "Renewing", [firstAid.Id], new DateOnly(2026, 3, 1), c =>
            {
                c.RenewalRequired = true;
                c.RenewalPeriodMonths = 1;
                c.RenewalWindowDays = 10;
            });
            var added = Enumerable.Range(0, 500).Select(i => new Learner { Name = $"Learner {i}", Email = $"l{i}@example.com", NormalizedEmail = $"L{i}@EXAMPLE.COM" }).ToList();
            db.Learners.AddRange(added);
            await db.SaveChangesAsync();
            learners = [.. added.Select(l => l.Id)];
            db.Assignments.AddRange(learners.SelectMany(learner => new[] { certificationId, both, renewing }.Select(certification => new Assignment
            {
                CertificationId = certification,
                LearnerId = learner,
                AssignedAt = Assigned,
                StatusChangedAt = Assigned,
                Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = Assigned }],
            })));
            await db.SaveChangesAsync();
        }

        async Task<int> StatementsForAsync(IReadOnlyList<ResultItem> batch)
        {
            commands.Clear();
            var report = await ingestion.IngestAsync(Sender, batch);
            Assert.Equal(batch.Count, report.Accepted);
            return commands.Count;
        }

        var few = await StatementsForAsync([.. learners.Take(5).Select(l => Item($"few-{l}", l, Step1, 60m, Now.AddDays(-3)))]);
        var thousand = await StatementsForAsync(
        [
            .. learners.Select(l => Item($"s1-{l}", l, Step1, 80m, Now.AddDays(-2))),
            .. learners.Select(l => Item($"s2-{l}", l, Step2, 90m, Now.AddDays(-1))),
        ]);

        // 500 learners complete one certification and progress in another: 1,000 assignments and 1,000 periods change.
        Assert.True(thousand <= 25, $"{thousand} statements:\n{string.Join("\n", commands.Statements)}");
        Assert.True(thousand - few <= 12, $"{few} statements for 5 results, {thousand} for 1,000");
        await using var check = database.CreateContext();
        var statuses = await check.Assignments.Where(a => learners.Contains(a.LearnerId))
            .GroupBy(a => new { a.CertificationId, a.Status }).Select(g => new { g.Key.CertificationId, g.Key.Status, Count = g.Count() })
            .ToListAsync();
        Assert.Equal(
            [(certificationId, AssignmentStatus.Completed, 500), (both, AssignmentStatus.InProgress, 500), (renewing, AssignmentStatus.NotStarted, 500)],
            statuses.Select(s => (s.CertificationId, s.Status, s.Count)).OrderBy(s => s.CertificationId));
        Assert.Equal(1000, await check.Periods.CountAsync(p => learners.Contains(p.Assignment!.LearnerId)));
    }

    /// <summary>Alice assigned (on 2 March) a certification of one one-step course; returns its id and the step's.</summary>
    private async Task<(int CertificationId, int StepId)> AliceAssignedAsync(string name, DateOnly effectiveFrom, decimal minimumPassingGrade = 70m)
    {
        var course = await TestCatalog.AddCourseAsync(database, $"{name} course", gradedSteps: 1);
        await using var db = database.CreateContext();
        var id = await ProgressData.AddCertificationAsync(db, name, [course.Id], effectiveFrom, c => c.MinimumPassingGrade = minimumPassingGrade);
        await ProgressData.AssignAsync(db, id, alice, Assigned);
        return (id, course.Steps[0].Id);
    }

    private async Task<Assignment> AlicesAssignmentAsync(int id)
    {
        await using var db = database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Periods).ThenInclude(p => p.CourseGrades).SingleAsync(a => a.CertificationId == id && a.LearnerId == alice);
    }

    // The statements that read results compare instants in the database: text on SQLite, timestamptz on PostgreSQL.
    [Fact]
    public async Task AResultAMicrosecondBeforeTheMidnightTheWindowOpensDoesNotCountAndOneAtMidnightDoes()
    {
        var (id, step) = await AliceAssignedAsync("Ladders", effectiveFrom: new DateOnly(2026, 3, 5));
        var midnight = new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc);

        await ingestion.IngestAsync(Sender, [Item("early", alice, step, 95m, midnight.AddTicks(-10))]);
        var before = await AlicesAssignmentAsync(id);
        await ingestion.IngestAsync(Sender, [Item("on-time", alice, step, 95m, midnight)]);
        var after = await AlicesAssignmentAsync(id);

        Assert.Equal((AssignmentStatus.NotStarted, 0), (before.Status, before.Periods.Count(p => p.CompletedAt != null)));
        Assert.Equal(AssignmentStatus.Completed, after.Status);
        Assert.Equal(midnight, after.Periods.Single().CompletedAt);
    }

    // Scores travel as JSON numbers into REAL (double precision) columns and back: none may move, or a grade on the
    // minimum would pass on one database and fail on the other, and every recompute would rewrite it.
    [Fact]
    public async Task AScoreOf79Point995IsKeptAsSentPassesAMinimumOf79Point995FailsOneOf80AndARecomputeLeavesItAlone()
    {
        var (exact, step) = await AliceAssignedAsync("Exact", new DateOnly(2026, 3, 1), minimumPassingGrade: 79.995m);
        int above;
        await using (var db = database.CreateContext())
        {
            var course = await db.Steps.Where(s => s.Id == step).Select(s => s.CourseId).SingleAsync();
            above = await ProgressData.AddCertificationAsync(db, "Above", [course], new DateOnly(2026, 3, 1), c => c.MinimumPassingGrade = 80m);
            await ProgressData.AssignAsync(db, above, alice, Assigned);
        }

        var recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
        await recompute.RecomputeAllAsync();
        await ingestion.IngestAsync(Sender, [Item("close", alice, step, 79.995m, Now.AddDays(-1))]);
        var again = await ingestion.IngestAsync(Sender, [Item("close", alice, step, 79.995m, Now.AddDays(-1))]);

        Assert.Equal(79.995m, (await StoredAsync()).Single().Score);
        Assert.Equal("A result with this external id is already recorded.", again.Items.Single().Reason);
        var passed = await AlicesAssignmentAsync(exact);
        Assert.Equal(AssignmentStatus.Completed, passed.Status);
        Assert.Equal(79.995m, passed.Periods.Single().CourseGrades.Single().Grade);
        Assert.Equal(AssignmentStatus.InProgress, (await AlicesAssignmentAsync(above)).Status);
        Assert.Equal(0, await recompute.RecomputeAllAsync());
    }

    // The result is written from JSON and read back as text for the rules; its completion is written from JSON again.
    [Fact]
    public async Task ACompletionIsDatedAtItsResultsInstantAsTheDatabaseKeepsIt()
    {
        var (id, step) = await AliceAssignedAsync("Harness", new DateOnly(2026, 3, 1));
        var completedAt = new DateTime(2026, 3, 9, 17, 45, 12, DateTimeKind.Utc).AddTicks(1_234_567);

        await ingestion.IngestAsync(Sender, [Item("precise", alice, step, 88m, completedAt)]);

        var stored = (await StoredAsync()).Single().CompletedAt;
        Assert.Equal(stored, (await AlicesAssignmentAsync(id)).Periods.Single().CompletedAt);
        Assert.Equal(DateTimeKind.Utc, stored.Kind);

        // SQLite keeps every tick; PostgreSQL keeps microseconds, as it keeps every instant the portal saves.
        Assert.Equal(database.IsPostgreSql ? completedAt.AddTicks(-7) : completedAt, stored);
    }

    /// <summary>Runs something just before or just after a statement, to play a race or a cancellation at a precise point.</summary>
    private sealed class FaultInjector : DbCommandInterceptor
    {
        public Action<DbCommand>? BeforeExecuting { get; set; }

        public Action<string>? AfterExecuted { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Before(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Before(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            AfterExecuted?.Invoke(command.CommandText);
            return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
        }

        private void Before(DbCommand command) => BeforeExecuting?.Invoke(command);
    }
}
