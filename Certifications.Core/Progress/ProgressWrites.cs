using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Progress;

/// <summary>
/// What a recompute changes in stored assignments and periods, gathered assignment by assignment and then written in a
/// fixed handful of set-based statements (one per kind of change and per <see cref="RowsPerStatement"/> rows), never one
/// per learner. The caller's transaction holds them together.
/// </summary>
internal sealed class ProgressWrites
{
    /// <summary>Rows per statement: bounds the size of each statement's one parameter, the rows as JSON.</summary>
    public const int RowsPerStatement = 2_000;

    private readonly List<object?[]> assignments = [];
    private readonly List<object?[]> updatedPeriods = [];
    private readonly List<object?[]> newPeriods = [];
    private readonly List<object?[]> grades = [];
    private readonly List<int> regradedPeriodIds = [];
    private readonly List<int> removedPeriodIds = [];

    public bool IsEmpty => assignments.Count == 0 && updatedPeriods.Count == 0 && newPeriods.Count == 0 && removedPeriodIds.Count == 0;

    /// <summary>Notes what it takes to bring the stored assignment in line with its standing; true when anything changes.</summary>
    public bool Add(Assignment stored, AssignmentStanding standing, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(standing);
        var statusChanged = stored.Status != standing.Status;
        var changed = statusChanged || stored.CoursesSatisfied != standing.CoursesSatisfied || stored.CoursesRequired != standing.CoursesRequired;
        // The next time-driven change is stored with the status; moving it alone changes nothing a page shows.
        if (changed || stored.NextTransitionAt != standing.NextTransitionAt)
        {
            assignments.Add([stored.Id, standing.Status.ToString(), statusChanged ? now : stored.StatusChangedAt, standing.CoursesSatisfied, standing.CoursesRequired, standing.NextTransitionAt]);
        }

        foreach (var computed in standing.Periods)
        {
            var period = stored.Periods.Find(p => p.Number == computed.Number);
            if (period is null)
            {
                newPeriods.Add([stored.Id, computed.Number, computed.WindowStart, computed.CompletedAt, computed.ExpiresAt, computed.ChainStart, computed.ChainIndex, computed.Source.ToString(), computed.CompletionRecordId]);
                AddGrades(stored.Id, computed);
                changed = true;
            }
            else if (!IsStoredAs(period, computed))
            {
                // Results that arrive late or out of order can move a completion earlier: the period follows the facts.
                updatedPeriods.Add([period.Id, computed.WindowStart, computed.CompletedAt, computed.ExpiresAt, computed.ChainStart, computed.ChainIndex, computed.Source.ToString(), computed.CompletionRecordId]);
                regradedPeriodIds.Add(period.Id);
                AddGrades(stored.Id, computed);
                changed = true;
            }
        }

        // An open period the facts no longer support (the assignment was withdrawn first) is removed; a completed one
        // never is, unless the standing derived it again (see AssignmentStanding.RederivedFrom) and no longer has it.
        foreach (var period in stored.Periods.Where(p => (p.CompletedAt is null || p.Number >= standing.RederivedFrom) && standing.Periods.All(c => c.Number != p.Number)))
        {
            removedPeriodIds.Add(period.Id);
            changed = true;
        }

        return changed;
    }

    /// <summary>Writes everything noted, in order: grades and periods that go, periods changed and added, their grades, assignments.</summary>
    public async Task SaveAsync(CertificationsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (IsEmpty)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Progress is written inside the caller's transaction, so that a failure leaves nothing half-saved.");
        }

