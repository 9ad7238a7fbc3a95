using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Measuring;
using Certifications.Bench.Scale;
using Certifications.Core.Auditing;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Certifications.Bench.Postgres;

/// <summary>
/// Result ingestion and the renewal sweep on PostgreSQL next to SQLite, in the same run, on the same data set (the scale
/// scenario's generator, copied into PostgreSQL row for row): with one instance, and with two instances on one
/// PostgreSQL database (two independent sets of the portal's services, each with its own connections, as two portals
/// have). Ingestion is measured against the raw database inserting the same rows; two instances send at once.
/// </summary>
internal static class PostgresScenario
{
    public static Scenario Definition { get; } = new(
        "postgres",
        "Ingestion and the renewal sweep on PostgreSQL next to SQLite, with one instance and with two.",
        $"{ScaleSize.Options} (default here --learners 20,000: 100,000 assignments, 2,000,000 results), --server \"Host=…;Username=…\" " +
        "(or CERTIFICATIONS_BENCH_POSTGRES; the user creates and drops databases), --batches N (measured batches of 1,000 a side, default 20), " +
        "--rounds N (sweeps a side, default 2), --due-share P (default 20)",
        RunAsync);

    private const int BatchSize = 1_000;
    private const int WarmUpBatches = 3;
    private static readonly Actor Sender = Actor.ApiClient("lms-feed");

    private sealed record Ingestion(string Target, int Sent, int Accepted, double OursSeconds, double RawSeconds);

