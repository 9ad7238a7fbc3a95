using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// The portal is killed in the middle of a large sweep and started again: every transition happens exactly once and no
/// period is duplicated or lost. Real processes on a real database (a file, or a PostgreSQL database) and the real
/// clock, so the crash is a real one.
/// </summary>
public sealed class SchedulerCrashTests : IDisposable
{
    private const int LearnersPerCertification = 1_000;
    private static readonly TimeSpan PortalTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper output;
    private readonly SweepingPortals portals = new("crash");

    public SchedulerCrashTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    private Dictionary<string, string> Settings => portals.Settings();

    [Fact]
    public async Task KilledInTheMiddleOfASweepThePortalMakesEveryTransitionExactlyOnceAfterItRestarts()
    {
        var sweep = new OverdueSweep(portals.Database, LearnersPerCertification);
        await sweep.PrepareAsync(TimeProvider.System.GetUtcNow().UtcDateTime);

        using (var first = PortalProcess.Start(portals.Folder, Settings))
        {
            await first.WaitForLineAsync(l => l.Contains("committed a batch", StringComparison.Ordinal), PortalTimeout);
            first.Kill();
        }

        var (interruptedRun, transitionsAtKill) = await sweep.AtKillAsync();
        Assert.Null(interruptedRun.FinishedAt);
        Assert.InRange(transitionsAtKill, 1, sweep.Expected.Count - 1);
        output.WriteLine($"Killed with {transitionsAtKill:N0} of {sweep.Expected.Count:N0} transitions committed, {interruptedRun.AssignmentsEvaluated:N0} assignments evaluated.");

        using (var second = PortalProcess.Start(portals.Folder, Settings))
        {
            await second.WaitForLineAsync(l => l.Contains("finished:", StringComparison.Ordinal), PortalTimeout);
            second.Kill();
        }

        var runs = await sweep.AssertEveryTransitionMadeOnceAsync(interruptedRun);
        output.WriteLine(string.Join(Environment.NewLine, runs.Select(r => $"run {r.Id} {r.Trigger}: {r.AssignmentsEvaluated:N0} evaluated, finished {r.FinishedAt:o} after {r.FinishedAt - r.StartedAt}, error {r.Error}")));
    }

    public void Dispose() => portals.Dispose();
}