        // Period ids come from the database and are written as integers: the statement text holds nothing else.
        if (regradedPeriodIds.Count > 0 || removedPeriodIds.Count > 0)
        {
            var regraded = $"""DELETE FROM "PeriodCourseGrades" WHERE "PeriodId" IN ({IdList([.. regradedPeriodIds, .. removedPeriodIds])})""";
            await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(regraded), ct);
        }

        if (removedPeriodIds.Count > 0)
        {
            var removed = $"""DELETE FROM "Periods" WHERE "Id" IN ({IdList(removedPeriodIds)})""";
            await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(removed), ct);
        }

        var sql = ProgressWritesSql.For(SqlDialects.Of(db.Database));
        await ExecuteAsync(db, sql, sql.UpdatePeriods, updatedPeriods, ct);
        await ExecuteAsync(db, sql, sql.InsertPeriods, newPeriods, ct);

        // Periods are unique by assignment and number, so new and changed periods alike find their row without its id.
        await ExecuteAsync(db, sql, sql.InsertGrades, grades, ct);
        await ExecuteAsync(db, sql, sql.UpdateAssignments, sql.Dialect == SqlDialect.Sqlite ? [.. assignments.Select(NextTransitionAsTicks)] : assignments, ct);
    }

    /// <summary>An assignment's row with its next transition as SQLite stores it: its ticks (see CertificationsDbContext).</summary>
    private static object?[] NextTransitionAsTicks(object?[] row) =>
        [.. row[..5], row[5] is DateTime next ? CertificationsDbContext.TicksConverter.ConvertToProviderTyped(next) : null];

    /// <summary>
    /// A score or grade as it reads back once stored: the column is REAL, and reading it back keeps 15 significant
    /// digits. A mean such as 200/3 has more, and compared unrounded would look changed on every run.
    /// </summary>
    public static decimal AsReadBack(decimal value) => (decimal)(double)value;

    /// <summary>Whether the stored period already says what the rules computed, grades compared as they read back.</summary>
    private static bool IsStoredAs(Period stored, ComputedPeriod computed) =>
        stored.WindowStart == computed.WindowStart && stored.CompletedAt == computed.CompletedAt && stored.ExpiresAt == computed.ExpiresAt
        && stored.ChainStart == computed.ChainStart && stored.ChainIndex == computed.ChainIndex
        && stored.Source == computed.Source && stored.CompletionRecordId == computed.CompletionRecordId
        && stored.CourseGrades.Count == computed.CourseGrades.Count
        && stored.CourseGrades.TrueForAll(g => computed.CourseGrades.TryGetValue(g.CourseId, out var grade) && AsReadBack(grade) == g.Grade);

    private void AddGrades(int assignmentId, ComputedPeriod computed)
    {
        foreach (var (courseId, grade) in computed.CourseGrades.OrderBy(g => g.Key))
        {
            // As the context writes a decimal to a REAL column.
            grades.Add([assignmentId, computed.Number, courseId, (double)grade]);
        }
    }

    private static string IdList(IEnumerable<int> ids) => string.Join(", ", ids.Distinct().Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Runs the statement once per chunk of rows, its one parameter ({0}) the rows as a JSON array of arrays, which the
    /// statement reads with json_each (jsonb_array_elements on PostgreSQL). SQLite binds parameters by name, each a scan
    /// of the statement's list, so hundreds of rows of separate parameters cost more to bind than to write; one parameter
    /// costs nothing whatever the rows.
    /// </summary>
    private static async Task ExecuteAsync(CertificationsDbContext db, ProgressWritesSql sql, string statement, List<object?[]> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(statement, Json(chunk, sql.Dialect)), ct);
        }
    }

    /// <summary>
    /// Rows as a JSON array of arrays, each value as the context would store it: an instant as its UTC text (on SQLite the
    /// form EF Core writes for a <see cref="DateTime"/>; on PostgreSQL ISO 8601 with its Z, to the microsecond as the
    /// provider writes a timestamptz), a decimal as a double (REAL, double precision). Both read a JSON number back to
    /// the very double written (shortest round-trip form).
    /// </summary>
    internal static string Json(IEnumerable<object?[]> rows, SqlDialect dialect)
    {
        var instantFormat = dialect == SqlDialect.PostgreSql ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd HH:mm:ss.FFFFFFF";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartArray();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null:
                            json.WriteNullValue();
                            break;
                        case int number:
                            json.WriteNumberValue(number);
                            break;
                        case long number:
                            json.WriteNumberValue(number);
                            break;
                        case double number:
                            json.WriteNumberValue(number);
                            break;
                        case decimal number:
                            json.WriteNumberValue((double)number);
                            break;
                        case DateTime instant:
                            json.WriteStringValue(instant.ToString(instantFormat, CultureInfo.InvariantCulture));
                            break;
                        case string text:
                            json.WriteStringValue(text);
                            break;
                        default:
                            throw new ArgumentException($"A {value.GetType().Name} has no JSON form here.", nameof(rows));
                    }
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>
/// The progress writes' statements, on each database, side by side: one JSON parameter ({0}) of rows in the order
/// <see cref="ProgressWrites"/> notes them. PostgreSQL reads each value as text (->>) and casts it to its column's type.
/// </summary>
internal sealed record ProgressWritesSql(SqlDialect Dialect, string UpdatePeriods, string InsertPeriods, string InsertGrades, string UpdateAssignments)
{
    public static ProgressWritesSql Sqlite { get; } = new(
        SqlDialect.Sqlite,
        UpdatePeriods: """
            UPDATE "Periods"
            SET "WindowStart" = v.value ->> 1, "CompletedAt" = v.value ->> 2, "ExpiresAt" = v.value ->> 3, "ChainStart" = v.value ->> 4, "ChainIndex" = v.value ->> 5,
                "Source" = v.value ->> 6, "CompletionRecordId" = v.value ->> 7
            FROM json_each({0}) AS v
            WHERE "Periods"."Id" = v.value ->> 0
            """,
        InsertPeriods: """
            INSERT INTO "Periods" ("AssignmentId", "Number", "WindowStart", "CompletedAt", "ExpiresAt", "ChainStart", "ChainIndex", "Source", "CompletionRecordId")
            SELECT v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, v.value ->> 5, v.value ->> 6, v.value ->> 7, v.value ->> 8
            FROM json_each({0}) AS v
            """,
        InsertGrades: """
            INSERT INTO "PeriodCourseGrades" ("PeriodId", "CourseId", "Grade")
            SELECT p."Id", v.value ->> 2, v.value ->> 3
            FROM json_each({0}) AS v
            JOIN "Periods" p ON p."AssignmentId" = v.value ->> 0 AND p."Number" = v.value ->> 1
            """,
        UpdateAssignments: """
            UPDATE "Assignments"
            SET "Status" = v.value ->> 1, "StatusChangedAt" = v.value ->> 2, "CoursesSatisfied" = v.value ->> 3, "CoursesRequired" = v.value ->> 4, "NextTransitionAt" = v.value ->> 5
            FROM json_each({0}) AS v
            WHERE "Assignments"."Id" = v.value ->> 0
            """);

