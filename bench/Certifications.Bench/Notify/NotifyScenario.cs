using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Measuring;
using Certifications.Bench.Scale;
using Certifications.Core.Certifications;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Notify;

/// <summary>
/// The notifications of a sweep that puts every learner into "due soon": N learners (default 100,000) under N/20
/// managers hold a one-time certification whose 7-day reminder has just come. Timed, each on its own fresh copy of
/// the data: the renewal sweep recording the learner's and the manager's notification with each status write (2N
/// rows); the same sweep with the reminder turned off (what recording adds is the difference); and raw SQLite
/// inserting the same 2N outbox rows, one prepared INSERT per row in one transaction. Then the sender mails the 2N
/// notifications to a local SMTP sink that counts them.
/// </summary>
internal static class NotifyScenario
{
    public static Scenario Definition { get; } = new(
        "notify",
        "Recording the notifications of a sweep putting 100,000 learners into \"due soon\", and mailing them to a local SMTP sink, against raw SQLite inserts.",
        "--learners N (default 100000), --no-send (record only)",
        RunAsync);

    private static readonly DateTime Now = new(2026, 6, 24, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly DueDate = new(2026, 6, 30);

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var learners = Scenario.Option(args, "--learners", 100_000);
        var send = !args.Contains("--no-send");
        var managers = Math.Max(1, learners / 20);

        await using var pristine = await BenchDatabase.CreateAsync();
        var generating = Stopwatch.StartNew();
        await GenerateAsync(pristine, learners, managers);
        var generated = generating.Elapsed;

        output.WriteLine();
        output.WriteLine("## Notifications: a sweep putting every learner into \"due soon\"");
        output.WriteLine();
        output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
        output.WriteLine($"- SQLite {await pristine.SqliteVersionAsync()}, one file in WAL mode, a fresh copy of the data for each contender (copying not timed)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- Data: {learners:N0} learners under {managers:N0} managers, each assigned a one-time certification due {DueDate:yyyy-MM-dd} with a 7-day reminder, not started; generated in {generated.TotalSeconds:N1} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- The sweep runs at {Now:yyyy-MM-dd HH:mm} UTC, 9 hours after the reminder instant"));
        output.WriteLine();

