using Certifications.Core.Auditing;
using Certifications.Core.Renewals;
using Quartz;

namespace Certifications.Portal.Jobs;

/// <summary>What the scheduler's page asks of Quartz: when the next scheduled run is, and a run now.</summary>
internal interface ISweepScheduler
{
    /// <summary>False when "Scheduler:Enabled" is off: nothing runs by itself, and nothing can be started.</summary>
    bool IsEnabled { get; }

    Task<DateTime?> NextRunAsync(CancellationToken ct = default);

    /// <summary>Fires the sweep through Quartz, so that it queues behind a run in progress rather than running beside it.</summary>
    /// <exception cref="Core.Security.AccessDeniedException">The actor is not an admin.</exception>
    Task RunNowAsync(Actor actor, CancellationToken ct = default);
}

internal sealed class QuartzSweepScheduler(ISchedulerFactory schedulers, RenewalSweep sweep, IConfiguration configuration) : ISweepScheduler
{
    public bool IsEnabled => RenewalScheduling.IsEnabled(configuration);

    public async Task<DateTime?> NextRunAsync(CancellationToken ct = default)
    {
        if (!IsEnabled)
        {
            return null;
        }

        var scheduler = await schedulers.GetScheduler(ct);
        return (await scheduler.GetTrigger(RenewalScheduling.ScheduleKey, ct))?.NextFireTimeUtc?.UtcDateTime;
    }

    public async Task RunNowAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await sweep.AuthorizeRunNowAsync(actor, ct);
        if (!IsEnabled)
        {
            throw new InvalidOperationException("The scheduler is off (Scheduler:Enabled in appsettings.json).");
        }

        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(RenewalScheduling.JobKey, new JobDataMap { [RenewalSweepJob.RequestedBy] = actor.Name }, ct);
    }
}
