using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Certifications.Tests.Portal.Jobs;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Certifications.Tests.Portal;

/// <summary>
/// Two portal processes on one PostgreSQL database, as behind a load balancer: a result posted to instance A completes a
/// learner on the manager's page that instance B serves, live, within a second.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ClusterLiveUpdatesBrowserTests : IDisposable
{
    private const string AdminEmail = "cluster.admin@example.com";
    private const string AdminPassword = "two instances, one database";
    private static readonly TimeSpan PortalTimeout = TimeSpan.FromSeconds(120);

    private readonly BrowserFixture browser;
    private readonly ITestOutputHelper output;
    private readonly string folder = Directory.CreateTempSubdirectory("certifications-live-cluster-").FullName;
    private readonly PortalDatabase database;

    public ClusterLiveUpdatesBrowserTests(BrowserFixture browser, ITestOutputHelper output)
    {
        this.browser = browser;
        this.output = output;
        database = PortalDatabase.Create(folder);
    }

    private Dictionary<string, string> Settings => new(database.PortalSettings)
    {
        ["Demo:Seed"] = "false",
        ["Scheduler:Enabled"] = "false",
        ["Bootstrap:AdminEmail"] = AdminEmail,
        ["Bootstrap:AdminPassword"] = AdminPassword,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["urls"] = "http://127.0.0.1:0",

        // Plain HTTP on loopback, as `dotnet run` serves it; outside Development the cookies need HTTPS (or a proxy's).
        ["environment"] = "Development",
    };

    private sealed record Prepared(int CertificationId, int StepId, int LearnerId, int FirstLearnerId, string ApiKey);

    [PostgreSqlOnlyFact("instances share live updates through PostgreSQL's LISTEN/NOTIFY; SQLite runs one portal")]
    public async Task AResultPostedToOneInstanceCompletesALearnerOnTheManagersPageServedByTheOther()
    {
        var prepared = await PrepareAsync();
        using var a = PortalProcess.Start(folder, Settings);
        var addressA = await ListeningAddressAsync(a);
        using var b = PortalProcess.Start(folder, Settings);
        var addressB = await ListeningAddressAsync(b);

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = addressB.ToString() });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, AdminEmail, AdminPassword);
        await page.GotoAsync($"/manage/certifications/{prepared.CertificationId}");
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await Assertions.Expect(StatusOf(page, prepared.LearnerId, "NotStarted")).ToBeVisibleAsync();

        // The first update B's page takes compiles the code that refreshes it; the second is timed.
        using var client = new HttpClient { BaseAddress = addressA };
        var (firstAccepted, firstBody) = await PostResultAsync(client, prepared, prepared.FirstLearnerId);
        Assert.True(firstAccepted, firstBody);
        await StatusOf(page, prepared.FirstLearnerId, "Completed").WaitForAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(StatusOf(page, prepared.LearnerId, "NotStarted")).ToBeVisibleAsync();

        var (accepted, body) = await PostResultAsync(client, prepared, prepared.LearnerId);
        var answered = Stopwatch.StartNew();
        await StatusOf(page, prepared.LearnerId, "Completed").WaitForAsync(new() { Timeout = 15_000 });
        answered.Stop();

        output.WriteLine($"Instance B's page showed the completion {answered.ElapsedMilliseconds} ms after instance A answered.");
        Assert.True(accepted, body);
        Assert.True(answered.Elapsed < TimeSpan.FromSeconds(1), $"Instance B's page took {answered.ElapsedMilliseconds} ms to show the completion.");
        await context.CloseAsync();
    }

    /// <summary>Posts one passing result of the learner to the instance: whether it was accepted, and the answer.</summary>
    private static async Task<(bool Accepted, string Body)> PostResultAsync(HttpClient client, Prepared prepared, int learnerId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/results")
        {
            Content = JsonContent.Create(new
            {
                results = new[]
                {
                    new
                    {
                        externalId = $"cluster-live-{Guid.NewGuid():N}",
                        learnerId,
                        stepId = prepared.StepId,
                        score = 88m,
                        completedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    },
                },
            }),
        };
        request.Headers.Add("X-Api-Key", prepared.ApiKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.IsSuccessStatusCode && body.Contains("\"accepted\":1", StringComparison.Ordinal), body);
    }

    private static ILocator StatusOf(IPage page, int learnerId, string status) =>
        page.Locator($"[data-test='roster-status'][data-learner-id='{learnerId}'] [data-status='{status}']");

    private static async Task<Uri> ListeningAddressAsync(PortalProcess portal)
    {
        var line = await portal.WaitForLineAsync(l => l.Contains("Now listening on: ", StringComparison.Ordinal), PortalTimeout);
        return new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());
    }

    /// <summary>
    /// Two learners in a group with a course of one graded step, a certification targeting the group, published so that they
    /// are assigned, and an API key for the results: through the Core services, on the database both portals will use.
    /// </summary>
    private async Task<Prepared> PrepareAsync()
    {
        await new DatabaseInitializer(database).MigrateAsync();
        int learnerId, firstLearnerId, stepId, courseId, groupId;
        await using (var db = database.CreateDbContext())
        {
            var learner = new Learner { Name = "Nora Cluster", Email = "nora.cluster@example.com", NormalizedEmail = "NORA.CLUSTER@EXAMPLE.COM" };
            var first = new Learner { Name = "Finn Cluster", Email = "finn.cluster@example.com", NormalizedEmail = "FINN.CLUSTER@EXAMPLE.COM" };
            var course = new Course { Title = "Cluster Course", IsPublished = true, Steps = [new Step { Title = "Cluster quiz", Position = 1, IsGraded = true }] };
            db.AddRange(learner, first, course);
            await db.SaveChangesAsync();
            var group = new Group
            {
                Name = "Cluster group",
                Courses = [new GroupCourse { CourseId = course.Id }],
                Members = [new GroupMember { LearnerId = learner.Id }, new GroupMember { LearnerId = first.Id }],
            };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            (learnerId, firstLearnerId, stepId, courseId, groupId) = (learner.Id, first.Id, course.Steps[0].Id, course.Id, group.Id);
        }

        var time = TimeProvider.System;
        var guard = new AccessGuard(database, time);
        var admin = Actor.Admin("cluster-test@example.com");
        var certifications = TestServices.Certifications(database, time, new EventHub(), guard);
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = "Cluster Live Check", EffectiveFrom = new DateOnly(2026, 1, 1), MinimumPassingGrade = 70, CourseIds = [courseId], GroupIds = [groupId] }, admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, admin)).Succeeded);
        var key = await new ApiKeys(database, guard, time).CreateAsync(admin, new ApiKeyDraft { Name = "Cluster feed" });
        Assert.True(key.Succeeded, key.Message);
        return new Prepared(created.Id!.Value, stepId, learnerId, firstLearnerId, key.Secret!.Value);
    }

    public void Dispose()
    {
        database.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temporary folder; it is not part of any result.
        }
    }
}
