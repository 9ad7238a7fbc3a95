using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Enrolment;
using Certifications.Bench.Measuring;
using Certifications.Core.Persistence;
using Certifications.Core.Renewals;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Scale;

/// <summary>
/// The renewal sweep on the large data set with the clock moved on so that about a fifth of the assignments have a
/// time-driven transition due: <see cref="RenewalSweep.RunAsync"/> as the scheduler runs it, against the raw SQL
/// updates that mark the same assignments (<see cref="RawSweep"/>), each on its own fresh copy of the data, in the same
/// run, who goes first swapping every round.
/// </summary>
internal static class SweepScenario
{
    public static Scenario Definition { get; } = new(
        "sweep",
        "The renewal sweep over 500,000 assignments with about 20% due a transition, against the raw SQL updates.",
        $"{ScaleSize.Options}, --due-share P (share of assignments due, percent, default 20), --rounds N (measured sweeps a side, default 3), --warm-up N (sweeps a side before them, not timed, default 1), --batch-size N (the sweep's Scheduler:BatchSize, default the portal's), " +
        "--explain (one more sweep with every command it sent, and SQLite's time over each); " +
        "the data set is the scale scenario's, cached under " + ScaleCache.Folder,
        RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var run = Stopwatch.StartNew();
        var size = ScaleSize.FromArguments(args);
        var dueShare = Scenario.Option(args, "--due-share", 20);
        var rounds = Scenario.Option(args, "--rounds", 3);
        var warmUp = Scenario.Option(args, "--warm-up", 1);
        var settings = new SweepSettings(Scenario.Option(args, "--batch-size", new SweepSettings().BatchSize));
        var (database, dataSet, wasCached) = await ScaleCache.OpenAsync(size, output);
        await using (database)
        {
            var pristine = database.FilePath + ".pristine";
            File.Move(database.FilePath, pristine);
            var (at, withNext) = await InstantWithDueShareAsync(pristine, dataSet.Generated.Assignments, dueShare);
            var due = await DueByStatusAsync(pristine, at);
            var statuses = await ScaleScenario.StatusesAsync(new SqliteConnectionStringBuilder { DataSource = pristine, Pooling = false }.ToString());

            output.WriteLine();
            output.WriteLine("## Scale: the renewal sweep");
            output.WriteLine();
            output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
            output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
            output.WriteLine($"- SQLite {await database.SqliteVersionAsync()}, one file in WAL mode, a fresh copy of the data set for every sweep (copying not timed)");
            output.WriteLine($"- Data (seed {ScaleGenerator.Seed}, generator v{ScaleCache.GeneratorVersion}): {dataSet.Generated.Describe()}{(wasCached ? "; cached" : "")}");
            output.WriteLine($"- Stored statuses at the data set's instant ({ScaleOrganisation.Now:yyyy-MM-dd HH:mm} UTC): {statuses}; {withNext:N0} assignments have a next transition");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- The sweep runs at {at:yyyy-MM-dd HH:mm:ss} UTC, the first instant at which {dueShare}% of the assignments have their next transition due: " +
                $"{due.Values.Sum():N0} due ({string.Join(", ", due.Select(d => $"{d.Key} {d.Value:N0}"))})"));