    public static ProgressWritesSql PostgreSql { get; } = new(
        SqlDialect.PostgreSql,
        UpdatePeriods: """
            UPDATE "Periods"
            SET "WindowStart" = (v.value ->> 1)::timestamptz, "CompletedAt" = (v.value ->> 2)::timestamptz, "ExpiresAt" = (v.value ->> 3)::timestamptz,
                "ChainStart" = (v.value ->> 4)::timestamptz, "ChainIndex" = (v.value ->> 5)::integer,
                "Source" = v.value ->> 6, "CompletionRecordId" = (v.value ->> 7)::bigint
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            WHERE "Periods"."Id" = (v.value ->> 0)::integer
            """,
        InsertPeriods: """
            INSERT INTO "Periods" ("AssignmentId", "Number", "WindowStart", "CompletedAt", "ExpiresAt", "ChainStart", "ChainIndex", "Source", "CompletionRecordId")
            SELECT (v.value ->> 0)::integer, (v.value ->> 1)::integer, (v.value ->> 2)::timestamptz, (v.value ->> 3)::timestamptz,
                   (v.value ->> 4)::timestamptz, (v.value ->> 5)::timestamptz, (v.value ->> 6)::integer, v.value ->> 7, (v.value ->> 8)::bigint
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            """,
        InsertGrades: """
            INSERT INTO "PeriodCourseGrades" ("PeriodId", "CourseId", "Grade")
            SELECT p."Id", (v.value ->> 2)::integer, (v.value ->> 3)::double precision
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            JOIN "Periods" p ON p."AssignmentId" = (v.value ->> 0)::integer AND p."Number" = (v.value ->> 1)::integer
            """,
        UpdateAssignments: """
            UPDATE "Assignments"
            SET "Status" = v.value ->> 1, "StatusChangedAt" = (v.value ->> 2)::timestamptz, "CoursesSatisfied" = (v.value ->> 3)::integer,
                "CoursesRequired" = (v.value ->> 4)::integer, "NextTransitionAt" = (v.value ->> 5)::timestamptz
            FROM jsonb_array_elements(CAST({0} AS jsonb)) AS v
            WHERE "Assignments"."Id" = (v.value ->> 0)::integer
            """);

    public static ProgressWritesSql For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
}
