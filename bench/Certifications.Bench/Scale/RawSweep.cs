using Certifications.Bench.Enrolment;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>
/// The sweep's writes by hand, in one transaction: the assignments whose next transition has come, read once on the
/// index with their latest period; one transition row each, from the stored status to the one a single look at the
/// stored dates gives; the open period of a renewal window that opened; the status and next transition of each; a run
/// row with the counts. A lower bound of the sweep's work: it takes each assignment's last step only (the sweep walks
/// every instant since the last evaluation, and records each) and reads no results (the sweep replays them by the rules,
/// so a window opening over replays already made is seen to complete the next period).
/// </summary>
internal static class RawSweep
{
    public const string Description =
        "one transaction: the due assignments read once on the next-transition index with their certification and latest period (a temporary table), " +
        "one statement per kind of write (a transition row each, from the stored status to the one the stored dates give; the open period of each renewal " +
        "window that opened; status, changed-at and next transition; a run row with the counts). Each assignment's last step only, no results read. " +
        "The next transition is stored as ticks, as the portal stores it, and converted to and from the text of the other instants in SQL.";

    internal sealed record Counts(int Assignments, int Transitions);

    private const string Due = """
        CREATE TEMP TABLE "Due" AS
        SELECT a."Id", a."Status" AS "From",
               strftime('%Y-%m-%d %H:%M:%S', (a."NextTransitionAt" - 621355968000000000) / 10000000, 'unixepoch')
                   || CASE WHEN a."NextTransitionAt" % 10000000 = 0 THEN '' ELSE '.' || rtrim(printf('%07d', a."NextTransitionAt" % 10000000), '0') END AS "At",
               p."Number", p."ExpiresAt",
               CASE
                   WHEN a."Status" = 'Scheduled' THEN 'NotStarted'
                   WHEN a."Status" IN ('Certified', 'ExpiringSoon') AND a."WithdrawnAt" IS NOT NULL THEN 'Withdrawn'
                   WHEN a."Status" = 'Certified' AND p."ExpiresAt" <= $at THEN 'RenewalDue'
                   WHEN a."Status" = 'Certified' THEN 'ExpiringSoon'
                   WHEN a."Status" = 'ExpiringSoon' THEN 'RenewalDue'
                   WHEN a."Status" IN ('NotStarted', 'InProgress') THEN 'Overdue'
                   ELSE a."Status"
               END AS "To"
        FROM "Assignments" a
        LEFT JOIN "Periods" p ON p."AssignmentId" = a."Id" AND p."Number" = (SELECT MAX(q."Number") FROM "Periods" q WHERE q."AssignmentId" = a."Id")
        WHERE a."NextTransitionAt" <= $atTicks;
        """;

    private const string Writes = """
        INSERT INTO "AssignmentTransitions" ("AssignmentId", "From", "To", "Kind", "EffectiveAt", "RecordedAt", "RunId")
        SELECT "Id", "From", "To",
               CASE
                   WHEN "From" = 'Scheduled' THEN 'Started'
                   WHEN "To" = 'ExpiringSoon' THEN 'ExpiringSoon'
                   WHEN "To" = 'RenewalDue' THEN 'RenewalDue'
                   WHEN "To" = 'Overdue' THEN 'Overdue'
                   WHEN "To" = 'Withdrawn' THEN 'Expired'
                   ELSE 'Other'
               END,
               "At", $at, NULL
        FROM "Due" WHERE "To" <> "From";

        INSERT INTO "Periods" ("AssignmentId", "Number", "WindowStart", "CompletedAt", "ExpiresAt", "ChainStart", "ChainIndex", "Source")
        SELECT "Id", "Number" + 1, "At", NULL, NULL, NULL, 0, 'Results'
        FROM "Due" WHERE "From" = 'Certified' AND "To" IN ('ExpiringSoon', 'RenewalDue');

        UPDATE "Assignments"
        SET "Status" = d."To", "StatusChangedAt" = $at,
            "NextTransitionAt" = CASE WHEN d."To" = 'ExpiringSoon' THEN unixepoch(substr(d."ExpiresAt", 1, 19)) * 10000000
                + CAST(substr(substr(d."ExpiresAt", 21) || '0000000', 1, 7) AS INTEGER) + 621355968000000000 END
        FROM "Due" d
        WHERE "Assignments"."Id" = d."Id";

        INSERT INTO "SweepRuns" ("Trigger", "StartedAt", "FinishedAt", "AssignmentsEvaluated", "AssignmentsChanged", "Started", "ExpiringSoon", "RenewalDue", "Overdue", "Expired", "Other")
        SELECT 'RunNow', $at, $at, COUNT(*), SUM("To" <> "From"), SUM("From" = 'Scheduled'), SUM("To" = 'ExpiringSoon'), SUM("To" = 'RenewalDue'),
               SUM("To" = 'Overdue'), SUM("To" = 'Withdrawn'), 0
        FROM "Due";
        """;

    public static async Task<Counts> RunAsync(string connectionString, DateTime at)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var text = EnrolmentGenerator.Text(at);
        await ExecuteAsync(connection, Due, text, at.Ticks);
        await ExecuteAsync(connection, Writes, text, at.Ticks);
        await using var count = connection.CreateCommand();
        count.CommandText = """SELECT COUNT(*), SUM("To" <> "From") FROM "Due"; """;
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        var counts = new Counts(reader.GetInt32(0), reader.IsDBNull(1) ? 0 : reader.GetInt32(1));
        await reader.DisposeAsync();
        await ExecuteAsync(connection, """DROP TABLE "Due";""", text, at.Ticks);
        await transaction.CommitAsync();
        return counts;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, string at, long atTicks)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.Parameters.AddWithValue("$at", at);
        if (sql.Contains("$atTicks", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$atTicks", atTicks);
        }
        await command.ExecuteNonQueryAsync();
    }
}
