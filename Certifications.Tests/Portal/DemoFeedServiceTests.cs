using Certifications.Core.Demo;
using Certifications.Core.Persistence;
using Certifications.Portal.Jobs;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal;

public sealed class DemoFeedServiceTests
{
    [Theory]
    [InlineData(null, null, true)]
    [InlineData("true", null, true)]
    [InlineData("true", "false", false)]
    [InlineData("false", null, false)]
    [InlineData("false", "true", false)]
    public void TheFeedIsOnInDemoModeUnlessSwitchedOffAndNeverOutsideIt(string? seed, string? feed, bool on)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Demo:Seed"] = seed, ["Demo:Feed:Enabled"] = feed })
            .Build();

        Assert.Equal(on, DemoFeedService.IsOn(configuration));
    }

    [Fact]
    public async Task InDemoModeThePortalSendsResultsEveryFewSecondsWithoutAnyoneAsking()
    {
        await using var portal = new PortalFactory(seedDemoData: true, new Dictionary<string, string?>
        {
            ["Demo:Feed:Enabled"] = "true",
            ["Demo:Feed:IntervalSeconds"] = "1",
        });
        _ = portal.Server;
        var factory = portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();

        var sent = 0;
        for (var wait = 0; wait < 60 && sent < 2; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await using var db = await factory.CreateDbContextAsync();
            sent = await db.StepResults.CountAsync(r => r.ExternalId.StartsWith(DemoFeed.ExternalIdPrefix));
        }

        Assert.True(sent >= 2, $"The feed sent {sent} results in 30 seconds.");
        await using var check = await factory.CreateDbContextAsync();
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Actor == DemoFeed.SenderName));
    }
}
