using Certifications.Portal.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Certifications.Portal.Health;

/// <summary>
/// The renewal scheduler has started and is neither in standby nor shut down. Off by configuration
/// (<c>Scheduler:Enabled</c>) is healthy: it was chosen, and another instance may be the one sweeping.
/// </summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, IConfiguration configuration, ILogger<SchedulerHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!RenewalScheduling.IsEnabled(configuration))
        {
            return HealthCheckResult.Healthy("The renewal scheduler is off on this instance (Scheduler:Enabled).");
        }

        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            return await scheduler.GetStatus(cancellationToken) switch
            {
                SchedulerStatus.Running => HealthCheckResult.Healthy("The renewal scheduler runs."),
                SchedulerStatus.Created => HealthCheckResult.Unhealthy("The renewal scheduler has not started yet."),
                SchedulerStatus.Standby => HealthCheckResult.Unhealthy("The renewal scheduler is in standby."),
                SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown => HealthCheckResult.Unhealthy("The renewal scheduler has shut down."),
                var other => HealthCheckResult.Unhealthy($"The renewal scheduler reads {other}."),
            };
        }
        catch (SchedulerException ex)
        {
            PortalLog.HealthCheckFailed(logger, "scheduler", ex);
            return HealthCheckResult.Unhealthy("The renewal scheduler could not be asked; the log says why.");
        }
    }
}
