using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Certifications.Bench.Measuring;
using Certifications.Bench.Scale;
using Certifications.Core.Auditing;
using Certifications.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Bench.Screen;

/// <summary>
/// Result to screen on the large organisation: the portal runs as its own process on a copy of the scale data set, a
/// signed-in browser (Debian's Chromium through Playwright) has a certification's learner page open, and a result is
/// posted to <c>POST /api/v1/results</c> for a learner shown there as Not started. Measured: from just before the POST
/// until the learner's status on the open page is no longer Not started, with no reload. Raw, in the same run: recording
/// the same kind of row by hand and reading that learner's best scores on the certification's graded steps back.
/// </summary>
internal static class ScreenScenario
{
    public static Scenario Definition { get; } = new(
        "screen",
        "Time from a result posted to the API to the open learner page of a certification showing it, on the scale data set, against raw SQLite.",
        $"{ScaleSize.Options}, --samples N (default 60)",
        RunAsync);

    private const string Password = "screen bench passphrase 2026";

    private sealed record Target(int CertificationId, string Name, int StepId, int NotStarted);

    private static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        var run = Stopwatch.StartNew();
        var size = ScaleSize.FromArguments(args);
        var samples = Scenario.Option(args, "--samples", 60);
        var (database, dataSet, wasCached) = await ScaleCache.OpenAsync(size, output);
        await using (database)
        {
            string secret;
            await using (var services = database.CreateServices(s => s.AddLogging()))
            {
                var key = await services.GetRequiredService<ApiKeys>().CreateAsync(Actor.System, new ApiKeyDraft { Name = "screen bench" });
                secret = key.Secret?.Value ?? throw new InvalidOperationException(key.Message);
            }

            var (viewerEmail, targets) = await ChooseAsync(database.ConnectionString);
            output.WriteLine($"  starting the portal on {database.FilePath} (first start of a large file takes a while) …");
            await using var portal = await PortalProcess.StartAsync(database.ConnectionString, viewerEmail, Password, output);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = portal.Address.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
            await SignInAsync(page, viewerEmail);
            using var client = new HttpClient { BaseAddress = portal.Address };
            client.DefaultRequestHeaders.Add("X-Api-Key", secret);

            var ours = new Timings();
            var answered = new Timings();
            var raw = new Timings();
            var rows = new List<int>();
            var warmUp = 3;
            foreach (var target in targets)
            {
                if (ours.Count >= samples)
                {
                    break;
                }

                var opening = Stopwatch.StartNew();
                await page.GotoAsync($"/manage/certifications/{target.CertificationId}");
                await page.Locator("[data-interactive='true']").WaitForAsync(new() { Timeout = 120_000 });
                await page.Locator("[data-test='roster-status']").First.WaitForAsync(new() { Timeout = 120_000 });
                var shown = await page.Locator("[data-test='status-count']").EvaluateAllAsync<int[]>("els => els.map(e => +e.dataset.count)");
                rows.Add(shown.Sum());
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {target.Name}: page open with {shown.Sum():N0} learners in {opening.Elapsed.TotalSeconds:F1} s"));
                var learners = await page.Locator("[data-test='roster-status']:has([data-status='NotStarted'])")
                    .EvaluateAllAsync<int[]>("els => els.map(e => +e.dataset.learnerId)");
                foreach (var learner in learners)
                {
                    if (ours.Count >= samples)
                    {
                        break;
                    }

                    var (total, response) = await PostAndWatchAsync(page, client, learner, target.StepId);
                    var rawMilliseconds = await RawAsync(database.ConnectionString, learner, target.CertificationId, target.StepId);
                    if (warmUp > 0)
                    {
                        warmUp--;
                        continue;
                    }

                    ours.Add("result to screen", total);
                    answered.Add("API answered", response);
                    raw.Add("raw", rawMilliseconds);
                }
            }

            if (ours.Count == 0)
            {
                throw new InvalidOperationException("No learner shown as Not started was found on the pages opened.");
            }

            output.WriteLine();
            output.WriteLine("## Scale: result to screen");
            output.WriteLine();
            output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
            output.WriteLine($"- Machine: {Machine.Describe()}; load average after measuring: {Machine.LoadAverage()}");
            output.WriteLine($"- Data: {dataSet.Generated.Describe()}{(wasCached ? " (cached data set, copied for this run)" : "")}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- The portal in its own process (Release build, Development environment for plain HTTP, no demo data, scheduler off) on the copy; Chromium signed in as an admin, so each " +
                $"certification's page lists every learner holding it ({rows.Min():N0}–{rows.Max():N0} rows, virtualised), the heaviest case of the manager's page"));
            output.WriteLine("- Ours: from just before POST /api/v1/results (one result, a graded step, for a learner the open page shows as Not started) until that " +
                "learner's status on the page is no longer Not started, no reload; the API's answer time is part of it. Raw: one prepared INSERT of the same kind of " +
                "row in its own transaction, then that learner's best score on each graded step of the certification read back. Three warm-up posts not counted");
            output.WriteLine();
            output.WriteLine("| Measure | Samples | p50 (ms) | p95 (ms) | max (ms) |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            Print("Result to screen (ours)", ours, output);
            Print("of which the API answered", answered, output);
            Print("Raw SQLite: insert and read back", raw, output);
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ours/raw: p50 {ours.Percentile(50) / raw.Percentile(50):F0}x, p95 {ours.Percentile(95) / raw.Percentile(95):F0}x. Run time: {run.Elapsed.TotalSeconds:F0} s."));
        }

