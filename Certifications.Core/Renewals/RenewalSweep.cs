using Certifications.Core.Auditing;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Certifications.Core.Renewals;

/// <summary>A sweep run finished (or stopped): the scheduler's page shows it.</summary>
public sealed record SweepRunFinished(long RunId) : PortalEvent;

/// <param name="BatchSize">Assignments evaluated and committed together: bounds each transaction, and what a crash can interrupt.</param>
public sealed record SweepSettings(int BatchSize = ProgressRecompute.BatchSize);

/// <summary>One sweep run as the scheduler's page shows it.</summary>
public sealed record SweepRunRow(
    long Id,
    SweepTrigger Trigger,
    DateTime StartedAt,
    DateTime? FinishedAt,
    int AssignmentsEvaluated,
    int AssignmentsChanged,
    IReadOnlyDictionary<TransitionKind, int> Transitions,
    string? Error)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;

    public int TransitionCount => Transitions.Values.Sum();

    public bool Succeeded => FinishedAt is not null && Error is null;
}

/// <param name="DueNow">Assignments whose next transition has come and that no run has reached yet.</param>
/// <param name="NextTransitionAt">The earliest transition still to come, over every assignment.</param>
public sealed record SweepOverview(IReadOnlyList<SweepRunRow> RecentRuns, IReadOnlyList<SweepRunRow> RecentFailures, int DueNow, DateTime? NextTransitionAt)
{
    public SweepRunRow? LastRun => RecentRuns.Count > 0 ? RecentRuns[0] : null;
}

public sealed record PreviewSample(string Learner, string Certification, AssignmentStatus From, AssignmentStatus To, DateTime EffectiveAt);

public sealed record PreviewKind(TransitionKind Kind, int Count, IReadOnlyList<PreviewSample> Sample);

/// <summary>What a run at <paramref name="At"/> would change: <paramref name="AssignmentsDue"/> evaluated, transitions per kind.</summary>
public sealed record SweepPreview(DateTime At, int AssignmentsDue, int AssignmentsChanged, IReadOnlyList<PreviewKind> Kinds);