    private sealed record Sweep(string Target, Timings Times, SweepRunRow Last, string Beside);

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var run = Stopwatch.StartNew();
        var server = ServerOption(args) ?? Environment.GetEnvironmentVariable("CERTIFICATIONS_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine("Name a PostgreSQL server: --server \"Host=127.0.0.1;Port=5432;Username=postgres\" (or CERTIFICATIONS_BENCH_POSTGRES).");
            return 1;
        }

        var size = ScaleSize.FromArguments(args.Contains("--learners") ? args : [.. args, "--learners", "20000"]);
        var batches = Scenario.Option(args, "--batches", 20);
        var rounds = Scenario.Option(args, "--rounds", 2);
        var dueShare = Scenario.Option(args, "--due-share", 20);
        var (sqlite, dataSet, _) = await ScaleCache.OpenAsync(size, output);
        await using (sqlite)
        {
            var pristine = sqlite.FilePath + ".pristine";
            File.Move(sqlite.FilePath, pristine);
            var copying = Stopwatch.StartNew();
            await using var postgres = await PostgresBenchDatabase.CreateMigratedAsync(server);
            var rows = await SqliteToPostgres.CopyAsync(pristine, postgres.ConnectionString, output);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  copied {rows:N0} rows into PostgreSQL in {copying.Elapsed.TotalSeconds:F0} s"));
            var (at, _) = await SweepScenario.InstantWithDueShareAsync(pristine, dataSet.Generated.Assignments, dueShare);
            var due = (await SweepScenario.DueByStatusAsync(pristine, at)).Values.Sum();
            // Each target gets the stream from its start: the repeats it sends are repeats on that target's database.
            var source = new SqliteConnectionStringBuilder { DataSource = pristine, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            Task<IngestionStream> Stream() => IngestionStream.LoadAsync(source);
            var loadBefore = Machine.LoadAverage();

            // Ingestion: SQLite, PostgreSQL with one instance, PostgreSQL with two sending at once.
            var ingestion = new List<Ingestion>();
            DataCopy.Fresh(pristine, sqlite.FilePath);
            ingestion.Add(await IngestOnSqliteAsync(sqlite, await Stream(), batches));
            SqliteConnection.ClearAllPools();
            await using (var copy = await postgres.CopyAsync())
            {
                ingestion.Add(await IngestOnPostgresAsync(copy, await Stream(), batches, instances: 1));
            }

            await using (var copy = await postgres.CopyAsync())
            {
                ingestion.Add(await IngestOnPostgresAsync(copy, await Stream(), batches, instances: 2));
            }

            // The sweep: SQLite, PostgreSQL, and PostgreSQL while a second instance takes results.
            var sweeps = new List<Sweep>
            {
                await SweepAsync("SQLite", rounds, due, async () =>
                {
                    SqliteConnection.ClearAllPools();
                    DataCopy.Fresh(pristine, sqlite.FilePath);
                    return (sqlite.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(at))), null);
                }),
                await SweepAsync("PostgreSQL, one instance", rounds, due, async () =>
                {
                    var copy = await postgres.CopyAsync();
                    return (copy.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(at))), copy);
                }),
                await SweepAsync("PostgreSQL, two instances: one sweeps, the other takes batches of 100 meanwhile", rounds, due, async () =>
                {
                    var copy = await postgres.CopyAsync();
                    return (copy.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(at))), copy);
                }, Stream, at),
            };

            output.WriteLine();
            output.WriteLine("## PostgreSQL next to SQLite: ingestion and the sweep, one instance and two");
            output.WriteLine();
            output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
            output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {loadBefore}, after: {Machine.LoadAverage()}");
            output.WriteLine($"- SQLite {await sqlite.SqliteVersionAsync()} (one file in WAL mode); PostgreSQL {await postgres.VersionAsync()} on the same machine (loopback), a fresh copy of the data for every target");
            output.WriteLine($"- Data (seed {ScaleGenerator.Seed}, generator v{ScaleCache.GeneratorVersion}): {dataSet.Generated.Describe()}; copied into PostgreSQL row for row ({rows:N0} rows)");
            output.WriteLine($"- Ingestion: the scale scenario's stream, batches of {BatchSize:N0} ({WarmUpBatches} warm-up batches a sender, not timed), IngestAsync as an API client with progress kept " +
                "current in the same transaction; raw: the same accepted rows, one prepared INSERT, one transaction a batch. Two instances: two independent sets of the portal's services " +
                "(their own connection pools), each sending its own batches at once; its rate is all results sent over the wall time");
            output.WriteLine($"- Sweep: RenewalSweep.RunAsync at {at:yyyy-MM-dd HH:mm:ss} UTC, when {dueShare}% of the assignments ({due:N0}) are due; a fresh copy for every sweep");
            output.WriteLine();
            output.WriteLine("| Ingestion, batches of 1,000 | Sent (accepted) | Ours (s) | Raw (s) | Ours/raw | Ours results/s | Raw results/s |");
            output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var i in ingestion)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {i.Target} | {i.Sent:N0} ({i.Accepted:N0}) | {i.OursSeconds:F1} | {i.RawSeconds:F1} | {i.OursSeconds / i.RawSeconds:F1} | {i.Sent / i.OursSeconds:N0} | {i.Sent / i.RawSeconds:N0} |"));
            }

            output.WriteLine();
            output.WriteLine("| Sweep | Sweeps | Min (s) | p50 (s) | vs SQLite p50 | Evaluated | Transitions | Beside it |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
            var sqliteP50 = sweeps[0].Times.Percentile(50);
            foreach (var s in sweeps)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {s.Target} | {s.Times.Count} | {s.Times.Minimum / 1000:F1} | {s.Times.Percentile(50) / 1000:F1} | {s.Times.Percentile(50) / sqliteP50:F2} | {s.Last.AssignmentsEvaluated:N0} | {s.Last.TransitionCount:N0} | {s.Beside} |"));
            }

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run time: {run.Elapsed.TotalSeconds:F0} s."));
            File.Delete(pristine);
        }

        return 0;
    }

    private static async Task<Ingestion> IngestOnSqliteAsync(BenchDatabase database, IngestionStream stream, int batches)
    {
        await using var services = database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(ScaleOrganisation.Now)));
        var ingestion = services.GetRequiredService<ResultIngestion>();
        return await MeasureAsync("SQLite", stream, batches, senders: 1,
            (_, batch) => ingestion.IngestAsync(Sender, batch.Items),
            (_, batch) => RawIngestion.InsertAsync(database.ConnectionString, batch, ScaleOrganisation.Now));
    }

    private static async Task<Ingestion> IngestOnPostgresAsync(PostgresBenchDatabase database, IngestionStream stream, int batches, int instances)
    {
        var portals = Enumerable.Range(0, instances)
            .Select(_ => database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(ScaleOrganisation.Now))))
            .ToList();
        await using var raw = NpgsqlDataSource.Create(database.ConnectionString);
        try
        {
            return await MeasureAsync(instances == 1 ? "PostgreSQL, one instance" : "PostgreSQL, two instances sending at once", stream, batches, instances,
                (sender, batch) => portals[sender].GetRequiredService<ResultIngestion>().IngestAsync(Sender, batch.Items),
                (sender, batch) => RawPostgresIngestion.InsertAsync(raw, batch, ScaleOrganisation.Now, $"raw{sender}-"));
        }
        finally
        {
            foreach (var portal in portals)
            {
                await portal.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Each sender sends its warm-up batches, then its measured ones, ours and raw alternately (who goes first swapping
    /// every batch); senders run at once. Ours and raw are each timed as the sum, over the batches, of the longest any
    /// sender took for its batch of that round: the wall time of senders working side by side.
    /// </summary>
    private static async Task<Ingestion> MeasureAsync(
        string target, IngestionStream stream, int batches, int senders,
        Func<int, StreamBatch, Task<IngestionReport>> ours, Func<int, StreamBatch, Task<int>> raw)
    {
        double oursSeconds = 0, rawSeconds = 0;
        int sent = 0, accepted = 0;
        for (var round = 0; round < WarmUpBatches + batches; round++)
        {
            var work = Enumerable.Range(0, senders).Select(_ => stream.Next(BatchSize)).ToList();
            var measured = round >= WarmUpBatches;

            async Task<double> OursAsync()
            {
                var started = Stopwatch.GetTimestamp();
                var reports = await Task.WhenAll(work.Select((batch, sender) => Task.Run(() => ours(sender, batch))));
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                // A repeat of another sender's result of the same round counts for whichever commits first.
                Require(reports.Sum(r => r.Accepted) == work.Sum(b => b.Accepted), $"{target}: IngestAsync accepted {reports.Sum(r => r.Accepted)} of {work.Sum(b => b.Accepted)} new and valid");

                if (measured)
                {
                    (sent, accepted) = (sent + work.Sum(b => b.Items.Count), accepted + reports.Sum(r => r.Accepted));
                }

                return elapsed;
            }

            async Task<double> RawAsync()
            {
                var started = Stopwatch.GetTimestamp();
                var inserted = await Task.WhenAll(work.Select((batch, sender) => Task.Run(() => raw(sender, batch))));
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                Require(inserted.Sum() == work.Sum(b => b.Accepted), $"{target}: raw inserted {inserted.Sum()} of {work.Sum(b => b.Accepted)}");
                return elapsed;
            }

            double o, r;
            if (round % 2 == 0)
            {
                o = await OursAsync();
                r = await RawAsync();
            }
            else
            {
                r = await RawAsync();
                o = await OursAsync();
            }

            if (measured)
            {
                (oursSeconds, rawSeconds) = (oursSeconds + o, rawSeconds + r);
            }
        }

        return new Ingestion(target, sent, accepted, oursSeconds, rawSeconds);
    }

    private static async Task<Sweep> SweepAsync(
        string target, int rounds, int due, Func<Task<(ServiceProvider Services, PostgresBenchDatabase? Copy)>> open,
        Func<Task<IngestionStream>>? beside = null, DateTime at = default)
    {
        var times = new Timings();
        SweepRunRow? last = null;
        var besideNote = "nothing";
        for (var round = 0; round < rounds; round++)
        {
            var (services, copy) = await open();
            try
            {
                var sweep = services.GetRequiredService<RenewalSweep>();
                await using var other = beside is null || copy is null ? null : copy.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(at)));
                using var stop = new CancellationTokenSource();
                var sending = other is null ? Task.FromResult((0, 0d)) : SendUntilAsync(other.GetRequiredService<ResultIngestion>(), await beside!(), stop.Token);
                var started = Stopwatch.GetTimestamp();
                var row = await sweep.RunAsync(SweepTrigger.RunNow);
                times.Add("sweep", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await stop.CancelAsync();
                var (sentBeside, seconds) = await sending;
                Require(row.Succeeded, $"{target}: the sweep failed: {row.Error}");
                // Results taken beside the sweep bring their assignments up to date themselves, due transitions included.
                Require(row.AssignmentsEvaluated == due || (other is not null && row.AssignmentsEvaluated <= due), $"{target}: the sweep evaluated {row.AssignmentsEvaluated:N0} of {due:N0} due");
                var again = await sweep.RunAsync(SweepTrigger.RunNow);
                Require(again.AssignmentsEvaluated == 0, $"{target}: a second sweep at the same instant evaluated {again.AssignmentsEvaluated:N0}");
                if (other is not null)
                {
                    besideNote = string.Create(CultureInfo.InvariantCulture, $"{sentBeside:N0} results taken by the other instance meanwhile, {sentBeside / seconds:N0}/s");
                }

                last = row;
            }
            finally
            {
                await services.DisposeAsync();
                if (copy is not null)
                {
                    await copy.DisposeAsync();
                }
            }
        }

        return new Sweep(target, times, last!, besideNote);
    }

    /// <summary>Batches of 100 sent one after another until stopped: how many results were sent, over how long.</summary>
    private static async Task<(int Sent, double Seconds)> SendUntilAsync(ResultIngestion ingestion, IngestionStream stream, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            var batch = stream.Next(100);
            var report = await ingestion.IngestAsync(Sender, batch.Items, CancellationToken.None);
            // The stream's "completed after the clock" items are in the past by the sweep's later clock, and are accepted.
            Require(report.Accepted >= batch.Accepted, $"beside the sweep: IngestAsync accepted {report.Accepted} of {batch.Accepted}");
            sent += batch.Items.Count;
        }

        return (sent, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static string? ServerOption(string[] args)
    {
        var index = Array.IndexOf(args, "--server");
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static void Require(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
