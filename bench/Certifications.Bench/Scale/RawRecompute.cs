using Certifications.Bench.Enrolment;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>
/// The set-based work the rules need, by hand, in one statement over every assignment: the window the assignment is
/// in (its latest period's, as stored), each graded step's best score in it up to now or the withdrawal, each course's
/// mean against the minimum, and the number of courses satisfied. The full recompute reads the same rows (and also
/// replays earlier periods, renewals and statuses in C#); this is what SQLite alone takes to read and aggregate them.
/// Of the forms tried, a join grouped by step over the assignments materialised once was the quickest: a correlated
/// MAX per step ran its subquery twice (once per aggregate reading it) and looked the latest period up again per step.
/// </summary>
internal static class RawRecompute
{
    public const string Sql = """
        WITH "Scope" AS MATERIALIZED (
            SELECT a."Id", a."LearnerId", a."CertificationId", a."CoursesSatisfied", c."MinimumPassingGrade" AS "Minimum",
                   COALESCE((SELECT p."WindowStart" FROM "Periods" p WHERE p."AssignmentId" = a."Id" ORDER BY p."Number" DESC LIMIT 1),
                            strftime('%Y-%m-%d %H:%M:%S', max(a."AssignedAt", c."EffectiveFrom"), printf('-%d days', a."GraceDays"))) AS "WindowStart",
                   COALESCE(a."WithdrawnAt", $now) AS "Until"
            FROM "Assignments" a
            JOIN "Certifications" c ON c."Id" = a."CertificationId"
        ),
        "Best" AS (
            SELECT s."Id" AS "AssignmentId", s."CoursesSatisfied", s."Minimum", cc."CourseId", st."Id" AS "StepId", MAX(r."Score") AS "Score"
            FROM "Scope" s
            JOIN "CertificationCourses" cc ON cc."CertificationId" = s."CertificationId"
            LEFT JOIN "Steps" st ON st."CourseId" = cc."CourseId" AND st."IsGraded"
            LEFT JOIN "StepResults" r ON r."LearnerId" = s."LearnerId" AND r."StepId" = st."Id" AND r."CompletedAt" >= s."WindowStart" AND r."CompletedAt" <= s."Until"
            GROUP BY s."Id", cc."CourseId", st."Id"
        ),
        "Courses" AS (
            SELECT "AssignmentId", "CoursesSatisfied", "Minimum", COUNT("StepId") AS "Graded", COUNT("Score") AS "WithResult", TOTAL("Score") AS "Sum"
            FROM "Best"
            GROUP BY "AssignmentId", "CourseId"
        )
        SELECT "AssignmentId", "CoursesSatisfied",
               SUM("Graded" > 0 AND "WithResult" = "Graded" AND ROUND("Sum", 6) >= "Minimum" * "Graded") AS "Satisfied"
        FROM "Courses"
        GROUP BY "AssignmentId"
        """;

    /// <summary>Runs the statement, reading every row; returns how many assignments it evaluated and on how many it agrees with the stored count of courses satisfied.</summary>
    public static async Task<(int Assignments, int Agreeing)> RunAsync(string connectionString, DateTime now)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$now", EnrolmentGenerator.Text(now));
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync();
        int assignments = 0, agreeing = 0;
        while (await reader.ReadAsync())
        {
            assignments++;
            if (reader.GetInt32(1) == reader.GetInt32(2))
            {
                agreeing++;
            }
        }

        return (assignments, agreeing);
    }
}
