using Certifications.Core.Renewals;
using Quartz;

namespace Certifications.Portal.Jobs;

/// <summary>
/// The renewal sweep as Quartz runs it: at start-up, on the schedule, when an admin asks, and again after a crash
/// interrupted it. Never twice at once, whichever trigger fires it.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RenewalSweepJob(RenewalSweep sweep, ILogger<RenewalSweepJob> logger) : IJob
{
    /// <summary>Job data a "run now" request carries, so the run says who started it.</summary>
    public const string RequestedBy = "requestedBy";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var trigger = TriggerOf(context);
        var run = await sweep.RunAsync(trigger, cancellationToken);
        PortalLog.SweepJobRan(logger, run.Id, trigger, run.AssignmentsEvaluated, run.TransitionCount, run.Error ?? "none");
    }

    /// <summary>Why the job fired: a recovered firing and one that came late by more than the misfire threshold catch up.</summary>
    internal static SweepTrigger TriggerOf(IJobExecutionContext context)
    {
        if (context.Recovering)
        {
            return SweepTrigger.CatchUp;
        }

        if (context.Trigger.Key.Group == SchedulerConstants.StartupGroup)
        {
            return SweepTrigger.StartUp;
        }

        if (context.MergedJobDataMap.ContainsKey(RequestedBy))
        {
            return SweepTrigger.RunNow;
        }

        return context.ScheduledFireTimeUtc is { } scheduled && context.FireTimeUtc - scheduled > RenewalScheduling.MisfireThreshold
            ? SweepTrigger.CatchUp
            : SweepTrigger.Schedule;
    }
}
