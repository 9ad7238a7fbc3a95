using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Measuring;
using Certifications.Core.Auditing;
using Certifications.Core.Progress;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Scale;

/// <summary>
/// Result ingestion and the full recompute on a large organisation's data, each against raw SQLite doing the same work
/// in the same run: <see cref="ResultIngestion.IngestAsync"/> in batches of 100 and of 1,000 (progress recomputed in the
/// same transaction) against the same rows inserted by hand, then <see cref="ProgressRecompute.RecomputeAllAsync(Actor, IProgress{OperationProgress}?, CancellationToken)"/>
/// against one aggregate statement reading the same results.
/// </summary>
internal static class ScaleScenario
{
    public static Scenario Definition { get; } = new(
        "scale",
        "Result ingestion (batches of 100 and 1,000) and the full recompute on 100,000 learners and 10,000,000 results, against raw SQLite.",
        $"{ScaleSize.Options}, --batches N (measured batches of 100, default 300), --large-batches N (of 1,000, default 30), " +
        "--recomputes N (measured full recomputes a side, default 2), --explain (plans and times of the hot statements, and where the recompute spends its time), " +
        "--keep-database (leave this run's copy for the sqlite3 shell); the data set is cached under " + ScaleCache.Folder,
        RunAsync);

    private static readonly Actor Sender = Actor.ApiClient("lms-feed");

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var run = Stopwatch.StartNew();
        var size = ScaleSize.FromArguments(args);
        var smallBatches = Scenario.Option(args, "--batches", 300);
        var largeBatches = Scenario.Option(args, "--large-batches", 30);
        var recomputes = Scenario.Option(args, "--recomputes", 2);
        var (database, dataSet, wasCached) = await ScaleCache.OpenAsync(size, output);
        await using (database)
        {
            database.Keep = args.Contains("--keep-database");
            var now = ScaleOrganisation.Now;
            await using var services = database.CreateServices(s => s.AddLogging().AddSingleton<TimeProvider>(new FixedClock(now)));
            var ingestion = services.GetRequiredService<ResultIngestion>();
            var recompute = services.GetRequiredService<ProgressRecompute>();
            var generated = dataSet.Generated;

            output.WriteLine();
            output.WriteLine("## Scale: result ingestion and the full recompute");
            output.WriteLine();
            output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
            output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
            var sqliteVersion = await database.SqliteVersionAsync();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- SQLite {sqliteVersion}, one file in WAL mode ({dataSet.FileBytes / 1024d / 1024 / 1024:F2} GiB), migrated by DatabaseInitializer"));
            output.WriteLine($"- Data (seed {ScaleGenerator.Seed}, generator v{ScaleCache.GeneratorVersion}): {generated.Describe()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- Generated in {dataSet.Generation.TotalSeconds:F0} s ({generated.Modelling.TotalSeconds:F0} s modelling, {generated.Writing.TotalSeconds:F0} s writing, " +
                $"{generated.Indexing.TotalSeconds:F0} s indexing), then the product's first full recompute wrote every period and status in " +
                $"{dataSet.FirstRecompute.TotalSeconds:F0} s ({dataSet.FirstRecomputeChanged:N0} assignments){(wasCached ? $"; cached since {dataSet.GeneratedOn:yyyy-MM-dd HH:mm} UTC, copied for this run" : "")}"));
            var statuses = await StatusesAsync(database.ConnectionString);
            output.WriteLine($"- Stored statuses at the data set's instant ({now:yyyy-MM-dd HH:mm} UTC, the portal's clock in this run): {statuses}");

            var stream = await IngestionStream.LoadAsync(database.ConnectionString);
            var small = await MeasureIngestionAsync(ingestion, stream, database.ConnectionString, now, 100, warmUp: 20, smallBatches);
            var large = await MeasureIngestionAsync(ingestion, stream, database.ConnectionString, now, 1_000, warmUp: 3, largeBatches);
            output.WriteLine($"- Ingestion: a stream of new results from the last three days for learners picked at random among the {generated.Assignments - generated.Withdrawn:N0} " +
                "held assignments (so over most certifications), 90% on graded steps; 1% repeat an external id, 1% are wrong (unknown learner or step, score above 100, " +
                "completed after the clock). Ours: IngestAsync as an API client, its report checked item by item; raw: the accepted rows of the same batch, one " +
                "prepared INSERT, one transaction. Warm-up batches first (not timed), then ours and raw alternately, who goes first swapping every batch");