/// <summary>
/// Marks the time-driven transitions: Scheduled to active at Effective From, Expiring soon at the window opening, Renewal
/// due at expiry (the next period is open from the window on), Overdue after a one-time due date.
/// <list type="bullet">
/// <item>Exact and cheap selection: only the assignments whose stored next transition has come, by its index, in batches
/// of <see cref="SweepSettings.BatchSize"/> (one statement each).</item>
/// <item>Each batch is evaluated by the rules through <see cref="ProgressRecompute"/>'s own evaluation at the run's one
/// instant, walking every transition the clock made since the last evaluation, and written set-based with the
/// transitions and the run's counts in one transaction: a crash loses or doubles nothing, and the next run takes up
/// what is left. Only the clock moved since each assignment was last evaluated, so the results read are those from its
/// latest recorded period on (<see cref="ResultsToRead.SinceLatestPeriod"/>): the periods before stand as recorded.</item>
/// <item>Idempotent: the same data at the same instant gives the same states, so a second run at that instant finds
/// nothing due, and one run after any downtime catches up with every missed transition, each at its own instant.</item>
/// </list>
/// Open pages hear <see cref="AssignmentsChanged"/> per certification after each batch commits, and
/// <see cref="SweepRunFinished"/> at the end. Each run is one audit entry with its counts.
/// </summary>
public sealed class RenewalSweep(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    ProgressRecompute recompute,
    AccessGuard guard,
    EventHub events,
    SweepSettings settings,
    ILogger<RenewalSweep> logger)
{
    public const string AuditActor = "Scheduler";

    public const int SamplePerKind = 5;

    private const string Interrupted = "The portal stopped during this run; every batch it committed stands, and the next run did the rest.";

    private const string Cancelled = "The portal was shutting down; every batch committed stands, and the next run does the rest.";

    /// <summary>Runs the sweep at the current instant; a failure is recorded on the run and logged, and the next run retries.</summary>
    public async Task<SweepRunRow> RunAsync(SweepTrigger trigger, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        long runId;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            // Runs never overlap, so one without a finish is one the process died in.
            await db.SweepRuns.Where(r => r.FinishedAt == null && r.Error == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.Error, Interrupted), ct);
            var run = new SweepRun { Trigger = trigger, StartedAt = now };
            db.SweepRuns.Add(run);
            await db.SaveChangesAsync(ct);
            runId = run.Id;
        }

        CoreLog.SweepStarted(logger, runId, trigger, now);
        string? error = null;
        try
        {
            var afterId = 0;
            while (await SweepBatchAsync(runId, now, afterId, ct) is { } lastId)
            {
                afterId = lastId;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = Cancelled;
            throw;
        }
#pragma warning disable CA1031 // A failed run is recorded and logged; the scheduler keeps going and the next run retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            CoreLog.SweepFailed(logger, runId, ex);
        }
        finally
        {
            await FinishAsync(runId, error);
        }

        var row = (await LoadRunsAsync(r => r.Id == runId, 1, CancellationToken.None)).Single();
        CoreLog.SweepFinished(logger, runId, row.AssignmentsEvaluated, row.TransitionCount);
        return row;
    }

    /// <summary>One batch in one transaction: select, evaluate, write with the transitions and the run's counts; announce after commit.</summary>
    /// <returns>The last assignment id of the batch, or null when nothing was left.</returns>
    private async Task<int?> SweepBatchAsync(long runId, DateTime now, int afterId, CancellationToken ct)
    {
        List<int> ids;
        IReadOnlyList<AssignmentKey> changed;
        TransitionLog log;
        var notifications = new NotificationOutbox();
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            ids = await DueAsync(db, now, afterId, ct);
            if (ids.Count == 0)
            {
                return null;
            }

            log = new TransitionLog(runId, now);
            changed = await recompute.RecomputeAsync(db, db.Assignments.Where(a => EF.Parameter(ids).Contains(a.Id)), now, knownTerms: null, log, notifications, ResultsToRead.SinceLatestPeriod, ct);
            var counts = CountByKind(log.Found);
            await db.SweepRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(
                s => s
                    .SetProperty(r => r.AssignmentsEvaluated, r => r.AssignmentsEvaluated + ids.Count)
                    .SetProperty(r => r.AssignmentsChanged, r => r.AssignmentsChanged + changed.Count)
                    .SetProperty(r => r.Started, r => r.Started + counts[TransitionKind.Started])
                    .SetProperty(r => r.ExpiringSoon, r => r.ExpiringSoon + counts[TransitionKind.ExpiringSoon])
                    .SetProperty(r => r.RenewalDue, r => r.RenewalDue + counts[TransitionKind.RenewalDue])
                    .SetProperty(r => r.Overdue, r => r.Overdue + counts[TransitionKind.Overdue])
                    .SetProperty(r => r.Expired, r => r.Expired + counts[TransitionKind.Expired])
                    .SetProperty(r => r.Other, r => r.Other + counts[TransitionKind.Other]),
                ct);
            await transaction.CommitAsync(ct);
        }

        CoreLog.SweepBatchCommitted(logger, runId, ids.Count, log.Found.Count, ids[^1]);
        await notifications.AnnounceAsync(events);
        foreach (var certification in changed.GroupBy(k => k.CertificationId).OrderBy(g => g.Key))
        {
            await events.PublishAsync(new AssignmentsChanged(certification.Key, [.. certification.Select(k => k.LearnerId).Distinct().Order()]));
        }

        return ids[^1];
    }

    /// <summary>The next batch of assignments whose next transition has come, by id: one statement on the index.</summary>
    private Task<List<int>> DueAsync(CertificationsDbContext db, DateTime at, int afterId, CancellationToken ct) =>
        db.Assignments.AsNoTracking()
            .Where(a => a.NextTransitionAt <= at && a.Id > afterId)
            .OrderBy(a => a.Id)
            .Select(a => a.Id)
            .Take(settings.BatchSize)
            .ToListAsync(ct);

    private async Task FinishAsync(long runId, string? error)
    {
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.SweepRuns.SingleAsync(r => r.Id == runId);
        var finishedAt = time.GetUtcNow().UtcDateTime;
        run.FinishedAt = finishedAt;
        run.Error = error;
        AuditTrail.Record(db, finishedAt, AuditActor, "SweepRun", runId, error is null ? "Swept" : "SweepFailed", new
        {
            Trigger = run.Trigger.ToString(),
            run.StartedAt,
            run.AssignmentsEvaluated,
            run.AssignmentsChanged,
            run.Started,
            run.ExpiringSoon,
            run.RenewalDue,
            run.Overdue,
            run.Expired,
            run.Other,
            run.Error,
        });
        await db.SaveChangesAsync(CancellationToken.None);
        await events.PublishAsync(new SweepRunFinished(runId));
    }

    /// <summary>An admin asks for a run now; recorded in the audit trail. The caller then fires the job through the scheduler.</summary>
    public async Task AuthorizeRunNowAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "running the renewal scheduler", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor.Name, "SweepRun", "next", "RunRequested");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The recent runs, the recent failures and what is waiting, for the scheduler's page.</summary>
    public async Task<SweepOverview> OverviewAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "viewing the renewal scheduler", ct);
        var now = time.GetUtcNow().UtcDateTime;
        var runs = await LoadRunsAsync(_ => true, 10, ct);
        var failures = await LoadRunsAsync(r => r.Error != null, 5, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var due = await db.Assignments.CountAsync(a => a.NextTransitionAt <= now, ct);
        var next = await db.Assignments.Where(a => a.NextTransitionAt > now).MinAsync(a => a.NextTransitionAt, ct);
        return new SweepOverview(runs, failures, due, next);
    }

    /// <summary>
    /// What a run at <paramref name="at"/> would change: the assignments whose next transition has come by then,
    /// evaluated by the same path a run takes, with the transitions counted per kind and a few learners named for each.
    /// Nothing is written.
    /// </summary>
    public async Task<SweepPreview> PreviewAsync(Actor actor, DateTime at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "previewing the renewal scheduler", ct);
        at = DateTime.SpecifyKind(at, DateTimeKind.Utc);
        var log = new TransitionLog(runId: null, at, writesNothing: true);
        var due = 0;
        var changed = 0;
        var afterId = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var ids = await DueAsync(db, at, afterId, ct);
            if (ids.Count == 0)
            {
                break;
            }

            due += ids.Count;
            changed += (await recompute.RecomputeAsync(db, db.Assignments.Where(a => EF.Parameter(ids).Contains(a.Id)), at, knownTerms: null, log, notifications: null, ResultsToRead.SinceLatestPeriod, ct)).Count;
            afterId = ids[^1];
        }

        var samples = log.Found
            .GroupBy(t => t.Kind)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.EffectiveAt).ThenBy(t => t.AssignmentId).Take(SamplePerKind).ToList());
        var names = await NamesAsync(samples.Values.SelectMany(s => s).ToList(), ct);
        var kinds = Enum.GetValues<TransitionKind>()
            .Where(samples.ContainsKey)
            .Select(kind => new PreviewKind(
                kind,
                log.Found.Count(t => t.Kind == kind),
                [.. samples[kind].Select(t => new PreviewSample(names.Learners[t.LearnerId], names.Certifications[t.CertificationId], t.From, t.To, t.EffectiveAt))]))
            .ToList();
        return new SweepPreview(at, due, changed, kinds);
    }

    private async Task<(Dictionary<int, string> Learners, Dictionary<int, string> Certifications)> NamesAsync(List<FoundTransition> sample, CancellationToken ct)
    {
        var learnerIds = sample.Select(t => t.LearnerId).Distinct().ToList();
        var certificationIds = sample.Select(t => t.CertificationId).Distinct().ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        var learners = await db.Learners.AsNoTracking().Where(l => learnerIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        var certifications = await db.Certifications.AsNoTracking().Where(c => certificationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return (learners, certifications);
    }

    private async Task<List<SweepRunRow>> LoadRunsAsync(System.Linq.Expressions.Expression<Func<SweepRun, bool>> filter, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var runs = await db.SweepRuns.AsNoTracking().Where(filter).OrderByDescending(r => r.Id).Take(take).ToListAsync(ct);
        return
        [
            .. runs.Select(r => new SweepRunRow(
                r.Id,
                r.Trigger,
                r.StartedAt,
                r.FinishedAt,
                r.AssignmentsEvaluated,
                r.AssignmentsChanged,
                new Dictionary<TransitionKind, int>
                {
                    [TransitionKind.Started] = r.Started,
                    [TransitionKind.ExpiringSoon] = r.ExpiringSoon,
                    [TransitionKind.RenewalDue] = r.RenewalDue,
                    [TransitionKind.Overdue] = r.Overdue,
                    [TransitionKind.Expired] = r.Expired,
                    [TransitionKind.Other] = r.Other,
                },
                r.Error)),
        ];
    }

    private static Dictionary<TransitionKind, int> CountByKind(IReadOnlyList<FoundTransition> found) =>
        Enum.GetValues<TransitionKind>().ToDictionary(kind => kind, kind => found.Count(t => t.Kind == kind));
}