        var (sweep, recorded, database) = await SweepAsync(pristine, reminders: true);
        await using (database)
        {
            var (quiet, _, quietDatabase) = await SweepAsync(pristine, reminders: false);
            await quietDatabase.DisposeAsync();
            var raw = await RawInsertAsync(pristine, learners);

            output.WriteLine("| contender | time | rows | rows/s |");
            output.WriteLine("|---|---:|---:|---:|");
            output.WriteLine(Row("sweep recording the notifications (product)", sweep, recorded));
            output.WriteLine(Row("the same sweep, reminder off (no notification)", quiet, 0));
            output.WriteLine(Row("raw SQLite: INSERT the same outbox rows", raw, 2 * learners));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nRecording adds {(sweep - quiet).TotalSeconds:N1} s to the sweep ({(sweep - quiet).TotalMilliseconds / raw.TotalMilliseconds:N2}x the raw inserts of the same rows)."));

            if (send)
            {
                await using var sink = new CountingSmtpSink();
                var settings = new NotificationSettings
                {
                    Smtp = new SmtpSettings("127.0.0.1", sink.Port, null, null, "certifications@example.com", UseTls: false),
                    SendBatchSize = 500,
                };
                await using var services = database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(Now)).AddSingleton(settings));
                var sender = services.GetRequiredService<NotificationSender>();
                var started = Stopwatch.StartNew();
                var report = await sender.SendDueAsync();
                var elapsed = started.Elapsed;
                output.WriteLine();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Sending: {report.Sent:N0} emails sent ({report.Failed} failed) in {elapsed.TotalSeconds:N1} s, {report.Sent / elapsed.TotalSeconds:N0} emails/s, " +
                    $"batches of {settings.SendBatchSize} over one MailKit connection each; the sink counted {sink.Received:N0}."));
            }
        }

        return 0;
    }

    private static string Row(string name, TimeSpan elapsed, int rows) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {elapsed.TotalSeconds:N2} s | {rows:N0} | {(rows == 0 ? "" : (rows / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture))} |");

    /// <summary>A course, the certification, the managers and learners, and one assignment per learner waiting at its reminder.</summary>
    private static async Task GenerateAsync(BenchDatabase database, int learners, int managers)
    {
        int certificationId;
        await using (var services = database.CreateServices())
        await using (var db = await services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync())
        {
            var course = new Core.Catalog.Course { Title = "Forklift basics", IsPublished = true, Steps = [new Core.Catalog.Step { Title = "Quiz", Position = 1, IsGraded = true }] };
            db.Courses.Add(course);
            await db.SaveChangesAsync();
            var certification = new Certification
            {
                Name = "Forklift licence",
                NormalizedName = "FORKLIFT LICENCE",
                EffectiveFrom = new DateOnly(2026, 1, 1),
                DueDate = DueDate,
                MinimumPassingGrade = 70,
                ReminderDays = 7,
                State = CertificationState.Published,
                Courses = [new CertificationCourse { CourseId = course.Id, Position = 1 }],
            };
            db.Certifications.Add(certification);
            await db.SaveChangesAsync();
            certificationId = certification.Id;
        }

        var reminder = NotificationRules.ReminderAt(DueDate, 7, Core.Time.OrganisationCalendar.Utc);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {managers + learners})
            INSERT INTO "Learners" ("Name", "Email", "NormalizedEmail", "ManagerId", "Version")
            SELECT 'Learner ' || i, 'learner' || i || '@example.com', 'LEARNER' || i || '@EXAMPLE.COM',
                   CASE WHEN i <= {managers} THEN NULL ELSE 1 + (i % {managers}) END, lower(hex(randomblob(16)))
            FROM n;
            INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt", "NextTransitionAt")
            SELECT {certificationId}, l."Id", '2026-02-01 00:00:00', 0, 'NotStarted', 0, 1, '2026-02-01 00:00:00', {reminder.Ticks}
            FROM "Learners" l WHERE l."ManagerId" IS NOT NULL;
            """);
        command.Transaction = (SqliteTransaction)transaction;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();

        // Everything into the main file, so that copying the file copies the data.
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
    }

    private static BenchDatabase CopyOf(BenchDatabase pristine)
    {
        SqliteConnection.ClearAllPools();
        var copy = BenchDatabase.InNewFolder("notify.db");
        DataCopy.Fresh(pristine.FilePath, copy.FilePath);
        return copy;
    }

    /// <summary>The renewal sweep as the scheduler runs it, on a fresh copy; with the reminder off, the certification records no notification.</summary>
    private static async Task<(TimeSpan Elapsed, int Notifications, BenchDatabase Database)> SweepAsync(BenchDatabase pristine, bool reminders)
    {
        var copy = CopyOf(pristine);
        await using var services = copy.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(Now)));
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        if (!reminders)
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Certifications.ExecuteUpdateAsync(s => s.SetProperty(c => c.NotificationEvents, NotificationEvents.All & ~NotificationEvents.DueSoon));
        }

        var started = Stopwatch.StartNew();
        var run = await services.GetRequiredService<RenewalSweep>().RunAsync(SweepTrigger.Schedule);
        var elapsed = started.Elapsed;
        if (run.Error is not null)
        {
            throw new InvalidOperationException(run.Error);
        }

        await using var check = await factory.CreateDbContextAsync();
        return (elapsed, await check.Notifications.CountAsync(), copy);
    }

    /// <summary>Raw SQLite: the same outbox rows, the learner's and the manager's, one prepared INSERT each, in one transaction.</summary>
    private static async Task<TimeSpan> RawInsertAsync(BenchDatabase pristine, int learners)
    {
        await using var copy = CopyOf(pristine);
        await using var connection = new SqliteConnection(copy.ConnectionString);
        await connection.OpenAsync();
        var people = new List<(int Learner, int Manager)>(learners);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """SELECT "Id", "ManagerId" FROM "Learners" WHERE "ManagerId" IS NOT NULL ORDER BY "Id" """;
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                people.Add((reader.GetInt32(0), reader.GetInt32(1)));
            }
        }

        var due = NotificationRules.Instant(Core.Time.OrganisationCalendar.Utc.EndOfDay(DueDate));
        var started = Stopwatch.StartNew();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Notifications" ("RecipientId", "LearnerId", "CertificationId", "Kind", "Occurrence", "EffectiveAt", "DeadlineAt", "RecordedAt", "Email", "Attempts", "NextAttemptAt")
            VALUES ($recipient, $learner, 1, 'DueSoon', $occurrence, '2026-06-24 00:00:00', '2026-07-01 00:00:00', '2026-06-24 09:00:00', 'Pending', 0, '2026-06-24 09:00:00')
            ON CONFLICT DO NOTHING
            """;
        var recipient = insert.Parameters.Add("$recipient", SqliteType.Integer);
        var learner = insert.Parameters.Add("$learner", SqliteType.Integer);
        insert.Parameters.AddWithValue("$occurrence", due);
        await insert.PrepareAsync();
        foreach (var (id, manager) in people)
        {
            learner.Value = id;
            recipient.Value = id;
            await insert.ExecuteNonQueryAsync();
            recipient.Value = manager;
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return started.Elapsed;
    }
}
