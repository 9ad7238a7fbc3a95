using Certifications.Core.Persistence;
using Certifications.Core.Renewals;
using Certifications.Portal.Jobs;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using Quartz.Extensibility;

namespace Certifications.Tests.Portal.Jobs;

public sealed class RenewalSweepJobTests
{
    private static readonly DateTimeOffset Scheduled = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SweepTrigger TriggerOf(string group, DateTimeOffset firedAt, bool recovering = false, string? requestedBy = null)
    {
        var trigger = TriggerBuilder.Create().WithIdentity("trigger", group).ForJob(RenewalScheduling.JobKey).StartAt(Scheduled);
        if (requestedBy is not null)
        {
            trigger.UsingJobData(RenewalSweepJob.RequestedBy, requestedBy);
        }

        var context = JobExecutionContextBuilder.For(new RenewalSweepJob(null!, NullLogger<RenewalSweepJob>.Instance))
            .WithJob(JobBuilder.Create<RenewalSweepJob>().WithIdentity(RenewalScheduling.JobKey).Build())
            .WithTrigger(trigger.Build())
            .FiredAt(firedAt, Scheduled)
            .Recovering(recovering)
            .Build();
        return RenewalSweepJob.TriggerOf(context);
    }

    [Fact]
    public void EachRunSaysWhyItRan()
    {
        Assert.Equal(SweepTrigger.Schedule, TriggerOf("renewals", Scheduled.AddSeconds(2)));
        Assert.Equal(SweepTrigger.CatchUp, TriggerOf("renewals", Scheduled.AddMinutes(5)));
        Assert.Equal(SweepTrigger.StartUp, TriggerOf(SchedulerConstants.StartupGroup, Scheduled));
        Assert.Equal(SweepTrigger.RunNow, TriggerOf("MANUAL_TRIGGER", Scheduled, requestedBy: "admin@example.com"));
        Assert.Equal(SweepTrigger.CatchUp, TriggerOf(SchedulerConstants.StartupGroup, Scheduled, recovering: true));
    }

    /// <summary>Quartz and the sweep take the one clock in the container: the start-up run happens at the fake instant.</summary>
    [Fact]
    public async Task AtStartUpQuartzRunsTheSweepOnTheContainersClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var portal = new PortalFactory(seedDemoData: false, new Dictionary<string, string?> { ["Scheduler:Enabled"] = "true" });
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The portal's hub, listened to before the portal starts, so that the start-up run cannot finish unheard.
        var events = new Certifications.Core.Events.EventHub();
        using var listening = events.Subscribe(e =>
        {
            if (e is SweepRunFinished finished)
            {
                started.TrySetResult(finished.RunId);
            }

            return Task.CompletedTask;
        });
        await using var configured = portal.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(events);
        }));
        _ = configured.Server;

        var runId = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var scheduler = await configured.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.Same(clock, scheduler.TimeProvider);
        await using var db = await configured.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        var run = await db.SweepRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal((SweepTrigger.StartUp, clock.GetUtcNow().UtcDateTime), (run.Trigger, run.StartedAt));
    }
}
