using Certifications.Core.Demo;

namespace Certifications.Portal.Jobs;

/// <summary>
/// Runs the <see cref="DemoFeed"/> every few seconds while the portal is up, in demo mode only and unless
/// "Demo:Feed:Enabled" is false. A failed round is logged and the next one comes as usual.
/// </summary>
internal sealed class DemoFeedService(DemoFeed feed, IConfiguration configuration, TimeProvider time, ILogger<DemoFeedService> logger) : BackgroundService
{
    public static bool IsOn(IConfiguration configuration) =>
        PortalSetup.IsDemo(configuration) && configuration.GetValue("Demo:Feed:Enabled", true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsOn(configuration))
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Demo:Feed:IntervalSeconds", 5)));
        var learners = Math.Max(1, configuration.GetValue("Demo:Feed:LearnersPerRound", 3));
        var random = new Random();
        PortalLog.DemoFeedStarted(logger, interval.TotalSeconds, learners);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SendRoundAsync(learners, random, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The portal is stopping.
        }
    }

    private async Task SendRoundAsync(int learners, Random random, CancellationToken ct)
    {
        try
        {
            var report = await feed.SendOnceAsync(learners, random, ct);
            PortalLog.DemoFeedRound(logger, report.Accepted, report.Rejected);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PortalLog.DemoFeedFailed(logger, ex);
        }
    }
}
