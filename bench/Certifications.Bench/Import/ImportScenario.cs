using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Measuring;
using Certifications.Bench.Scale;
using Certifications.Core.Auditing;
using Certifications.Core.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Import;

/// <summary>
/// Importing historic completions: <see cref="CompletionImport.ImportAsync"/> as the import page and the API call it, a dry
/// run and then the import applied (records stored, every touched assignment recomputed by the rules, in one
/// transaction), against raw SQLite inserting the same rows into the same table in one transaction with a prepared
/// statement, each on a fresh copy of the data, in the same run, who goes first swapping every round.
/// </summary>
internal static class ImportScenario
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public static Scenario Definition { get; } = new(
        "import",
        "Importing 100,000 historic completions (dry run and apply) against raw SQLite inserts of the same rows.",
        "--rows N (completions, default 100000), --certifications N (default 5; learners = rows / certifications, each assigned every one), --rounds N (default 2)",
        RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var run = Stopwatch.StartNew();
        var rowCount = Option(args, "--rows", 100_000);
        var certifications = Option(args, "--certifications", 5);
        var rounds = Option(args, "--rounds", 2);
        var learners = rowCount / certifications;
        await using var database = BenchDatabase.InNewFolder("import.db");
        await database.MigrateAsync();
        await SeedAsync(database.ConnectionString, learners, certifications);
        var rows = Rows(learners, certifications);
        var pristine = database.FilePath + ".pristine";
        SqliteConnection.ClearAllPools();
        File.Move(database.FilePath, pristine);

        output.WriteLine();
        output.WriteLine("## Import of historic completions");
        output.WriteLine();
        output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
        output.WriteLine($"- SQLite {await database.SqliteVersionAsync()}, one file in WAL mode, a fresh copy of the data for every import (copying not timed)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- Data: {learners:N0} learners each assigned {certifications} certifications ({certifications / 2} renewing yearly, the rest one-time) of one course with two graded steps, no results; " +
            $"{rows.Count:N0} rows, one completion per assignment, dated over the two years before {Now:yyyy-MM-dd}, learners by email, certifications by name"));

        var dryRuns = new Timings();
        var applies = new Timings();
        var raw = new Timings();
        ImportReport? last = null;
        for (var round = 0; round < rounds; round++)
        {
            async Task OursAsync()
            {
                DataCopy.Fresh(pristine, database.FilePath);
                await using var services = database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(Now)));
                var import = services.GetRequiredService<CompletionImport>();
                var started = Stopwatch.GetTimestamp();
                var dryRun = await import.ImportAsync(Actor.System, rows, dryRun: true);
                dryRuns.Add("dry run", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                var applied = await import.ImportAsync(Actor.System, rows, dryRun: false);
                applies.Add("apply", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Require(applied.Applied && applied.Bad == 0, $"the import was not applied: {applied.FirstBad?.Reason}");
                Require(dryRun.Rows.SequenceEqual(applied.Rows), "the dry run and the import applied reported differently");
                last = applied;
                SqliteConnection.ClearAllPools();
            }

            async Task RawAsync()
            {
                DataCopy.Fresh(pristine, database.FilePath);
                var started = Stopwatch.GetTimestamp();
                await RawInsertAsync(database.ConnectionString, learners, certifications);
                raw.Add("insert", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                SqliteConnection.ClearAllPools();
            }

            if (round % 2 == 0)
            {
                await OursAsync();
                await RawAsync();
            }
            else
            {
                await RawAsync();
                await OursAsync();
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- Ours: CompletionImport.ImportAsync: rows checked (learners, certifications and stored keys read once each), records inserted as JSON rows, " +
            $"touched assignments recomputed by the rules, verdicts read from the periods before and after; the dry run does all of it and rolls back. " +
            $"Last: {last!.NewPeriods:N0} new periods, {last.Earlier:N0} earlier, {last.KeptAsHistory:N0} kept as history, {last.AlreadyRecorded:N0} already recorded"));
        output.WriteLine("- Raw: the same rows (ids already known) inserted into CompletionRecords with one prepared INSERT per row in one transaction; no checks, no recompute");
        output.WriteLine();
        ResultTable.PrintWithMinimum(
            [new OperationResult($"dry run, {rows.Count:N0} rows", dryRuns, raw, 0), new OperationResult($"apply, {rows.Count:N0} rows", applies, raw, 0)],
            output);
        output.WriteLine();
        output.WriteLine($"Load average after measuring: {Machine.LoadAverage()}.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run time: {run.Elapsed.TotalSeconds:F0} s."));
        File.Delete(pristine);
        return 0;
    }

    private static string Email(int learner) => FormattableString.Invariant($"learner{learner}@example.com");

    private static string CertificationName(int certification) => FormattableString.Invariant($"Certification {certification}");

    private static DateTime CompletedAt(int learner, int certification) => Now.AddDays(-730 + ((learner * 7 + certification * 31) % 720)).Date;

    private static List<ImportRow> Rows(int learners, int certifications)
    {
        var rows = new List<ImportRow>(learners * certifications);
        for (var learner = 0; learner < learners; learner++)
        {
            for (var certification = 0; certification < certifications; certification++)
            {
                rows.Add(new ImportRow(rows.Count + 2, Email(learner), CertificationName(certification),
                    CompletedAt(learner, certification).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, "Previous system"));
            }
        }

        return rows;
    }

    /// <summary>The course, the certifications, the learners and their assignments, in one transaction of prepared inserts.</summary>
    private static async Task SeedAsync(string connectionString, int learners, int certifications)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        async Task ExecuteAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }

        await ExecuteAsync("""INSERT INTO "Courses" ("Id", "Title", "IsPublished", "IsTrigger", "Version") VALUES (1, 'Safety 101', 1, 0, '00000000-0000-0000-0000-000000000000')""");
        await ExecuteAsync("""INSERT INTO "Steps" ("CourseId", "Title", "Position", "IsGraded") VALUES (1, 'Quiz', 1, 1), (1, 'Test', 2, 1)""");
        for (var c = 0; c < certifications; c++)
        {
            var renewing = c < certifications / 2;
            await ExecuteAsync(FormattableString.Invariant($"""
                INSERT INTO "Certifications" ("Id", "Name", "NormalizedName", "State", "EffectiveFrom", "MinimumPassingGrade", "GraceDays", "RenewalRequired", "RenewalPeriodMonths", "RenewalWindowDays", "RenewalAnchor", "IsInvisible", "Version", "CreatedAt", "UpdatedAt")
                VALUES ({c + 1}, '{CertificationName(c)}', '{CertificationName(c).ToUpperInvariant()}', 'Published', '2024-01-01', 70, 0, {(renewing ? 1 : 0)}, {(renewing ? "12" : "NULL")}, 30, 'PreviousExpiry', 0, '00000000-0000-0000-0000-000000000000', '2024-01-01 00:00:00', '2024-01-01 00:00:00');
                INSERT INTO "CertificationCourses" ("CertificationId", "CourseId", "Position") VALUES ({c + 1}, 1, 1);
                """));
        }

        await using (var learner = connection.CreateCommand())
        await using (var assignment = connection.CreateCommand())
        {
            learner.CommandText = """INSERT INTO "Learners" ("Id", "Name", "Email", "NormalizedEmail", "Version") VALUES ($id, $name, $email, $normalized, '00000000-0000-0000-0000-000000000000')""";
            var (id, name, email, normalized) = (learner.Parameters.Add("$id", SqliteType.Integer), learner.Parameters.Add("$name", SqliteType.Text),
                learner.Parameters.Add("$email", SqliteType.Text), learner.Parameters.Add("$normalized", SqliteType.Text));
            assignment.CommandText = """
                INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt")
                VALUES ($certification, $learner, '2026-01-01 00:00:00', 0, 'NotStarted', 0, 1, '2026-01-01 00:00:00')
                """;
            var (certification, assigned) = (assignment.Parameters.Add("$certification", SqliteType.Integer), assignment.Parameters.Add("$learner", SqliteType.Integer));
            for (var l = 0; l < learners; l++)
            {
                (id.Value, name.Value, email.Value, normalized.Value) = (l + 1, $"Learner {l}", Email(l), Email(l).ToUpperInvariant());
                await learner.ExecuteNonQueryAsync();
                for (var c = 0; c < certifications; c++)
                {
                    (certification.Value, assigned.Value) = (c + 1, l + 1);
                    await assignment.ExecuteNonQueryAsync();
                }
            }
        }

        await transaction.CommitAsync();
    }

    /// <summary>The same completions inserted by hand: one prepared statement, every row, one transaction.</summary>
    private static async Task RawInsertAsync(string connectionString, int learners, int certifications)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "CompletionRecords" ("LearnerId", "CertificationId", "Source", "CompletedAt", "Evidence", "RecordedBy", "RecordedAt")
            VALUES ($learner, $certification, 'Imported', $completedAt, 'Previous system', 'raw', '2026-06-01 12:00:00')
            """;
        var (learner, certification, completedAt) = (insert.Parameters.Add("$learner", SqliteType.Integer), insert.Parameters.Add("$certification", SqliteType.Integer),
            insert.Parameters.Add("$completedAt", SqliteType.Text));
        for (var l = 0; l < learners; l++)
        {
            for (var c = 0; c < certifications; c++)
            {
                (learner.Value, certification.Value, completedAt.Value) = (l + 1, c + 1, CompletedAt(l, c).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                await insert.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Require(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException("The import benchmark cannot go on: " + what + ".");
        }
    }
}
