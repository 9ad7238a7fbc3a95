using Certifications.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// Two portals on one PostgreSQL database, each running the scheduler as a node of the Quartz cluster: a sweep due is
/// made once, by one node at a time, and when the node sweeping is killed, the other, still running, finishes it within
/// seconds, without waiting for a restart or its next scheduled run. Real processes and the real clock.
/// </summary>
public sealed class ClusterSchedulerTests : IDisposable
{
    private const int LearnersPerCertification = 1_000;
    private static readonly TimeSpan PortalTimeout = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper output;
    private readonly SweepingPortals portals = new("cluster");

    public ClusterSchedulerTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    private Dictionary<string, string> Settings => portals.Settings(("Scheduler:ClusterCheckinSeconds", "1"));

    [PostgreSqlOnlyFact("the clustered scheduler runs on PostgreSQL; SQLite is one machine's file and runs one portal")]
    public async Task ASweepDueOnTwoNodesIsMadeOnceAndTheSurvivorFinishesItWhenTheNodeSweepingIsKilled()
    {
        // B runs first, on a database with nothing due: its start-up run finds nothing. Then the sweep comes due, and A
        // starts: its own start-up run takes it on.
        using var b = PortalProcess.Start(portals.Folder, Settings);
        await b.WaitForLineAsync(l => l.Contains("finished: 0 assignments", StringComparison.Ordinal), PortalTimeout);
        var sweep = new OverdueSweep(portals.Database, LearnersPerCertification);
        await sweep.PrepareAsync(TimeProvider.System.GetUtcNow().UtcDateTime);
        using var a = PortalProcess.Start(portals.Folder, Settings);
        await a.WaitForLineAsync(l => l.Contains("committed a batch", StringComparison.Ordinal), PortalTimeout);
        var killedAt = TimeProvider.System.GetUtcNow().UtcDateTime;
        a.Kill();

        var (interruptedRun, transitionsAtKill) = await sweep.AtKillAsync();
        Assert.Null(interruptedRun.FinishedAt);
        Assert.InRange(transitionsAtKill, 1, sweep.Expected.Count - 1);
        output.WriteLine($"Killed node A with {transitionsAtKill:N0} of {sweep.Expected.Count:N0} transitions committed by its run.");

        // B notices A stopped checking in, and finishes the firing A was in the middle of.
        await b.WaitForLineAsync(l => l.Contains("finished:", StringComparison.Ordinal) && !l.Contains("finished: 0 assignments", StringComparison.Ordinal), PortalTimeout);
        var runs = await sweep.AssertEveryTransitionMadeOnceAsync(interruptedRun);
        output.WriteLine(string.Join(Environment.NewLine, runs.Select(r => $"run {r.Id} {r.Trigger}: started {r.StartedAt:o}, {r.AssignmentsEvaluated:N0} evaluated, finished {r.FinishedAt:o}, error {r.Error}")));

        // One node at a time: B's runs after A's all began after the kill, none beside the interrupted one.
        Assert.All(runs.Where(r => r.Id < interruptedRun.Id), r => Assert.Equal(0, r.AssignmentsEvaluated));
        Assert.All(runs.Where(r => r.Id > interruptedRun.Id), r => Assert.True(r.StartedAt >= killedAt, $"Run {r.Id} started at {r.StartedAt:o}, before the kill at {killedAt:o}."));
        Assert.Contains(runs, r => r.Id > interruptedRun.Id && r.FinishedAt is not null && r.AssignmentsEvaluated > 0);
    }

    public void Dispose() => portals.Dispose();
}
