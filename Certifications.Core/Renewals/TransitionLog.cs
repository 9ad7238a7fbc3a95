using System.Runtime.CompilerServices;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Renewals;

/// <summary>A time-driven change of one assignment's status, as the walk finds it.</summary>
internal sealed record FoundTransition(int AssignmentId, int CertificationId, int LearnerId, AssignmentStatus From, AssignmentStatus To, DateTime EffectiveAt)
{
    public TransitionKind Kind => AssignmentTransition.KindOf(From, To);
}

/// <summary>
/// Gathers the time-driven transitions an evaluation makes and writes them with the status change, in the caller's
/// transaction, in one multi-row statement per <see cref="RowsPerStatement"/> transitions.
/// <para>
/// Every evaluation of stored progress walks through one (results arriving, a recompute, the sweep), so a transition is
/// recorded by whichever evaluation first reaches its instant, and only by that one: the stored next-transition instant
/// moves past it in the same transaction.
/// </para>
/// </summary>
/// <param name="runId">The sweep run recording, or null for any other evaluation.</param>
/// <param name="recordedAt">The instant of the evaluation.</param>
/// <param name="writesNothing">A preview: the evaluation gathers what it would change and stores nothing.</param>
internal sealed class TransitionLog(long? runId, DateTime recordedAt, bool writesNothing = false)
{
    public const int RowsPerStatement = 500;

    private readonly List<FoundTransition> found = [];

    public bool WritesNothing { get; } = writesNothing;

    public IReadOnlyList<FoundTransition> Found => found;

    /// <summary>
    /// Walks the instants at which the stored assignment's status changes with the clock, from its stored
    /// <see cref="Assignment.NextTransitionAt"/> up to <paramref name="now"/>, in order, and notes each change at the
    /// instant it took effect: a month of downtime over a window opening and an expiry gives both, each at its own
    /// instant. A change is what the rules say just before the instant against what they say at it, whatever the
    /// stored status says, so that a change the facts made in between (results, a withdrawal) is never taken for one
    /// the clock made.
    /// </summary>
    public static IReadOnlyList<FoundTransition> Walk(Assignment stored, Func<DateTime, AssignmentStanding> evaluateAt, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(evaluateAt);
        if (stored.NextTransitionAt is not { } at || at > now)
        {
            return [];
        }

        var walked = new List<FoundTransition>();
        var before = evaluateAt(at.AddTicks(-1)).Status;

        // Terminates: each standing's next instant is later than the instant it was evaluated at.
        while (true)
        {
            var standing = evaluateAt(at);
            if (standing.Status != before)
            {
                walked.Add(new FoundTransition(stored.Id, stored.CertificationId, stored.LearnerId, before, standing.Status, at));
            }

            if (standing.NextTransitionAt is not { } next || next > now)
            {
                return walked;
            }

            before = standing.Status;
            at = next;
        }
    }

    /// <summary>Notes the transitions a <see cref="Walk"/> found, in the order they are to be written.</summary>
    public void Add(IReadOnlyList<FoundTransition> walked) => found.AddRange(walked);

    public async Task SaveAsync(CertificationsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (WritesNothing)
        {
            throw new InvalidOperationException("A preview writes nothing.");
        }

        // One JSON parameter per statement, as the progress writes send theirs: binding thousands of separate ones costs more than the rows.
        var dialect = SqlDialects.Of(db.Database);
        foreach (var chunk in found.Chunk(RowsPerStatement))
        {
            var rows = ProgressWrites.Json(chunk.Select(t => new object?[] { t.AssignmentId, t.From.ToString(), t.To.ToString(), t.Kind.ToString(), t.EffectiveAt }), dialect);
            await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(InsertSql.For(dialect), rows, recordedAt, runId), ct);
        }
    }

    /// <summary>The insert on each database: {0} the rows (assignment, from, to, kind, effective at) as JSON, {1} recorded at, {2} the run or null.</summary>
    private static class InsertSql
    {
        private const string Sqlite = """
            INSERT INTO "AssignmentTransitions" ("AssignmentId", "From", "To", "Kind", "EffectiveAt", "RecordedAt", "RunId")
            SELECT v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, {1}, {2}
            FROM json_each({0}) AS v
            """;

        // A null run id is a parameter of no type, which PostgreSQL would read as text: the cast says what it is.
        private const string PostgreSql = """
            INSERT INTO "AssignmentTransitions" ("AssignmentId", "From", "To", "Kind", "EffectiveAt", "RecordedAt", "RunId")
            SELECT (v.value ->> 0)::integer, v.value ->> 1, v.value ->> 2, v.value ->> 3, (v.value ->> 4)::timestamptz, {1}, CAST({2} AS bigint)
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            """;

        public static string For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
    }
}
