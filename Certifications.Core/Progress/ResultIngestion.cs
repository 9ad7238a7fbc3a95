using System.Globalization;
using System.Runtime.CompilerServices;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Progress;

/// <summary>
/// One step result as another system sends it. Every field may be missing, since senders make mistakes: each item is
/// checked on its own. <paramref name="CompletedAt"/> must be a UTC instant (<see cref="DateTimeKind.Utc"/>); an API
/// reading an instant with an offset passes its <see cref="DateTimeOffset.UtcDateTime"/>, and one without an offset
/// is refused rather than guessed.
/// </summary>
public sealed record ResultItem(string? ExternalId, int? LearnerId, int? StepId, decimal? Score, DateTime? CompletedAt);

public enum ResultItemState
{
    /// <summary>Recorded now.</summary>
    Accepted,

    /// <summary>Its external id is already recorded, or came earlier in the batch: the recorded result is kept.</summary>
    Duplicate,

    /// <summary>Not recorded; the reason says what is wrong with it.</summary>
    Rejected,
}

/// <summary>What became of the item at <paramref name="Index"/> (0-based, in the order sent); a reason unless accepted.</summary>
public sealed record ResultItemOutcome(int Index, string? ExternalId, ResultItemState State, string? Reason);

/// <summary>One outcome per item sent, in the order sent.</summary>
public sealed record IngestionReport(IReadOnlyList<ResultItemOutcome> Items)
{
    public int Accepted => Items.Count(i => i.State == ResultItemState.Accepted);

    public int Duplicates => Items.Count(i => i.State == ResultItemState.Duplicate);

    public int Rejected => Items.Count(i => i.State == ResultItemState.Rejected);
}

/// <summary>
/// A batch larger than <see cref="ResultIngestion.MaxBatchSize"/> was sent: it is refused whole and nothing of it is
/// recorded. The API answers it with a problem+json body, like malformed JSON.
/// </summary>
public sealed class ResultBatchTooLargeException : Exception
{
    public ResultBatchTooLargeException()
        : this(string.Create(CultureInfo.InvariantCulture, $"A batch holds at most {ResultIngestion.MaxBatchSize:N0} results."))
    {
    }

    public ResultBatchTooLargeException(string message)
        : base(message)
    {
    }

    public ResultBatchTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResultBatchTooLargeException(int count)
        : this(string.Create(CultureInfo.InvariantCulture, $"The batch holds {count:N0} results; at most {ResultIngestion.MaxBatchSize:N0} are accepted in one batch. Nothing was recorded: send it again in smaller batches.")) =>
        Count = count;

    /// <summary>How many items the refused batch held.</summary>
    public int Count { get; }
}

/// <summary>
/// Records step results sent by other systems and brings the progress they touch up to date in the same transaction,
/// so that a learner who completes a certification with this batch reads as completed as soon as it returns.
/// <list type="bullet">
/// <item>Each item is accepted or rejected on its own, with a reason: a missing, blank or over-long external id; a
/// missing or unknown learner or step; a score missing or outside 0–100; a completed-at missing, not UTC, or later than
/// the portal's clock (no tolerance: a result counts from its completed-at, and one the clock has not reached yet could
/// not count now, so the sender is told rather than the result kept silently waiting).</item>
/// <item>An external id is one result: one already recorded, or sent earlier in the same batch, is reported as a
/// duplicate and the recorded result is kept, even when the content differs.</item>
/// <item>Set-based: a fixed number of statements per batch whatever its size (the learners, steps and stored external
/// ids of the batch in one query each, the rows inserted in bulk, then the touched assignments recomputed by
/// <see cref="ProgressRecompute"/>'s own evaluation), never one per item.</item>
/// <item>The touched assignments are those of every certification including the course of a result's step, for that
/// result's learner, whatever the certification's state: exactly what a full recompute would evaluate with the new
/// results.</item>
/// </list>
/// After commit, open pages hear <see cref="AssignmentsChanged"/> per certification for the learners whose assignment
/// changed, and <see cref="ResultsRecorded"/> for every learner with an accepted result.
/// </summary>
public sealed class ResultIngestion(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events)
{
    /// <summary>The most results one batch may hold; a larger batch is refused whole (<see cref="ResultBatchTooLargeException"/>).</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>How many times a batch the database ended in a deadlock is tried, in all.</summary>
    private const int MaxAttempts = 3;

    private const string RecordedMeanwhile = "A result with this external id was recorded by another request at the same moment; the recorded result is kept.";

