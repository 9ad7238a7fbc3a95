using System.Net;
using System.Text.Json;
using Certifications.Core.Persistence;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Certifications.Tests.Portal.Health;

/// <summary>/health/live and /health/ready, as a load balancer asks them: anonymous, JSON, 503 when not ready.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task LiveAnswersAnyoneWithoutCheckingAnything()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task ReadyChecksTheDatabaseAndSaysTheSchedulerIsOffByConfiguration()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = portal.CreateClient();

        var (status, checks) = await ReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", checks["database"].Status);
        Assert.Equal("The database answers and its schema is current.", checks["database"].Description);
        Assert.Equal("Healthy", checks["scheduler"].Status);
        Assert.Contains("off on this instance", checks["scheduler"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadyIsUnavailableWhileTheDatabaseLacksAMigrationOfThisBuild()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = portal.CreateClient();
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync())
        {
            var last = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = {last}""");
        }

        var (status, checks) = await ReadyAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", checks["database"].Status);
        Assert.Equal("The database answers but 1 migration of this build is not applied yet.", checks["database"].Description);
    }

    [Fact]
    public async Task ReadyFollowsTheRenewalSchedulerWhenItIsOn()
    {
        await using var portal = new PortalFactory(seedDemoData: false, extraSettings: new Dictionary<string, string?> { ["Scheduler:Enabled"] = "true" });
        using var client = portal.CreateClient();
        var scheduler = await portal.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        // The scheduler starts once the portal has started, as a load balancer sees it: not ready, then ready.
        var (running, whileRunning) = await ReadyAsync(client);
        for (var waited = 0; running != HttpStatusCode.OK && waited < 100; waited++)
        {
            Assert.Equal(("Unhealthy", "The renewal scheduler has not started yet."), (whileRunning["scheduler"].Status, whileRunning["scheduler"].Description));
            await Task.Delay(100);
            (running, whileRunning) = await ReadyAsync(client);
        }

        await scheduler.Standby();
        var (standing, whileStanding) = await ReadyAsync(client);
        await scheduler.Start();
        var (again, _) = await ReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, running);
        Assert.Equal("The renewal scheduler runs.", whileRunning["scheduler"].Description);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, standing);
        Assert.Equal(("Unhealthy", "The renewal scheduler is in standby."), (whileStanding["scheduler"].Status, whileStanding["scheduler"].Description));
        Assert.Equal("Healthy", whileStanding["database"].Status);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, (string Status, string Description)> Checks)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal("no-store, no-cache", string.Join(", ", response.Headers.CacheControl?.ToString() ?? ""));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("description").GetString()!));
        return (response.StatusCode, checks);
    }
}