            var ours = new Timings();
            var raw = new Timings();
            SweepRunRow? lastRun = null;
            RawSweep.Counts? lastRaw = null;
            for (var round = -warmUp; round < rounds; round++)
            {
                var timed = round >= 0;
                async Task OursAsync()
                {
                    DataCopy.Fresh(pristine, database.FilePath);
                    await using var services = database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(at)).AddSingleton(settings));
                    var sweep = services.GetRequiredService<RenewalSweep>();
                    var started = Stopwatch.GetTimestamp();
                    var row = await sweep.RunAsync(SweepTrigger.RunNow);
                    if (timed)
                    {
                        ours.Add("sweep", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    Require(row.Succeeded, $"the sweep failed: {row.Error}");
                    Require(row.AssignmentsEvaluated == due.Values.Sum(), $"the sweep evaluated {row.AssignmentsEvaluated:N0} assignments of {due.Values.Sum():N0} due");
                    var again = await sweep.RunAsync(SweepTrigger.RunNow);
                    Require(again.AssignmentsEvaluated == 0 && again.TransitionCount == 0, $"a second sweep at the same instant evaluated {again.AssignmentsEvaluated:N0}");
                    lastRun = row;
                    SqliteConnection.ClearAllPools();
                }

                async Task RawAsync()
                {
                    DataCopy.Fresh(pristine, database.FilePath);
                    var started = Stopwatch.GetTimestamp();
                    var counts = await RawSweep.RunAsync(database.ConnectionString, at);
                    if (timed)
                    {
                        raw.Add("sweep", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    Require(counts.Assignments == due.Values.Sum(), $"raw marked {counts.Assignments:N0} assignments of {due.Values.Sum():N0} due");
                    lastRaw = counts;
                    SqliteConnection.ClearAllPools();
                }

                if ((round + warmUp) % 2 == 0)
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
                $"- Ours: RenewalSweep.RunAsync as the scheduler runs it (batches of {settings.BatchSize}, each selected on the next-transition index, evaluated by the rules " +
                $"walking every instant since the last evaluation over each assignment's results from its latest recorded period on, written with its transitions and the run's counts in one transaction; a run row and an audit entry). " +
                $"Last sweep: {lastRun!.AssignmentsEvaluated:N0} evaluated, {lastRun.AssignmentsChanged:N0} changed, {lastRun.TransitionCount:N0} transitions " +
                $"({string.Join(", ", lastRun.Transitions.Where(t => t.Value > 0).Select(t => $"{t.Key} {t.Value:N0}"))}); a second sweep at the same instant found nothing due"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- Raw: {RawSweep.Description} Last: {lastRaw!.Assignments:N0} assignments, {lastRaw.Transitions:N0} transitions"));
            output.WriteLine();
            ResultTable.PrintWithMinimum([new OperationResult($"sweep at {at:yyyy-MM-dd}", ours, raw, warmUp)], output);
            output.WriteLine();
            output.WriteLine($"Load average after measuring: {Machine.LoadAverage()}.");
            if (args.Contains("--explain"))
            {
                DataCopy.Fresh(pristine, database.FilePath);
                var tally = new CommandTally();
                await using var services = database.CreateServices(s => s
                    .AddLogging()
                    .AddSingleton<TimeProvider>(new FixedClock(at))
                    .AddSingleton(settings)
                    .ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(tally)));
                var sweep = services.GetRequiredService<RenewalSweep>();
                var (wall, cpu) = await ScaleExplain.TimedAsync(tally, () => sweep.RunAsync(SweepTrigger.RunNow));
                output.WriteLine();
                output.WriteLine("### Where the sweep's time goes: every command EF Core sent");
                output.WriteLine();
                tally.Print(wall, output);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wall {wall.TotalSeconds:F1} s, CPU {cpu.TotalSeconds:F1} s (all threads). What is not in SQLite is reading the rows, EF Core materialising them, and the rules."));
                SqliteConnection.ClearAllPools();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run time: {run.Elapsed.TotalSeconds:F0} s."));
            File.Delete(pristine);
        }

        return 0;
    }

    /// <summary>The earliest stored next transition by which <paramref name="percent"/>% of the assignments are due, and how many have one at all.</summary>
    internal static async Task<(DateTime At, int WithNext)> InstantWithDueShareAsync(string file, int assignments, int percent)
    {
        await using var connection = Open(file);
        await using var count = connection.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Assignments" WHERE "NextTransitionAt" IS NOT NULL""";
        var withNext = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var wanted = (long)assignments * percent / 100;
        Require(wanted <= withNext, $"only {withNext:N0} assignments have a next transition, fewer than {percent}% of {assignments:N0}");
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "NextTransitionAt" FROM "Assignments" WHERE "NextTransitionAt" IS NOT NULL ORDER BY "NextTransitionAt" LIMIT 1 OFFSET $offset""";
        command.Parameters.AddWithValue("$offset", wanted - 1);
        // Stored as ticks (the portal's SQLite mapping of the next transition).
        var ticks = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        return (new DateTime(ticks, DateTimeKind.Utc), withNext);
    }

    internal static async Task<SortedDictionary<string, int>> DueByStatusAsync(string file, DateTime at)
    {
        await using var connection = Open(file);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Status", COUNT(*) FROM "Assignments" WHERE "NextTransitionAt" <= $at GROUP BY "Status" """;
        command.Parameters.AddWithValue("$at", at.Ticks);
        await using var reader = await command.ExecuteReaderAsync();
        var due = new SortedDictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            due[reader.GetString(0)] = reader.GetInt32(1);
        }

        return due;
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Require(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
