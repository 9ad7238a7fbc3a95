using System.Globalization;
using System.Runtime.CompilerServices;
using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Progress;

/// <summary>An assignment by its certification and learner.</summary>
internal readonly record struct AssignmentKey(int CertificationId, int LearnerId);

/// <summary>
/// Derives every assignment's periods and status from the results, by the rules, and stores what changed.
/// Set-based: a fixed handful of statements per batch of learners (loading the assignments with their periods, their
/// results, and one write per kind of change), never one per learner. Running it twice at the same instant changes
/// nothing the second time. Result ingestion runs the same evaluation on the assignments its results touch, inside its
/// own transaction.
/// </summary>
public sealed class ProgressRecompute(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    EventHub events)
{
    /// <summary>Learners evaluated per batch: bounds the size of each query's id list and of each transaction.</summary>
    public const int BatchSize = 500;

    /// <summary>Below this many assignments, spreading the rules over the cores costs more than it saves.</summary>
    private const int EvaluatedInParallelFrom = 64;

    private readonly AccessGuard guard = new(factory, time);

    /// <summary>
    /// Repair: an admin recomputes every assignment from the results. The run is recorded in the audit trail with the
    /// number of assignments it changed.
    /// </summary>
    /// <param name="progress">Told the assignments recomputed so far, of all, after each committed batch.</param>
    public async Task<int> RecomputeAllAsync(Actor actor, IProgress<OperationProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "recomputing every learner's progress", ct);
        var changed = await RecomputeEveryCertificationAsync(progress, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor.Name, "Progress", "all", "Recomputed", new { AssignmentsChanged = changed });
        await db.SaveChangesAsync(ct);
        return changed;
    }

    /// <summary>Recomputes every certification that has assignments; returns the number of assignments that changed.</summary>
    public Task<int> RecomputeAllAsync(CancellationToken ct = default) => RecomputeEveryCertificationAsync(progress: null, ct);

    private async Task<int> RecomputeEveryCertificationAsync(IProgress<OperationProgress>? progress, CancellationToken ct)
    {
        List<(int Id, int Assignments)> certifications;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            certifications = [.. (await db.Assignments.AsNoTracking()
                    .GroupBy(a => a.CertificationId)
                    .Select(g => new { g.Key, Count = g.Count() })
                    .OrderBy(g => g.Key)
                    .ToListAsync(ct))
                .Select(g => (g.Key, g.Count))];
        }

        var total = certifications.Sum(c => c.Assignments);
        var before = 0;
        progress?.Report(new OperationProgress(OperationProgress.Recomputing, 0, total));
        var changed = 0;
        foreach (var (id, assignments) in certifications)
        {
            var offset = before;
            var overall = progress is null ? null : new ReportedAs(p => progress.Report(new OperationProgress(p.Stage, offset + p.Done, total)));
            changed += await RecomputeCertificationAsync(id, learnerIds: null, overall, ct);
            before += assignments;
        }

        progress?.Report(new OperationProgress(OperationProgress.Recomputing, total, total));
        return changed;
    }

    /// <summary>Passes a certification's progress on as a part of a larger operation's, at once, on the reporting thread.</summary>
    private sealed class ReportedAs(Action<OperationProgress> report) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => report(value);
    }

    /// <summary>
    /// Recomputes after a change that is already committed: a failure is logged and repaired by the next recompute, never
    /// reported as a failed save. Set-based writes fail with the provider's own exception, EF Core's with its own.
    /// </summary>
    internal Task RecomputeAfterCommitAsync(int certificationId, IReadOnlyCollection<int>? learnerIds, ILogger logger, CancellationToken ct) =>
        RecomputeAfterCommitAsync(certificationId, learnerIds, logger, progress: null, ct);

    /// <inheritdoc cref="RecomputeAfterCommitAsync(int, IReadOnlyCollection{int}?, ILogger, CancellationToken)"/>
    internal async Task RecomputeAfterCommitAsync(
        int certificationId, IReadOnlyCollection<int>? learnerIds, ILogger logger, IProgress<OperationProgress>? progress, CancellationToken ct)
    {
        try
        {
            await RecomputeCertificationAsync(certificationId, learnerIds, progress, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            CoreLog.RecomputeAfterCommitFailed(logger, certificationId, ex);
        }
    }

    /// <summary>
    /// Recomputes one certification's assignments, all of them or only the given learners', in batches of
    /// <see cref="BatchSize"/> learners, each in its own transaction.
    /// </summary>
    public Task<int> RecomputeCertificationAsync(int certificationId, IReadOnlyCollection<int>? learnerIds = null, CancellationToken ct = default) =>
        RecomputeCertificationAsync(certificationId, learnerIds, progress: null, ct);

    /// <inheritdoc cref="RecomputeCertificationAsync(int, IReadOnlyCollection{int}?, CancellationToken)"/>
    /// <param name="progress">Told the learners recomputed so far, of all, at the start and after each committed batch.</param>
    public async Task<int> RecomputeCertificationAsync(
        int certificationId, IReadOnlyCollection<int>? learnerIds, IProgress<OperationProgress>? progress, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        CertificationTerms? terms;
        List<int> learners;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            terms = await LoadTermsAsync(db, certificationId, ct);
            if (terms is null)
            {
                return 0;
            }

            var assignments = db.Assignments.Where(a => a.CertificationId == certificationId);
            if (learnerIds is not null)
            {
                var ids = learnerIds.ToList();
                assignments = assignments.Where(a => EF.Parameter(ids).Contains(a.LearnerId));
            }

            learners = await assignments.Select(a => a.LearnerId).OrderBy(id => id).ToListAsync(ct);
        }

        var known = new Dictionary<int, CertificationTerms> { [certificationId] = terms };
        var changed = new List<int>();
        var notifications = new NotificationOutbox();
        var done = 0;
        progress?.Report(new OperationProgress(OperationProgress.Recomputing, 0, learners.Count));
        foreach (var batch in learners.Chunk(BatchSize))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // One JSON parameter for the batch's learners: SQLite binds hundreds of separate parameters by name, one look-up each.
            var scope = db.Assignments.Where(a => a.CertificationId == certificationId && EF.Parameter(batch).Contains(a.LearnerId));
            changed.AddRange((await RecomputeAsync(db, scope, now, known, transitions: null, notifications, ResultsToRead.All, ct)).Select(k => k.LearnerId));
            await transaction.CommitAsync(ct);
            done += batch.Length;
            progress?.Report(new OperationProgress(OperationProgress.Recomputing, done, learners.Count));
        }

        if (changed.Count > 0)
        {
            await events.PublishAsync(new AssignmentsChanged(certificationId, changed));
        }

        await notifications.AnnounceAsync(events);

        return changed.Count;
    }

    /// <summary>
    /// Evaluates the assignments <paramref name="scope"/> selects by the rules, at <paramref name="now"/>, and writes what
    /// changed, on the caller's context and inside its transaction; announcing is the caller's, after commit. Six
    /// queries to read (the assignments with their periods and grades, the terms unless known, the results) and one
    /// statement per kind of change to write, whatever the number of assignments and certifications.
    /// </summary>
    /// <returns>The assignments whose status, progress or periods changed.</returns>
    internal Task<IReadOnlyList<AssignmentKey>> RecomputeAsync(
        CertificationsDbContext db,
        IQueryable<Assignment> scope,
        DateTime now,
        IReadOnlyDictionary<int, CertificationTerms>? knownTerms,
        CancellationToken ct) =>
        RecomputeAsync(db, scope, now, knownTerms, transitions: null, notifications: null, ResultsToRead.All, ct);

    /// <inheritdoc cref="RecomputeAsync(CertificationsDbContext, IQueryable{Assignment}, DateTime, IReadOnlyDictionary{int, CertificationTerms}?, CancellationToken)"/>
    /// <param name="transitions">
    /// Gathers the time-driven transitions the evaluation makes (Renewals); they are written with the status, unless
    /// it is a preview's, which writes nothing at all. Null records them as made by no sweep run.
    /// </param>
    /// <param name="notifications">
    /// Gathers the notifications the evaluation causes; they are recorded with the status (the caller announces them
    /// after commit). Null records them all the same, unannounced.
    /// </param>
    /// <param name="read">Which results to read: all, or only from each assignment's latest recorded period when the caller knows no earlier fact changed.</param>
    internal async Task<IReadOnlyList<AssignmentKey>> RecomputeAsync(
        CertificationsDbContext db,
        IQueryable<Assignment> scope,
        DateTime now,
        IReadOnlyDictionary<int, CertificationTerms>? knownTerms,
        TransitionLog? transitions,
        NotificationOutbox? notifications,
        ResultsToRead read,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        var assignments = await LoadWithPeriodsAsync(db, scope, read, ct);
        if (assignments.Count == 0)
        {
            return [];
        }

        var certificationIds = assignments.Select(a => a.CertificationId).Distinct().ToList();
        var terms = knownTerms is not null && certificationIds.TrueForAll(knownTerms.ContainsKey)
            ? knownTerms
            : await LoadTermsAsync(db, certificationIds, ct);
        assignments.RemoveAll(a => !terms.ContainsKey(a.CertificationId));
        if (assignments.Count == 0)
        {
            return [];
        }

        // Only results that can count reach the rules: on a graded step of the certification's courses, from the
        // assignment's first window on (or from its latest recorded period on, as the caller allows), up to now. Any
        // other could only be explained as not counting (ungraded, before the window, not yet completed), and a
        // recompute stores standings, not explanations.
        var firstWindows = assignments.ToDictionary(
            a => a.Id,
            a => AssignmentRules.FirstWindowStart(a.AssignedAt, a.GraceDays, terms[a.CertificationId].EffectiveFrom, calendar));
        var readFrom = assignments
            .Select(a => (a.Id, From: read.From(a)))
            .Where(a => a.From > firstWindows[a.Id])
            .ToDictionary(a => a.Id, a => a.From!.Value);
        var results = await ResultsAsync(db, assignments, a => readFrom.TryGetValue(a.Id, out var from) ? from : firstWindows[a.Id], now, ct);

        // Completion records (imported history, admin overrides) are facts next to the results.
        var completions = await CompletionFacts.LoadAsync(db, assignments.Select(a => (a.Id, a.LearnerId, a.CertificationId)), ct);

        // The terms were read first (or before the batch, when known): the rules take the results on their graded steps.
        var gradedStepsOf = certificationIds.Where(terms.ContainsKey).ToDictionary(
            id => id,
            id => terms[id].Courses.SelectMany(c => c.Steps).Where(s => s.IsGraded).Select(s => s.StepId).ToHashSet());

        // The rules are plain functions of their inputs: a large batch is evaluated on every core, then its changes are
        // gathered in order, so the statements written are the same whatever the machine.
        var ordered = assignments.OrderBy(a => a.CertificationId).ThenBy(a => a.LearnerId).ToArray();
        var standings = new AssignmentStanding[ordered.Length];
        // Renewals: the transitions the clock made since the last evaluation, each at the instant it took effect. The
        // walk evaluates the assignment at each instant over the same results, sorted once, and replays the periods
        // it already replayed from memory.
        var walks = new IReadOnlyList<FoundTransition>[ordered.Length];
        bool Evaluate(int i, ILookup<int, ResultFact> resultsOf, DateTime? resultsFrom)
        {
            var assignment = ordered[i];
            var steps = gradedStepsOf[assignment.CertificationId];
            var facts = ProgressRules.CanonicalResults.Remembering(resultsOf[assignment.Id].Where(r => steps.Contains(r.StepId)));
            var history = History(assignment);
            List<CompletionFact> records = [.. completions[assignment.Id]];
            var partial = false;
            AssignmentStanding EvaluateAt(DateTime at)
            {
                var standing = AssignmentRules.Evaluate(terms[assignment.CertificationId], assignment.Facts(), facts, at, calendar, history, records, resultsFrom);
                partial |= standing.NeedsEarlierResults;
                return standing;
            }

            // The walk reads statuses only; the standing at now is stored with its progress, so its current window too is read whole.
            standings[i] = EvaluateAt(now);
            partial |= standings[i].Current.WindowStart < resultsFrom;
            walks[i] = TransitionLog.Walk(assignment, EvaluateAt, now);
            return partial;
        }

        var partials = new bool[ordered.Length];
        EvaluateAll(ordered.Length, i => partials[i] = Evaluate(i, results, readFrom.TryGetValue(ordered[i].Id, out var from) ? from : null), ct);

        // An evaluation that needed the results of a window before those read is made again with every result and grade.
        var again = Enumerable.Range(0, ordered.Length).Where(i => partials[i]).ToArray();
        if (again.Length > 0)
        {
            List<Assignment> evaluatedAgain = [.. again.Select(i => ordered[i])];
            await AttachGradesAsync(db, evaluatedAgain, ct);
            var everyResult = await ResultsAsync(db, evaluatedAgain, a => firstWindows[a.Id], now, ct);
            EvaluateAll(again.Length, k => Evaluate(again[k], everyResult, resultsFrom: null), ct);
        }

        // Notifications: the "due in N days" reminder is an instant of its own, so the stored next wake-up stops there too.
        var reminders = await NotificationReminders.LoadAsync(db, terms, calendar, ct);
        var outbox = notifications ?? new NotificationOutbox();
        var notBefore = now - NotificationRules.NewsFor;

        var writes = new ProgressWrites();
        var changed = new List<AssignmentKey>();
        var log = transitions ?? new TransitionLog(runId: null, now);
        for (var i = 0; i < ordered.Length; i++)
        {
            var reminderAt = reminders.GetValueOrDefault(ordered[i].CertificationId);
            outbox.Add(NotificationRules.Events(ordered[i], standings[i], reminderAt, now, notBefore));
            if (writes.Add(ordered[i], NotificationRules.WakeForReminder(standings[i], reminderAt, now), now))
            {
                changed.Add(new AssignmentKey(ordered[i].CertificationId, ordered[i].LearnerId));
            }

            log.Add(walks[i]);
        }

        if (log.WritesNothing)
        {
            return changed;
        }

        await writes.SaveAsync(db, ct);
        await log.SaveAsync(db, ct);
        await outbox.SaveAsync(db, now, ct);
        return changed;
    }

    /// <summary>Runs the evaluations on every core when there are enough of them to gain from it, in order otherwise.</summary>
    private static void EvaluateAll(int count, Action<int> evaluate, CancellationToken ct)
    {
        if (count >= EvaluatedInParallelFrom)
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = ct }, evaluate);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                evaluate(i);
            }
        }
    }

    /// <summary>The results that can count of each assignment, from the instant given for it up to now, by assignment.</summary>
    private static async Task<ILookup<int, ResultFact>> ResultsAsync(
        CertificationsDbContext db, List<Assignment> assignments, Func<Assignment, DateTime> from, DateTime now, CancellationToken ct) =>
        (await db.Database.SqlQuery<StoredResult>(ResultsThatCanCount(db, assignments, from, now)).ToListAsync(ct))
            .ToLookup(
                r => r.AssignmentId,
                r => new ResultFact(r.Id, r.StepId, (decimal)r.Score, StoredInstant(r.CompletedAt)));

    /// <summary>
    /// The assignments with their periods and the periods' grades, in three queries, the periods and grades found by the
    /// assignments' ids (one JSON parameter) and attached here. An Include split the same way sorts every period and
    /// grade by assignment in SQLite and attaches them through EF Core's navigation fix-up: 1.6 times as long on
    /// 500,000 assignments with 2,300,000 grades. A period that stands as recorded whatever the results read (see
    /// <see cref="StandsAsRecorded"/>) is never compared nor rewritten, so its grades are not read.
    /// </summary>
    private static async Task<List<Assignment>> LoadWithPeriodsAsync(CertificationsDbContext db, IQueryable<Assignment> scope, ResultsToRead read, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null && SqlDialects.Of(db.Database) == SqlDialect.PostgreSql)
        {
            scope = await LockAsync(db, scope, ct);
        }

        var assignments = await scope.AsNoTracking().ToListAsync(ct);
        if (assignments.Count == 0)
        {
            return assignments;
        }

        var ids = assignments.Select(a => a.Id).ToList();
        var periodsOf = (await db.Periods.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.AssignmentId)).ToListAsync(ct)).ToLookup(p => p.AssignmentId);
        foreach (var assignment in assignments)
        {
            assignment.Periods = [.. periodsOf[assignment.Id].OrderBy(p => p.Id)];
        }

        var graded = assignments
            .SelectMany(a => read.From(a) is { } from ? a.Periods.Where(p => !StandsAsRecorded(p, from)) : a.Periods)
            .ToList();
        if (graded.Count == periodsOf.Sum(p => p.Count()))
        {
            await AttachGradesAsync(db, assignments, ct);
        }
        else
        {
            var periodIds = graded.Select(p => p.Id).ToList();
            var grades = (await db.PeriodCourseGrades.AsNoTracking().Where(g => EF.Parameter(periodIds).Contains(g.PeriodId)).ToListAsync(ct)).ToLookup(g => g.PeriodId);
            foreach (var period in graded)
            {
                period.CourseGrades = [.. grades[period.Id]];
            }
        }

        return assignments;
    }

    /// <summary>
    /// A complete period with its expiry, whose window opens before the results read from <paramref name="from"/>: the
    /// rules keep it as recorded without reading it (see <see cref="AssignmentRules.Evaluate"/>), and the writes find
    /// it as stored. One without its expiry is not: the rules place one, and the period is written again with its grades.
    /// </summary>
    private static bool StandsAsRecorded(Period period, DateTime from) =>
        period is { CompletedAt: not null, ExpiresAt: not null } && period.WindowStart < from;

    /// <summary>Every period's grades of the assignments, in one query by the assignments' ids.</summary>
    private static async Task AttachGradesAsync(CertificationsDbContext db, IReadOnlyCollection<Assignment> assignments, CancellationToken ct)
    {
        var ids = assignments.Select(a => a.Id).ToList();
        var grades = (await db.PeriodCourseGrades.AsNoTracking().Where(g => EF.Parameter(ids).Contains(g.Period!.AssignmentId)).ToListAsync(ct))
            .ToLookup(g => g.PeriodId);
        foreach (var period in assignments.SelectMany(a => a.Periods))
        {
            period.CourseGrades = [.. grades[period.Id]];
        }
    }

    /// <summary>
    /// PostgreSQL: locks the assignments' rows, in id order, until the transaction ends, before anything about them is
    /// read. Another instance (or request) evaluating one of them at the same moment waits for this transaction, then
    /// reads what it committed: two batches of results for one learner both count, and a period is never opened twice.
    /// SQLite needs nothing: its writers take turns for the whole transaction (BEGIN IMMEDIATE).
    /// </summary>
    /// <returns>The same assignments, as their ids.</returns>
    private static async Task<IQueryable<Assignment>> LockAsync(CertificationsDbContext db, IQueryable<Assignment> scope, CancellationToken ct)
    {
        var ids = await scope.Select(a => a.Id).ToArrayAsync(ct);
        var locked = ids.Length == 0
            ? []
            : await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Assignments" WHERE "Id" = ANY({ids}) ORDER BY "Id" FOR UPDATE""").ToListAsync(ct);
        return db.Assignments.Where(a => EF.Parameter(locked).Contains(a.Id));
    }

    /// <summary>
    /// Each assignment's results on the graded steps of its certification's courses, from its first window to now: one
    /// statement for the whole batch, the assignments as one JSON parameter, read once into a table. The joins are
    /// written in the order SQLite is to run them (CROSS JOIN keeps it): from each assignment to its courses, their
    /// graded steps, then a seek on the (learner, step, completed-at, score) index for each, which reads only the rows
    /// wanted and never the table. Left to itself, without statistics, SQLite reads every result of the learner and
    /// looks its step up afterwards: twice the time on 10,000,000 results (BENCHMARKS.md, Scale).
    /// </summary>
    private static FormattableString ResultsThatCanCount(CertificationsDbContext db, List<Assignment> assignments, Func<Assignment, DateTime> from, DateTime now)
    {
        var dialect = SqlDialects.Of(db.Database);
        var scope = ProgressWrites.Json(assignments.Select(a => new object?[] { a.Id, a.LearnerId, a.CertificationId, from(a) }), dialect);
        return FormattableStringFactory.Create(ResultsThatCanCountSql.For(dialect), scope, now);
    }

    /// <summary>
    /// <see cref="ResultsThatCanCount"/> on each database: {0} the assignments (id, learner, certification, first window)
    /// as JSON, {1} now. SQLite compares instants as the text it stores them as, and returns that text; PostgreSQL compares
    /// timestamptz and returns the same text, to the microsecond, so that both are read alike.
    /// </summary>
    private static class ResultsThatCanCountSql
    {
        private const string Sqlite = """
            WITH a AS MATERIALIZED (
                SELECT value ->> 0 AS "Id", value ->> 1 AS "LearnerId", value ->> 2 AS "CertificationId", value ->> 3 AS "From"
                FROM json_each({0})
            )
            SELECT a."Id" AS "AssignmentId", r."Id", r."StepId", r."Score", r."CompletedAt"
            FROM a
            CROSS JOIN "CertificationCourses" AS cc ON cc."CertificationId" = a."CertificationId"
            CROSS JOIN "Steps" AS s ON s."CourseId" = cc."CourseId" AND s."IsGraded"
            CROSS JOIN "StepResults" AS r ON r."LearnerId" = a."LearnerId" AND r."StepId" = s."Id" AND r."CompletedAt" >= a."From" AND r."CompletedAt" <= {1}
            """;

        private const string PostgreSql = """
            WITH a AS MATERIALIZED (
                SELECT (value ->> 0)::integer AS "Id", (value ->> 1)::integer AS "LearnerId", (value ->> 2)::integer AS "CertificationId",
                       (value ->> 3)::timestamptz AS "From"
                FROM jsonb_array_elements(CAST({0} AS jsonb))
            )
            SELECT a."Id" AS "AssignmentId", r."Id", r."StepId", r."Score",
                   to_char(r."CompletedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "CompletedAt"
            FROM a
            JOIN "CertificationCourses" AS cc ON cc."CertificationId" = a."CertificationId"
            JOIN "Steps" AS s ON s."CourseId" = cc."CourseId" AND s."IsGraded"
            JOIN "StepResults" AS r ON r."LearnerId" = a."LearnerId" AND r."StepId" = s."Id" AND r."CompletedAt" >= a."From" AND r."CompletedAt" <= {1}
            """;

        public static string For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
    }

    /// <summary>
    /// A result as <see cref="ResultsThatCanCount"/> reads it: the score as stored (REAL, converted as the context
    /// converts it), the instant as its text, parsed by <see cref="StoredInstant"/>.
    /// </summary>
    internal sealed class StoredResult
    {
        public int AssignmentId { get; init; }

        public long Id { get; init; }

        public int StepId { get; init; }

        public double Score { get; init; }

        public string CompletedAt { get; init; } = "";
    }

    /// <summary>
    /// A UTC instant as stored, "yyyy-MM-dd HH:mm:ss" and up to seven decimals, read by position: a full recompute reads
    /// millions of them, and the general parser the provider uses took a sixth of the time spent reading results. Any
    /// other text goes to that parser.
    /// </summary>
    internal static DateTime StoredInstant(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 19 or (>= 21 and <= 27) && text[4] == '-' && text[7] == '-' && text[10] == ' ' && text[13] == ':' && text[16] == ':'
            && (text.Length == 19 || text[19] == '.')
            && Digits(text, 0, 4) is var year and > 0 && Digits(text, 5, 2) is var month and >= 1 and <= 12
            && Digits(text, 8, 2) is var day and >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Digits(text, 11, 2) is var hour and >= 0 and < 24 && Digits(text, 14, 2) is var minute and >= 0 and < 60
            && Digits(text, 17, 2) is var second and >= 0 and < 60
            && (text.Length == 19 || Digits(text, 20, text.Length - 20) >= 0))
        {
            var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
            if (text.Length > 19)
            {
                var fraction = Digits(text, 20, text.Length - 20);
                for (var i = text.Length - 20; i < 7; i++)
                {
                    fraction *= 10;
                }

                ticks += fraction;
            }

            return new DateTime(ticks, DateTimeKind.Utc);
        }

        return DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }

    /// <summary>The number the digits at <paramref name="start"/> spell, or -1 when one is not a digit.</summary>
    private static int Digits(string text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return -1;
            }

            value = value * 10 + (text[i] - '0');
        }

        return value;
    }

    private static List<ComputedPeriod> History(Assignment assignment) =>
    [
        .. assignment.Periods.Where(p => p.CompletedAt is not null).Select(p => new ComputedPeriod(
            p.Number, p.WindowStart, p.CompletedAt, p.ExpiresAt, p.ChainStart, p.ChainIndex,
            p.CourseGrades.ToDictionary(g => g.CourseId, g => g.Grade)) { Source = p.Source, CompletionRecordId = p.CompletionRecordId }),
    ];

    /// <summary>The certification's terms as the rules take them: one query for the certification, one for its courses' steps.</summary>
    public static async Task<CertificationTerms?> LoadTermsAsync(CertificationsDbContext db, int certificationId, CancellationToken ct) =>
        (await LoadTermsAsync(db, [certificationId], ct)).GetValueOrDefault(certificationId);

    /// <summary>Several certifications' terms at once, by id: one query for the certifications, one for their courses' steps.</summary>
    public static async Task<IReadOnlyDictionary<int, CertificationTerms>> LoadTermsAsync(
        CertificationsDbContext db, IReadOnlyCollection<int> certificationIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(certificationIds);
        var ids = certificationIds.Distinct().ToList();
        var certifications = await db.Certifications.AsNoTracking()
            .Where(c => EF.Parameter(ids).Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.EffectiveFrom,
                c.DueDate,
                c.MinimumPassingGrade,
                c.RenewalRequired,
                c.RenewalPeriodMonths,
                c.RenewalWindowDays,
                c.RenewalAnchor,
                Courses = c.Courses.OrderBy(cc => cc.Position).Select(cc => new { cc.CourseId, cc.Course!.Title }).ToList(),
            })
            .ToListAsync(ct);
        if (certifications.Count == 0)
        {
            return new Dictionary<int, CertificationTerms>();
        }

        var courseIds = certifications.SelectMany(c => c.Courses).Select(c => c.CourseId).Distinct().ToList();
        var steps = (await db.Steps.AsNoTracking()
                .Where(s => EF.Parameter(courseIds).Contains(s.CourseId))
                .OrderBy(s => s.Position).ThenBy(s => s.Id)
                .Select(s => new { s.CourseId, Requirement = new StepRequirement(s.Id, s.Title, s.IsGraded) })
                .ToListAsync(ct))
            .ToLookup(s => s.CourseId, s => s.Requirement);
        return certifications.ToDictionary(
            certification => certification.Id,
            certification => new CertificationTerms(
                certification.EffectiveFrom,
                certification.RenewalRequired ? null : certification.DueDate,
                certification.MinimumPassingGrade,
                certification is { RenewalRequired: true, RenewalPeriodMonths: { } months }
                    ? new RenewalPolicy(months, certification.RenewalWindowDays, certification.RenewalAnchor)
                    : null,
                [.. certification.Courses.Select(c => new CourseRequirement(c.CourseId, c.Title, [.. steps[c.CourseId]]))]));
    }
}
