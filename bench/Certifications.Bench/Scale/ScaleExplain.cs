using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Enrolment;
using Certifications.Bench.Search;
using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Scale;

/// <summary>
/// Where the time goes: for ingestion and for the full recompute, every command EF Core sent, by statement, with
/// SQLite's time over it beside the wall and CPU time of the calls, and SQLite's plan of each distinct statement;
/// then the plan of the raw aggregate.
/// </summary>
internal static class ScaleExplain
{
    public static async Task PrintAsync(BenchDatabase database, IngestionStream stream, TextWriter output)
    {
        var tally = new CommandTally();
        var capture = new CommandCapture();
        await using var services = database.CreateServices(s => s
            .AddLogging()
            .AddSingleton<TimeProvider>(new FixedClock(ScaleOrganisation.Now))
            .ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(tally, capture)));

        output.WriteLine("### Where the time goes");
        output.WriteLine();
        var ingestion = services.GetRequiredService<ResultIngestion>();
        const int batches = 10;
        var (wall, cpu) = await TimedAsync(tally, async () =>
        {
            for (var i = 0; i < batches; i++)
            {
                await ingestion.IngestAsync(Actor.ApiClient("lms-feed"), stream.Next(1_000).Items);
            }
        });
        output.WriteLine($"#### Ours: {batches} batches of 1,000 through ResultIngestion.IngestAsync, every command EF Core sent");
        output.WriteLine();
        tally.Print(wall, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wall {wall.TotalMilliseconds:F0} ms, CPU {cpu.TotalMilliseconds:F0} ms (all threads)."));
        output.WriteLine();
        capture.Clear();
        await ingestion.IngestAsync(Actor.ApiClient("lms-feed"), stream.Next(1_000).Items);
        await PlansAsync(database.ConnectionString, "Plans: one batch of 1,000", capture.Commands, output);

        tally = new CommandTally();
        await using var profiled = database.CreateServices(s => s
            .AddSingleton<TimeProvider>(new FixedClock(ScaleOrganisation.Now))
            .ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(tally, capture)));
        var recompute = profiled.GetRequiredService<ProgressRecompute>();
        var changed = 0;
        (wall, cpu) = await TimedAsync(tally, async () => changed = await recompute.RecomputeAllAsync());
        output.WriteLine("#### Ours: ProgressRecompute.RecomputeAllAsync, every command EF Core sent");
        output.WriteLine();
        tally.Print(wall, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wall {wall.TotalSeconds:F1} s, CPU {cpu.TotalSeconds:F1} s (all threads), {changed:N0} assignments changed. What is not in SQLite is reading the rows, EF Core materialising them, and the rules."));
        output.WriteLine();

        // The statements of one batch: the largest certification's first learners.
        int certification;
        List<int> learners;
        await using (var db = await profiled.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync())
        {
            certification = await db.Assignments.GroupBy(a => a.CertificationId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            learners = await db.Assignments.Where(a => a.CertificationId == certification).OrderBy(a => a.LearnerId).Select(a => a.LearnerId).Take(ProgressRecompute.BatchSize).ToListAsync();
        }

        capture.Clear();
        await recompute.RecomputeCertificationAsync(certification, learners);
        await PlansAsync(database.ConnectionString, $"Plans: one batch of the recompute ({learners.Count} learners of certification {certification})", capture.Commands, output);
        await PlansAsync(database.ConnectionString, "Plan: raw's aggregate statement",
            [new CapturedCommand(RawRecompute.Sql, [("$now", EnrolmentGenerator.Text(ScaleOrganisation.Now))])], output);
    }

    internal static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimedAsync(CommandTally tally, Func<Task> work)
    {
        tally.Enabled = true;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await work();
        var wall = Stopwatch.GetElapsedTime(started);
        tally.Enabled = false;
        return (wall, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <summary>SQLite's plan of each distinct statement, in the order first sent.</summary>
    private static async Task PlansAsync(string connectionString, string title, IReadOnlyList<CapturedCommand> commands, TextWriter output)
    {
        output.WriteLine($"#### {title}");
        output.WriteLine();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands.Where(c => seen.Add(Shape(c.Sql))))
        {
            var sql = command.Sql.Trim();
            output.WriteLine("```sql");
            output.WriteLine(sql.Length <= 1_200 ? sql : $"{sql[..1_200]} … ({sql.Length:N0} characters, {command.Parameters.Count:N0} parameters)");
            output.WriteLine("```");
            if (sql.TrimEnd(';').Contains(';', StringComparison.Ordinal))
            {
                output.WriteLine();
                continue;
            }

            await using var plan = connection.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in command.Parameters)
            {
                plan.Parameters.AddWithValue(name, value);
            }

            output.WriteLine("```text");
            await using (var reader = await plan.ExecuteReaderAsync())
            {
                var depth = new Dictionary<long, int> { [0] = 0 };
                while (await reader.ReadAsync())
                {
                    var level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
                    depth[reader.GetInt64(0)] = level;
                    output.WriteLine($"{new string(' ', 2 * (level - 1))}{reader.GetString(3)}");
                }
            }

            output.WriteLine("```");
            output.WriteLine();
        }
    }

    /// <summary>A statement without its lists of parameters, which vary in length from one batch to the next.</summary>
    private static string Shape(string sql) => System.Text.RegularExpressions.Regex.Replace(sql, @"@[A-Za-z_]+\d*(?:(?:, |\), \()@[A-Za-z_]+\d*)+|\(\d+(?:, \d+)*\)", "…");
}