        return 0;
    }

    private static void Print(string what, Timings timings, TextWriter output) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {timings.Count} | {timings.Percentile(50):F0} | {timings.Percentile(95):F0} | {timings.Percentile(100):F0} |"));

    private static async Task<(double Total, double Response)> PostAndWatchAsync(IPage page, HttpClient client, int learnerId, int stepId)
    {
        var notStarted = page.Locator($"[data-test='roster-status'][data-learner-id='{learnerId}'] [data-status='NotStarted']");
        var body = new
        {
            results = new[]
            {
                new
                {
                    externalId = $"screen-bench-{Guid.NewGuid():N}",
                    learnerId,
                    stepId,
                    score = 88,
                    completedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                },
            },
        };
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/results", UriKind.Relative), body);
        var answered = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        var report = await response.Content.ReadAsStringAsync();
        if (!report.Contains("\"accepted\":1", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The result for learner {learnerId} was not accepted: {report}");
        }

        await notStarted.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, answered);
    }

    private static async Task<double> RawAsync(string connectionString, int learnerId, int certificationId, int stepId)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var transaction = connection.BeginTransaction())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
                VALUES ($learner, $step, 88, $at, $id, $at)
                """;
            insert.Parameters.AddWithValue("$learner", learnerId);
            insert.Parameters.AddWithValue("$step", stepId);
            insert.Parameters.AddWithValue("$at", TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(-1));
            insert.Parameters.AddWithValue("$id", $"screen-raw-{Guid.NewGuid():N}");
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var read = connection.CreateCommand();
        read.CommandText = """
            SELECT s."Id", MAX(r."Score")
            FROM "CertificationCourses" cc
            JOIN "Steps" s ON s."CourseId" = cc."CourseId" AND s."IsGraded" = 1
            LEFT JOIN "StepResults" r ON r."StepId" = s."Id" AND r."LearnerId" = $learner
            WHERE cc."CertificationId" = $certification
            GROUP BY s."Id"
            """;
        read.Parameters.AddWithValue("$learner", learnerId);
        read.Parameters.AddWithValue("$certification", certificationId);
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Who looks (any learner's address becomes the first administrator's) and which certifications to open: those with
    /// the most learners not started, each with a graded step of its first course to send a result for.
    /// </summary>
    private static async Task<(string ViewerEmail, List<Target> Targets)> ChooseAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var viewer = connection.CreateCommand();
        viewer.CommandText = """SELECT "Email" FROM "Learners" ORDER BY "Id" LIMIT 1""";
        var email = (string)(await viewer.ExecuteScalarAsync())!;
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c."Id", c."Name", COUNT(*),
                   (SELECT s."Id" FROM "CertificationCourses" cc JOIN "Steps" s ON s."CourseId" = cc."CourseId" AND s."IsGraded" = 1
                    WHERE cc."CertificationId" = c."Id" ORDER BY cc."Position", s."Position" LIMIT 1)
            FROM "Assignments" a JOIN "Certifications" c ON c."Id" = a."CertificationId"
            WHERE a."Status" = 'NotStarted' AND a."WithdrawnAt" IS NULL AND c."State" = 'Published'
            GROUP BY c."Id" ORDER BY COUNT(*) DESC LIMIT 40
            """;
        var targets = new List<Target>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(3))
            {
                targets.Add(new Target(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(3), reader.GetInt32(2)));
            }
        }

        return (email, targets);
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal), new() { Timeout = 60_000 });
    }
}
