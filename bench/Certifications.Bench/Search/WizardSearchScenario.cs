using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Catalog;
using Certifications.Bench.Measuring;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Search;

/// <summary>
/// The certification wizard's live searches (<see cref="CatalogSearch"/>) on a large catalog, against the same
/// results computed by hand-written SQL on the same file, in the same run.
/// </summary>
internal static class WizardSearchScenario
{
    private const int PageSize = 20;

    /// <summary>What admins type: short prefixes that match a lot, whole words, rare words, and typos that match nothing.</summary>
    private static readonly string[] CourseTexts =
    [
        "sa", "in", "ma", "saf", "man", "lead", "comp", "safety", "fire", "excel",
        "gdpr", "forklift", "phish", "negot", "kube", "hazm", "zebra", "falcon", "qzx", "xyzw",
    ];

    private static readonly string[] GroupTexts =
    [
        "sa", "an", "te", "sal", "war", "fin", "team", "sales", "lyon", "emea",
        "night", "shift", "support", "paris", "oslo", "audit", "valletta", "reyk", "qzx", "xyzw",
    ];

    public static Scenario Definition { get; } = new(
        "search",
        "The wizard's live searches (courses, groups) on a 50,000-course catalog: CatalogSearch against hand-written SQL.",
        "--calls N (measured calls per operation, default 200), --warm-up S (seconds per operation, default 5), --by-text (medians per text), " +
        "--explain (the SQL EF Core sends, SQLite's plans and each statement's time alone), --keep-database (leave the file for the sqlite3 shell)",
        RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        var calls = Scenario.Option(args, "--calls", 200);
        var warmUp = TimeSpan.FromSeconds(Scenario.Option(args, "--warm-up", 5));
        var run = Stopwatch.StartNew();
        var output = Console.Out;

        await using var database = await BenchDatabase.CreateAsync();
        database.Keep = args.Contains("--keep-database");
        var generation = Stopwatch.StartNew();
        var catalog = CatalogGenerator.Generate(database.ConnectionString, CatalogSize.Large);
        generation.Stop();

        output.WriteLine("## Wizard live search");
        output.WriteLine();
        output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
        output.WriteLine($"- SQLite {await database.SqliteVersionAsync()}, one file in WAL mode ({database.FileSize / 1024 / 1024} MB), migrated by DatabaseInitializer");
        output.WriteLine($"- Catalog (seed {CatalogGenerator.Seed}): {catalog.Describe()}; generated in {generation.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"- Each operation: {warmUp.TotalSeconds:F0} s of warm-up, then {calls} measured calls of ours and of raw, interleaved, " +
            $"cycling through {CourseTexts.Length} search texts; page 0, page size {PageSize}");

        await using var services = database.CreateServices();
        var search = services.GetRequiredService<CatalogSearch>();
        var raw = new RawCatalogSearch(database.ConnectionString);
        int[] included = [.. catalog.MandatoryCourseIds.Take(3)];
        output.WriteLine($"- Group search with included courses #{string.Join(", #", included)}");
        output.WriteLine();

        var matches = await VerifySameResultsAsync(search, raw, included);
        if (args.Contains("--explain"))
        {
            await ExplainAsync(database, included, output);
        }

        Operation[] operations =
        [
            new("SearchCoursesAsync", CourseTexts,
                text => search.SearchCoursesAsync(Actor.System, text, 0, PageSize),
                text => raw.SearchCoursesAsync(text, 0, PageSize)),
            new("SearchGroupsAsync (3 included courses)", GroupTexts,
                text => search.SearchGroupsAsync(Actor.System, text, included, 0, PageSize),
                text => raw.SearchGroupsAsync(text, included, 0, PageSize)),
        ];
        var results = new List<OperationResult>();
        foreach (var operation in operations)
        {
            results.Add(await InterleavedRun.MeasureAsync(operation, warmUp, calls));
        }

        ResultTable.Print(results, output);
        output.WriteLine();
        output.WriteLine($"Load average after measuring: {Machine.LoadAverage()}.");
        output.WriteLine();
        if (args.Contains("--by-text"))
        {
            foreach (var result in results)
            {
                var matchesOf = result == results[0] ? matches.Courses : matches.Groups;
                ResultTable.PrintByInput(result, text => matchesOf[text], output);
                output.WriteLine();
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run time: {run.Elapsed.TotalSeconds:F1} s (generation included)."));
        if (database.Keep)
        {
            output.WriteLine($"Database kept at {database.FilePath}");
        }

        return 0;
    }

    /// <summary>
    /// A ratio means nothing unless both sides return the same thing: every text is searched both ways first and the
    /// pages compared in full. Returns how many rows each text matches.
    /// </summary>
    private static async Task<(Dictionary<string, int> Courses, Dictionary<string, int> Groups)> VerifySameResultsAsync(
        CatalogSearch search, RawCatalogSearch raw, int[] included)
    {
        var courses = new Dictionary<string, int>();
        var groups = new Dictionary<string, int>();
        foreach (var text in CourseTexts)
        {
            var ours = await search.SearchCoursesAsync(Actor.System, text, 0, PageSize);
            var theirs = await raw.SearchCoursesAsync(text, 0, PageSize);
            Require(SamePage(ours, theirs, (a, b) => a == b), $"course search \"{text}\"");
            courses[text] = ours.Total;
        }

        foreach (var text in GroupTexts)
        {
            var ours = await search.SearchGroupsAsync(Actor.System, text, included, 0, PageSize);
            var theirs = await raw.SearchGroupsAsync(text, included, 0, PageSize);
            Require(SamePage(ours, theirs, (a, b) => a.Id == b.Id && a.Name == b.Name && a.MemberCount == b.MemberCount
                && a.MissingCourses.SequenceEqual(b.MissingCourses)), $"group search \"{text}\"");
            groups[text] = ours.Total;
        }

        return (courses, groups);
    }

    private static bool SamePage<T>(Page<T> ours, Page<T> theirs, Func<T, T, bool> same) =>
        ours.Total == theirs.Total && ours.Items.Count == theirs.Items.Count && ours.Items.Zip(theirs.Items).All(pair => same(pair.First, pair.Second));

    private static void Require(bool same, string what)
    {
        if (!same)
        {
            throw new InvalidOperationException($"Ours and raw disagree on the {what}: the comparison would be meaningless.");
        }
    }

    /// <summary>For a common, a rare and a no-match text: each statement EF Core sends and each hand-written one, planned and timed alone.</summary>
    private static async Task ExplainAsync(BenchDatabase database, int[] included, TextWriter output)
    {
        var capture = new CommandCapture();
        await using var services = database.CreateServices(s => s.ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(capture)));
        var search = services.GetRequiredService<CatalogSearch>();
        var probe = new StatementProbe(database.ConnectionString);
        output.WriteLine("### Query plans");
        output.WriteLine();
        foreach (var text in new[] { "sa", "kube", "qzx" })
        {
            capture.Clear();
            await search.SearchCoursesAsync(Actor.System, text, 0, PageSize);
            for (var i = 0; i < capture.Commands.Count; i++)
            {
                await probe.PrintAsync($"Ours, courses \"{text}\", statement {i + 1} of {capture.Commands.Count}", capture.Commands[i].Sql, capture.Commands[i].Parameters, output);
            }

            var parameters = RawCatalogSearch.Parameters(text, included, 0, PageSize);
            await probe.PrintAsync($"Raw, courses \"{text}\", count", RawCatalogSearch.CourseCount, parameters, output);
            await probe.PrintAsync($"Raw, courses \"{text}\", page", RawCatalogSearch.CoursePage, parameters, output);
        }

        foreach (var text in new[] { "sa", "oslo", "qzx" })
        {
            capture.Clear();
            await search.SearchGroupsAsync(Actor.System, text, included, 0, PageSize);
            for (var i = 0; i < capture.Commands.Count; i++)
            {
                await probe.PrintAsync($"Ours, groups \"{text}\", statement {i + 1} of {capture.Commands.Count}", capture.Commands[i].Sql, capture.Commands[i].Parameters, output);
            }

            var parameters = RawCatalogSearch.Parameters(text, included, 0, PageSize);
            await probe.PrintAsync($"Raw, groups \"{text}\", count", RawCatalogSearch.GroupCount, parameters, output);
            await probe.PrintAsync($"Raw, groups \"{text}\", page", RawCatalogSearch.GroupPage, parameters, output);
        }
    }
}
