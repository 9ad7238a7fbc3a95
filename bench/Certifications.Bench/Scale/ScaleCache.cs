using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Certifications.Bench.Measuring;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Scale;

/// <summary>How the cached file was made: its counts, and how long generating it and the first full recompute took.</summary>
internal sealed record ScaleDataSet(GeneratedScale Generated, TimeSpan Generation, TimeSpan FirstRecompute, int FirstRecomputeChanged, DateTime GeneratedOn, long FileBytes);

/// <summary>
/// The generated database is kept in a temporary folder under a name made of the generator's version, the product's
/// latest migration and the size: a rerun copies it instead of generating it again, and a change to either makes a new
/// one (the stale files are deleted). Each run works on its own copy, so the cached file stays as generated.
/// </summary>
internal static class ScaleCache
{
    /// <summary>Bumped whenever the generator makes different data.</summary>
    public const int GeneratorVersion = 1;

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "certifications-scale-data");

    /// <summary>A copy of the cached data set for this run (generated first when not cached), and how it was made.</summary>
    public static async Task<(BenchDatabase Database, ScaleDataSet DataSet, bool WasCached)> OpenAsync(ScaleSize size, TextWriter log)
    {
        Directory.CreateDirectory(Folder);
        var prefix = $"scale-v{GeneratorVersion}-{LatestMigration()}-";
        var file = Path.Combine(Folder, $"{prefix}{size.Key}.db");
        var description = Path.ChangeExtension(file, ".json");
        var wasCached = File.Exists(file) && File.Exists(description);
        if (!wasCached)
        {
            foreach (var stale in Directory.EnumerateFiles(Folder, "scale-v*").Where(f => !Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)))
            {
                log.WriteLine($"  deleting {Path.GetFileName(stale)}: made by another generator or for another schema");
                File.Delete(stale);
            }

            var dataSet = await GenerateAsync(file, size, log);
            await File.WriteAllTextAsync(description, JsonSerializer.Serialize(dataSet));
        }

        var cached = JsonSerializer.Deserialize<ScaleDataSet>(await File.ReadAllTextAsync(description))!;
        var copying = Stopwatch.StartNew();
        var database = BenchDatabase.InNewFolder("scale.db");
        DataCopy.Fresh(file, database.FilePath);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  copied {file} ({cached.FileBytes / 1024d / 1024 / 1024:F2} GiB) to {database.Folder} in {copying.Elapsed.TotalSeconds:F1} s"));
        return (database, cached, wasCached);
    }

    private static string LatestMigration()
    {
        var any = BenchDatabase.Existing(Path.Combine(Folder, "none.db"));
        using var services = any.CreateServices();
        using var db = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContext();
        return db.Database.GetMigrations().Last();
    }

    private static async Task<ScaleDataSet> GenerateAsync(string file, ScaleSize size, TextWriter log)
    {
        var partial = file + ".partial";
        File.Delete(partial);
        log.WriteLine($"Generating {size.Describe()} into {partial}:");
        var started = Stopwatch.StartNew();
        var database = BenchDatabase.Existing(partial);
        await database.MigrateAsync();
        var generated = ScaleGenerator.Generate(database.ConnectionString, size, log);
        var generation = started.Elapsed;

        // Stored progress as the product derives it, at the data set's own instant: the first full recompute writes
        // every assignment's periods, grades and status.
        var recomputing = Stopwatch.StartNew();
        int changed;
        await using (var services = database.CreateServices(s => s.AddSingleton<TimeProvider>(new FixedClock(ScaleOrganisation.Now))))
        {
            changed = await services.GetRequiredService<ProgressRecompute>().RecomputeAllAsync();
        }

        recomputing.Stop();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first full recompute (writes every period and status): {recomputing.Elapsed.TotalSeconds:F1} s, {changed:N0} assignments changed"));
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Move(partial, file);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated in {generation.TotalSeconds:F1} s, cached as {file}"));
        return new ScaleDataSet(generated, generation, recomputing.Elapsed, changed, TimeProvider.System.GetUtcNow().UtcDateTime, new FileInfo(file).Length);
    }
}