            var (recomputeResult, changedAfterStream, agreement) = await MeasureRecomputeAsync(recompute, database.ConnectionString, now, recomputes);
            output.WriteLine($"- Full recompute: ours is ProgressRecompute.RecomputeAllAsync as an admin (every certification, batches of {ProgressRecompute.BatchSize} learners, " +
                "each in its own transaction, audited); raw is one statement computing, per assignment, the best score of each graded step in its current window and " +
                "each course's mean against the minimum (RawRecompute). Ours first, then alternately");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- Checks: the first full recompute after the stream changed {changedAfterStream:N0} assignments (ingestion had kept every one current); " +
                $"raw's courses satisfied agree with the stored ones on {agreement.Agreeing:N0} of {agreement.Assignments:N0} assignments"));
            output.WriteLine();

            PrintIngestion([small, large], output);
            output.WriteLine();
            ResultTable.PrintWithMinimum([recomputeResult], output);
            output.WriteLine();
            output.WriteLine($"Load average after measuring: {Machine.LoadAverage()}.");
            output.WriteLine();

            if (args.Contains("--explain"))
            {
                await ScaleExplain.PrintAsync(database, stream, output);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Run time: {run.Elapsed.TotalSeconds:F0} s ({(wasCached ? "data set cached" : "generation included")})."));
            if (database.Keep)
            {
                output.WriteLine($"Database kept at {database.FilePath}");
            }
        }

        return 0;
    }

    private sealed record IngestionResult(int BatchSize, int Batches, int WarmUpBatches, int Sent, int Accepted, int Duplicates, int Rejected, Timings Ours, Timings Raw);

    private static async Task<IngestionResult> MeasureIngestionAsync(
        ResultIngestion ingestion, IngestionStream stream, string connectionString, DateTime now, int batchSize, int warmUp, int batches)
    {
        var ours = new Timings();
        var raw = new Timings();
        int sent = 0, accepted = 0, duplicates = 0, rejected = 0;
        for (var i = 0; i < warmUp + batches; i++)
        {
            var batch = stream.Next(batchSize);
            var measured = i >= warmUp;
            async Task OursAsync()
            {
                var started = Stopwatch.GetTimestamp();
                var report = await ingestion.IngestAsync(Sender, batch.Items);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Require(report.Accepted == batch.Accepted && Enumerable.Range(0, batch.Items.Count).All(j => (report.Items[j].State == ResultItemState.Accepted) == batch.New[j]),
                    $"IngestAsync accepted {report.Accepted} of a batch of {batch.Items.Count}, where {batch.Accepted} are new and valid");
                if (measured)
                {
                    ours.Add("batch", elapsed);
                    (sent, accepted, duplicates, rejected) = (sent + batch.Items.Count, accepted + report.Accepted, duplicates + report.Duplicates, rejected + report.Rejected);
                }
            }

            async Task RawAsync()
            {
                var started = Stopwatch.GetTimestamp();
                var inserted = await RawIngestion.InsertAsync(connectionString, batch, now);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Require(inserted == batch.Accepted, $"raw inserted {inserted} rows of {batch.Accepted}");
                if (measured)
                {
                    raw.Add("batch", elapsed);
                }
            }

            if (i % 2 == 0)
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

        return new IngestionResult(batchSize, batches, warmUp, sent, accepted, duplicates, rejected, ours, raw);
    }

    private static async Task<(OperationResult Result, int ChangedAfterStream, (int Assignments, int Agreeing) Agreement)> MeasureRecomputeAsync(
        ProgressRecompute recompute, string connectionString, DateTime now, int runs)
    {
        var ours = new Timings();
        var raw = new Timings();
        var changedAfterStream = -1;
        (int Assignments, int Agreeing) agreement = default;
        for (var i = 0; i < runs; i++)
        {
            async Task OursAsync()
            {
                var started = Stopwatch.GetTimestamp();
                var changed = await recompute.RecomputeAllAsync(Actor.Admin("bench@example.com"));
                ours.Add("all", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                changedAfterStream = changedAfterStream < 0 ? changed : changedAfterStream;
                Require(changed == 0 || i == 0, $"a full recompute right after another changed {changed:N0} assignments");
            }

            async Task RawAsync()
            {
                var started = Stopwatch.GetTimestamp();
                agreement = await RawRecompute.RunAsync(connectionString, now);
                raw.Add("all", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (i % 2 == 0)
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

        return (new OperationResult("Full recompute: RecomputeAllAsync vs one aggregate statement", ours, raw, 0), changedAfterStream, agreement);
    }

    private static void PrintIngestion(IReadOnlyList<IngestionResult> results, TextWriter output)
    {
        output.WriteLine("| Ingestion | Warm-up batches | Batches | Sent (accepted, duplicates, rejected) | Ours p50 (ms) | Ours p95 (ms) | Raw p50 (ms) | Raw p95 (ms) | Ours/raw p50 | Ours results/s | Raw results/s |");
        output.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            double ours50 = r.Ours.Percentile(50), ours95 = r.Ours.Percentile(95), raw50 = r.Raw.Percentile(50), raw95 = r.Raw.Percentile(95);

            // Results sent per second of the batches' total time: what a sender sending batch after batch gets.
            var oursRate = r.Sent / (r.Ours.Total / 1000);
            var rawRate = r.Sent / (r.Raw.Total / 1000);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| IngestAsync, batches of {r.BatchSize:N0} | {r.WarmUpBatches} | {r.Batches} | {r.Sent:N0} ({r.Accepted:N0}, {r.Duplicates:N0}, {r.Rejected:N0}) | " +
                $"{ours50:F1} | {ours95:F1} | {raw50:F1} | {raw95:F1} | {ours50 / raw50:F1} | {oursRate:N0} | {rawRate:N0} |"));
        }
    }

    /// <summary>How the assignments stand, as the product stored them: the share of completed, renewed, in progress.</summary>
    internal static async Task<string> StatusesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a."Status", COUNT(*), SUM((SELECT COUNT(*) FROM "Periods" p WHERE p."AssignmentId" = a."Id" AND p."CompletedAt" IS NOT NULL) > 1)
            FROM "Assignments" a GROUP BY a."Status" ORDER BY COUNT(*) DESC
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Status, long Count, long Renewed)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        var total = rows.Sum(r => r.Count);
        return string.Join(", ", rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Status} {100d * r.Count / total:F1}%{(r.Renewed > 0 ? $" ({r.Renewed:N0} renewed at least once)" : "")}")));
    }

    private static void Require(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"Ours and raw would not be doing the same work: {what}.");
        }
    }
}