    /// <summary>
    /// Checks and records the batch, recomputes the progress it touches and announces both, all or nothing: a failure of
    /// the database leaves no result and no progress of the batch behind.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor is neither an admin nor an API client.</exception>
    /// <exception cref="ResultBatchTooLargeException">The batch holds more than <see cref="MaxBatchSize"/> items.</exception>
    public async Task<IngestionReport> IngestAsync(Actor actor, IReadOnlyList<ResultItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(items);
        await guard.RequireAdminOrApiClientAsync(actor, "sending step results", ct);
        if (items.Count > MaxBatchSize)
        {
            throw new ResultBatchTooLargeException(items.Count);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var outcomes = new ResultItemOutcome?[items.Count];
        var candidates = new List<Candidate>();
        for (var i = 0; i < items.Count; i++)
        {
            if (ShapeProblems(items[i], now) is { } problems)
            {
                outcomes[i] = new ResultItemOutcome(i, items[i]?.ExternalId, ResultItemState.Rejected, problems);
            }
            else
            {
                var item = items[i];
                candidates.Add(new Candidate(i, item.ExternalId!, item.LearnerId!.Value, item.StepId!.Value, item.Score!.Value, item.CompletedAt!.Value));
            }
        }

        if (candidates.Count == 0)
        {
            return new IngestionReport([.. outcomes.Select(o => o!)]);
        }

        // On PostgreSQL two batches sharing external ids, sent to two instances at once in different orders, can each wait
        // for the other's rows: the server ends one of them, which starts again from the beginning and finds the other's
        // rows recorded (SQLite's writers take turns for the whole transaction).
        var shaped = outcomes;
        Recorded recorded;
        for (var attempt = 1; ; attempt++)
        {
            outcomes = (ResultItemOutcome?[])shaped.Clone();
            try
            {
                recorded = await RecordAsync(actor, candidates, outcomes, now, ct);
                break;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsDeadlock(ex))
            {
                // Nothing of the attempt stands: its transaction was rolled back.
            }
        }

        var (report, changed, notifications, accepted, inserted) = recorded;
        foreach (var certification in changed.GroupBy(k => k.CertificationId).OrderBy(g => g.Key))
        {
            await events.PublishAsync(new AssignmentsChanged(certification.Key, [.. certification.Select(k => k.LearnerId).Distinct().Order()]));
        }

        await notifications.AnnounceAsync(events);
        if (inserted.Count > 0)
        {
            await events.PublishAsync(new ResultsRecorded([.. accepted.Where(c => inserted.ContainsKey(c.ExternalId)).Select(c => c.LearnerId).Distinct().Order()]));
        }

        return report;
    }

    private sealed record Recorded(IngestionReport Report, IReadOnlyList<AssignmentKey> Changed, NotificationOutbox Notifications, List<Candidate> Accepted, Dictionary<string, long> Inserted);

    /// <summary>The batch's candidates recorded and the progress they touch recomputed, in one transaction.</summary>
    private async Task<Recorded> RecordAsync(Actor actor, List<Candidate> candidates, ResultItemOutcome?[] outcomes, DateTime now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var accepted = await SortAsync(db, candidates, outcomes, ct);
        var inserted = await InsertAsync(db, accepted, now, ct);
        foreach (var candidate in accepted)
        {
            outcomes[candidate.Index] = inserted.ContainsKey(candidate.ExternalId)
                ? new ResultItemOutcome(candidate.Index, candidate.ExternalId, ResultItemState.Accepted, null)
                : new ResultItemOutcome(candidate.Index, candidate.ExternalId, ResultItemState.Duplicate, RecordedMeanwhile);
        }

        IReadOnlyList<AssignmentKey> changed = [];
        var notifications = new NotificationOutbox();
        if (inserted.Count > 0)
        {
            // Each new result on a graded step touches its learner's assignments to the certifications that include the
            // step's course (a result on an ungraded step never counts, so it changes no progress). They are found from
            // the learners and steps sent, without reading the new rows back; their ids serve the recompute's queries.
            var recorded = accepted.Where(c => inserted.ContainsKey(c.ExternalId)).ToList();
            var sent = ProgressWrites.Json(
                recorded.Select(c => (c.LearnerId, c.StepId)).Distinct().Select(p => new object?[] { p.LearnerId, p.StepId }),
                SqlDialects.Of(db.Database));
            var touched = await db.Database.SqlQuery<int>(FormattableStringFactory.Create(ResultIngestionSql.For(SqlDialects.Of(db.Database)).TouchedAssignments, sent)).ToListAsync(ct);

            // Every touched assignment was evaluated when its last fact was recorded: the new results are the only new
            // facts, so where they all complete after its latest period's window opened, only the results from there on
            // are read (see ResultsToRead.AfterNewResults).
            var read = ResultsToRead.AfterNewResults(recorded.GroupBy(c => c.LearnerId).ToDictionary(g => g.Key, g => g.Min(c => c.CompletedAt)));
            changed = await recompute.RecomputeAsync(db, db.Assignments.Where(a => EF.Parameter(touched).Contains(a.Id)), now, knownTerms: null, transitions: null, notifications, read, ct);
        }

        var report = new IngestionReport([.. outcomes.Select(o => o!)]);
        AuditTrail.Record(db, now, actor.Name, "StepResults", "batch", "ResultsReceived", new { report.Accepted, report.Duplicates, report.Rejected, AssignmentsChanged = changed.Count });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Recorded(report, changed, notifications, accepted, inserted);
    }

    private static bool IsDeadlock(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Candidate(int Index, string ExternalId, int LearnerId, int StepId, decimal Score, DateTime CompletedAt)
    {
        public bool SameContent(int learnerId, int stepId, decimal score, DateTime completedAt) =>
            LearnerId == learnerId && StepId == stepId && ProgressWrites.AsReadBack(Score) == ProgressWrites.AsReadBack(score) && CompletedAt == completedAt;
    }

    /// <summary>What is wrong with the item on its own, before the database is asked anything; null when nothing.</summary>
    private static string? ShapeProblems(ResultItem? item, DateTime now)
    {
        if (item is null)
        {
            return "The item is empty.";
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(item.ExternalId))
        {
            problems.Add("The external id is missing.");
        }
        else if (item.ExternalId.Length > StepResult.ExternalIdMaxLength)
        {
            problems.Add(Invariant($"The external id is {item.ExternalId.Length} characters long; at most {StepResult.ExternalIdMaxLength} are allowed."));
        }

        if (item.LearnerId is null)
        {
            problems.Add("The learner id is missing.");
        }

        if (item.StepId is null)
        {
            problems.Add("The step id is missing.");
        }

        if (item.Score is not { } score)
        {
            problems.Add("The score is missing.");
        }
        else if (score is < 0m or > 100m)
        {
            problems.Add(Invariant($"The score {score} is outside 0 to 100."));
        }

        if (item.CompletedAt is not { } completedAt)
        {
            problems.Add("The completed-at instant is missing.");
        }
        else if (completedAt.Kind != DateTimeKind.Utc)
        {
            // A time without its zone could be hours off, and would move a completion silently: the sender says UTC.
            problems.Add($"The completed-at instant {Iso(completedAt)} is not in UTC: send it with its offset or in UTC, such as 2026-03-01T09:30:00Z.");
        }
        else if (completedAt > now)
        {
            problems.Add($"The completed-at instant {Iso(completedAt)}Z is in the future: the portal's clock reads {Iso(now)}Z.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    /// <summary>
    /// Rejects items naming an unknown learner or step and marks repeated external ids as duplicates, with three queries
    /// whatever the batch size; returns the items to insert, in the order sent.
    /// </summary>
    private static async Task<List<Candidate>> SortAsync(CertificationsDbContext db, List<Candidate> candidates, ResultItemOutcome?[] outcomes, CancellationToken ct)
    {
        var learnerIds = candidates.Select(c => c.LearnerId).Distinct().ToList();
        var stepIds = candidates.Select(c => c.StepId).Distinct().ToList();
        var externalIds = candidates.Select(c => c.ExternalId).Distinct().ToList();
        // Each list goes as one JSON parameter: SQLite binds a thousand separate parameters by name, one scan each.
        var learners = (await db.Learners.AsNoTracking().Where(l => EF.Parameter(learnerIds).Contains(l.Id)).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var steps = (await db.Steps.AsNoTracking().Where(s => EF.Parameter(stepIds).Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var stored = await db.StepResults.AsNoTracking()
            .Where(r => EF.Parameter(externalIds).Contains(r.ExternalId))
            .Select(r => new { r.ExternalId, r.LearnerId, r.StepId, r.Score, r.CompletedAt })
            .ToDictionaryAsync(r => r.ExternalId, StringComparer.Ordinal, ct);

        var accepted = new List<Candidate>();
        var firstInBatch = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var unknown = new List<string>();
            if (!learners.Contains(candidate.LearnerId))
            {
                unknown.Add(Invariant($"No learner has id {candidate.LearnerId}."));
            }

            if (!steps.Contains(candidate.StepId))
            {
                unknown.Add(Invariant($"No step has id {candidate.StepId}."));
            }

            var (state, reason) = unknown.Count > 0
                ? (ResultItemState.Rejected, string.Join(" ", unknown))
                : stored.TryGetValue(candidate.ExternalId, out var recorded)
                    ? (ResultItemState.Duplicate, candidate.SameContent(recorded.LearnerId, recorded.StepId, recorded.Score, recorded.CompletedAt)
                        ? "A result with this external id is already recorded."
                        : "A result with this external id is already recorded with a different learner, step, score or completed-at; the recorded result is kept and this one is ignored.")
                    : firstInBatch.TryGetValue(candidate.ExternalId, out var first)
                        ? (ResultItemState.Duplicate, candidate.SameContent(first.LearnerId, first.StepId, first.Score, first.CompletedAt)
                            ? Invariant($"Repeats item {first.Index} of this batch, which is recorded.")
                            : Invariant($"Repeats the external id of item {first.Index} of this batch with a different learner, step, score or completed-at; item {first.Index} is recorded and this one is ignored."))
                        : (ResultItemState.Accepted, null);
            if (state == ResultItemState.Accepted)
            {
                firstInBatch[candidate.ExternalId] = candidate;
                accepted.Add(candidate);
            }
            else
            {
                outcomes[candidate.Index] = new ResultItemOutcome(candidate.Index, candidate.ExternalId, state, reason);
            }
        }

        return accepted;
    }

    /// <summary>
    /// Inserts the rows in one statement, the rows as one JSON parameter (SQLite binds thousands of separate parameters by
    /// name, one scan each). An external id recorded meanwhile by another request is skipped by the unique index rather
    /// than failing the batch. Returns the new rows' ids by external id.
    /// </summary>
    private static async Task<Dictionary<string, long>> InsertAsync(CertificationsDbContext db, List<Candidate> accepted, DateTime now, CancellationToken ct)
    {
        // The score as the context stores it (REAL), so rules and reports read back the same value either way.
        var rows = ProgressWrites.Json(accepted.Select(c => new object?[] { c.LearnerId, c.StepId, (double)c.Score, c.CompletedAt, c.ExternalId }), SqlDialects.Of(db.Database));
        var inserted = await db.Database.SqlQuery<InsertedResult>(FormattableStringFactory.Create(ResultIngestionSql.For(SqlDialects.Of(db.Database)).InsertResults, rows, now)).ToListAsync(ct);
        return inserted.ToDictionary(r => r.ExternalId, r => r.Id, StringComparer.Ordinal);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 without a zone designator and without trailing zeros.</summary>
    private static string Iso(DateTime instant) => instant.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>A row the bulk insert returned.</summary>
    internal sealed class InsertedResult
    {
        public long Id { get; init; }

        public string ExternalId { get; init; } = "";
    }
}

/// <summary>
/// Result ingestion's statements on each database, side by side. <see cref="TouchedAssignments"/>: {0} the (learner,
/// step) pairs recorded, as JSON; the assignments their graded steps touch. <see cref="InsertResults"/>: {0} the rows
/// (learner, step, score, completed-at, external id), {1} now; the rows inserted, by id and external id.
/// </summary>
internal sealed record ResultIngestionSql(string TouchedAssignments, string InsertResults)
{
    public static ResultIngestionSql Sqlite { get; } = new(
        TouchedAssignments: """
            SELECT DISTINCT a."Id" AS "Value"
            FROM json_each({0}) AS v
            CROSS JOIN "Steps" AS s ON s."Id" = v.value ->> 1 AND s."IsGraded"
            CROSS JOIN "CertificationCourses" AS cc ON cc."CourseId" = s."CourseId"
            CROSS JOIN "Assignments" AS a ON a."CertificationId" = cc."CertificationId" AND a."LearnerId" = v.value ->> 0
            """,

        // The WHERE stops SQLite reading ON CONFLICT as a join constraint of the SELECT.
        InsertResults: """
            INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
            SELECT v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, {1}
            FROM json_each({0}) AS v
            WHERE true
            ON CONFLICT ("ExternalId") DO NOTHING
            RETURNING "Id", "ExternalId"
            """);

    public static ResultIngestionSql PostgreSql { get; } = new(
        TouchedAssignments: """
            SELECT DISTINCT a."Id" AS "Value"
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            JOIN "Steps" AS s ON s."Id" = (v.value ->> 1)::integer AND s."IsGraded"
            JOIN "CertificationCourses" AS cc ON cc."CourseId" = s."CourseId"
            JOIN "Assignments" AS a ON a."CertificationId" = cc."CertificationId" AND a."LearnerId" = (v.value ->> 0)::integer
            """,
        InsertResults: """
            INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
            SELECT (v.value ->> 0)::integer, (v.value ->> 1)::integer, (v.value ->> 2)::double precision, (v.value ->> 3)::timestamptz, v.value ->> 4, {1}
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            ON CONFLICT ("ExternalId") DO NOTHING
            RETURNING "Id", "ExternalId"
            """);

    public static ResultIngestionSql For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
}
