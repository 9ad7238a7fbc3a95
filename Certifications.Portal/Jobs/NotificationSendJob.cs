using Certifications.Core.Notifications;
using Quartz;

namespace Certifications.Portal.Jobs;

/// <summary>
/// Mails the recorded notifications every <c>Notifications:SendIntervalSeconds</c> (30), beside the renewal sweep in
/// the same Quartz scheduler. Never twice at once; a run that finds email off returns at once. A late firing runs once
/// and the schedule goes on: each run sends whatever is due by then.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class NotificationSendJob(NotificationSender sender, ILogger<NotificationSendJob> logger) : IJob
{
    public static readonly JobKey JobKey = new("notification-send", "notifications");

    public static readonly TriggerKey ScheduleKey = new("notification-send-schedule", "notifications");

    public const int DefaultIntervalSeconds = 30;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var report = await sender.SendDueAsync(cancellationToken);
        if (report != SendReport.None)
        {
            PortalLog.NotificationsSent(logger, report.Sent, report.Failed, report.GivenUp, report.NotSent);
        }
    }

    /// <summary>The job and its schedule, added to the portal's Quartz configuration.</summary>
    public static void AddTo(IQuartzBuilder quartz)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        quartz.AddJob<NotificationSendJob>(job => job
            .WithIdentity(JobKey)
            .WithDescription("Mails the notifications recorded and not sent yet, retrying failures with backoff.")
            .StoreDurably());
        quartz.AddTrigger<NotificationSendJob>((provider, trigger) =>
        {
            var seconds = Math.Max(1, provider.GetRequiredService<IConfiguration>().GetValue("Notifications:SendIntervalSeconds", DefaultIntervalSeconds));
            trigger.ForJob(JobKey).WithIdentity(ScheduleKey)
                .WithDescription("The notification sender's schedule (Notifications:SendIntervalSeconds).")
                .StartAt(provider.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(seconds))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount));
        });
    }
}
