using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Tests.Core.Time;
using Microsoft.EntityFrameworkCore;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Renewals;

public sealed class RenewalSweepTests
{
    private static Action<Certification> Monthly(RenewalAnchor anchor) => c =>
    {
        c.RenewalRequired = true;
        c.RenewalPeriodMonths = 1;
        c.RenewalWindowDays = 7;
        c.RenewalAnchor = anchor;
    };

    private static Action<Certification> DueOn(DateOnly due) => c => c.DueDate = due;

    /// <summary>
    /// Completed on 31 January 2028 (a leap year), monthly, a window of 7 days. The portal sweeps every day at noon and
    /// the learner replays once inside the window and once after a lapse. Every transition is recorded at the instant
    /// the rules put it, not at noon, and the expiries follow the n-th renewal from the chain's start.
    /// </summary>
    [Theory]
    [InlineData(RenewalAnchor.PreviousExpiry)]
    [InlineData(RenewalAnchor.CompletionDate)]
    public async Task AMonthlyCertificationCompletedOnJanuary31WalksThroughItsRenewals(RenewalAnchor anchor)
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 1, 10, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), Monthly(anchor));
        var learnerId = await bed.AssignNewLearnerAsync(certificationId, "Bob Safety");
        var replays = new Dictionary<DateOnly, DateTime>
        {
            [new DateOnly(2028, 1, 31)] = Utc(2028, 1, 31, 10),
            [new DateOnly(2028, 2, 25)] = Utc(2028, 2, 25, 9),
            [new DateOnly(2028, 4, 3)] = Utc(2028, 4, 3, 9),
        };
        global::Certifications.Core.Enrollment.Assignment? whileRenewalDue = null;

        for (var day = new DateOnly(2028, 1, 11); day <= new DateOnly(2028, 4, 30); day = day.AddDays(1))
        {
            bed.SetNow(day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
            if (replays.TryGetValue(day, out var completedAt))
            {
                await bed.PassAsync(learnerId, completedAt);
            }

            await bed.Sweep.RunAsync(SweepTrigger.Schedule);
            if (day == new DateOnly(2028, 4, 1))
            {
                whileRenewalDue = await bed.AssignmentAsync(certificationId, learnerId);
            }
        }

        var (renewedExpiry, secondWindow) = anchor == RenewalAnchor.PreviousExpiry
            ? (Utc(2028, 3, 31, 10), Utc(2028, 3, 24, 10)) // 31 Jan + 2 months: the anniversary is kept, not 29 Feb + 1 month.
            : (Utc(2028, 3, 25, 9), Utc(2028, 3, 18, 9)); // 25 Feb + 1 month.
        var transitions = await bed.TransitionsAsync();
        Assert.Equal(
        [
            (AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, TransitionKind.ExpiringSoon, Utc(2028, 2, 22, 10)),
            (AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, TransitionKind.ExpiringSoon, secondWindow),
            (AssignmentStatus.ExpiringSoon, AssignmentStatus.RenewalDue, TransitionKind.RenewalDue, renewedExpiry),
            (AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, TransitionKind.ExpiringSoon, Utc(2028, 4, 26, 9)),
        ],
            transitions.Select(t => (t.From, t.To, t.Kind, t.EffectiveAt)));
        Assert.All(transitions, t => Assert.NotNull(t.RunId));

        // At Renewal due the courses are assigned again: the period the window opened stays open for the renewal.
        Assert.Equal(AssignmentStatus.RenewalDue, whileRenewalDue!.Status);
        var open = Assert.Single(whileRenewalDue.Periods, p => p.CompletedAt is null);
        Assert.Equal((3, secondWindow), (open.Number, open.WindowStart));

        var assignment = await bed.AssignmentAsync(certificationId, learnerId);
        Assert.Equal(AssignmentStatus.ExpiringSoon, assignment.Status);
        Assert.Equal(
        [
            (1, Utc(2028, 1, 31, 10), (DateTime?)Utc(2028, 2, 29, 10), 1),
            (2, Utc(2028, 2, 25, 9), renewedExpiry, anchor == RenewalAnchor.PreviousExpiry ? 2 : 1),
            (3, Utc(2028, 4, 3, 9), Utc(2028, 5, 3, 9), 1), // renewed after the lapse: a new chain starts at the completion.
        ],
            assignment.Periods.Where(p => p.CompletedAt is not null).OrderBy(p => p.Number).Select(p => (p.Number, p.CompletedAt!.Value, p.ExpiresAt, p.ChainIndex)));
        Assert.Equal((4, Utc(2028, 4, 26, 9)), assignment.Periods.Where(p => p.CompletedAt is null).Select(p => (p.Number, p.WindowStart)).Single());
        Assert.Equal(Utc(2028, 5, 3, 9), assignment.NextTransitionAt);
    }

    [Theory]
    [InlineData("UTC", 2026, 3, 11, 0)]
    [InlineData("Pacific/Auckland", 2026, 3, 10, 11)] // New Zealand daylight time, UTC+13: the day ends at 11:00 UTC.
    public async Task AOneTimeCertificationBecomesOverdueWhenItsDueDateEndsInTheOrganisationsZone(string zone, int year, int month, int day, int hour)
    {
        var endOfDueDate = Utc(year, month, day, hour);
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 3, 1, 12), In(zone));
        // Without the "due in N days" reminder, the end of the due date is the assignment's only instant.
        var certificationId = await bed.AddCertificationAsync("Fire drill", new DateOnly(2026, 3, 1), c =>
        {
            DueOn(new DateOnly(2026, 3, 10))(c);
            c.NotificationEvents &= ~NotificationEvents.DueSoon;
        });
        var learnerId = await bed.AssignNewLearnerAsync(certificationId, "Bob Safety");
        Assert.Equal(endOfDueDate, (await bed.AssignmentAsync(certificationId, learnerId)).NextTransitionAt);

        bed.SetNow(endOfDueDate.AddSeconds(-1));
        var before = await bed.Sweep.RunAsync(SweepTrigger.Schedule);
        bed.SetNow(endOfDueDate.AddDays(1));
        var after = await bed.Sweep.RunAsync(SweepTrigger.Schedule);

        Assert.Equal((0, 0), (before.AssignmentsEvaluated, before.TransitionCount));
        Assert.Equal(1, after.Transitions[TransitionKind.Overdue]);
        var transition = Assert.Single(await bed.TransitionsAsync());
        Assert.Equal((AssignmentStatus.NotStarted, AssignmentStatus.Overdue, endOfDueDate, after.Id), (transition.From, transition.To, transition.EffectiveAt, transition.RunId));
        var assignment = await bed.AssignmentAsync(certificationId, learnerId);
        Assert.Equal(AssignmentStatus.Overdue, assignment.Status);
        Assert.Null(assignment.NextTransitionAt);
    }

    [Fact]
    public async Task RunningTwiceAtTheSameInstantChangesNothingTheSecondTime()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 2, 20, 12));
        var scheduled = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 3, 1));
        var overdue = await bed.AddCertificationAsync("Fire drill", new DateOnly(2026, 2, 1), DueOn(new DateOnly(2026, 2, 25)));
        await bed.AssignNewLearnerAsync(scheduled, "Ann Ladder");
        await bed.AssignNewLearnerAsync(overdue, "Bob Drill");
        bed.SetNow(Utc(2026, 3, 2, 8));
        var first = await bed.Sweep.RunAsync(SweepTrigger.Schedule);
        var afterFirst = await bed.SnapshotAsync();

        var second = await bed.Sweep.RunAsync(SweepTrigger.RunNow);

        Assert.Equal((2, 2), (first.AssignmentsEvaluated, first.TransitionCount));
        Assert.Equal((0, 0, 0), (second.AssignmentsEvaluated, second.AssignmentsChanged, second.TransitionCount));
        var afterSecond = await bed.SnapshotAsync();
        Assert.Equal(afterFirst[..^1], afterSecond[..^1]);
        Assert.Equal(2, (await bed.TransitionsAsync()).Count);
    }

    /// <summary>The portal is down from 1 February to 15 March: one run at start-up makes every missed transition once, each at its own instant.</summary>
    [Fact]
    public async Task AfterAMonthOfDowntimeOneRunMakesEveryMissedTransitionOnceAtItsOwnInstant()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 1, 20, 12), batchSize: 2);
        var monthly = await bed.AddCertificationAsync("Forklift", new DateOnly(2026, 1, 1), Monthly(RenewalAnchor.PreviousExpiry));
        var oneTime = await bed.AddCertificationAsync("Fire drill", new DateOnly(2026, 1, 1), DueOn(new DateOnly(2026, 2, 27)));
        var later = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 3, 2));
        var renewing = await bed.AssignNewLearnerAsync(monthly, "Ann Forklift");
        var idle = await bed.AssignNewLearnerAsync(oneTime, "Bob Drill");
        var waiting = await bed.AssignNewLearnerAsync(later, "Cy Ladder");
        bed.SetNow(Utc(2026, 1, 31, 12));
        await bed.PassAsync(renewing, Utc(2026, 1, 31, 10)); // expires 28 Feb 10:00; the window opens 21 Feb 10:00.
        bed.SetNow(Utc(2026, 2, 1, 12));
        Assert.Equal(0, (await bed.Sweep.RunAsync(SweepTrigger.Schedule)).TransitionCount);

        bed.SetNow(Utc(2026, 3, 15, 12));
        var catchUp = await bed.Sweep.RunAsync(SweepTrigger.StartUp);
        var again = await bed.Sweep.RunAsync(SweepTrigger.Schedule);

        Assert.Equal(
        [
            (renewing, AssignmentStatus.Certified, AssignmentStatus.ExpiringSoon, Utc(2026, 2, 21, 10)),
            (idle, AssignmentStatus.NotStarted, AssignmentStatus.Overdue, Utc(2026, 2, 28)),
            (renewing, AssignmentStatus.ExpiringSoon, AssignmentStatus.RenewalDue, Utc(2026, 2, 28, 10)),
            (waiting, AssignmentStatus.Scheduled, AssignmentStatus.NotStarted, Utc(2026, 3, 2)),
        ],
            (await bed.TransitionsAsync()).Select(t => (LearnerOf(bed, t.AssignmentId), t.From, t.To, t.EffectiveAt)).OrderBy(t => t.Item4));
        Assert.Equal((3, 4), (catchUp.AssignmentsEvaluated, catchUp.TransitionCount));
        Assert.Equal((1, 1, 1, 1), (catchUp.Transitions[TransitionKind.Started], catchUp.Transitions[TransitionKind.ExpiringSoon], catchUp.Transitions[TransitionKind.RenewalDue], catchUp.Transitions[TransitionKind.Overdue]));
        Assert.Equal(0, again.TransitionCount);
        await using var db = bed.Database.CreateContext();
        var audit = Assert.Single(await db.AuditEntries.Where(e => e.EntityType == "SweepRun" && e.EntityId == catchUp.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToListAsync());
        Assert.Equal((RenewalSweep.AuditActor, "Swept"), (audit.Actor, audit.Action));
        Assert.Contains("\"RenewalDue\":1", audit.Changes, StringComparison.Ordinal);
    }

    private static int LearnerOf(SweepTestBed bed, int assignmentId)
    {
        using var db = bed.Database.CreateContext();
        return db.Assignments.Single(a => a.Id == assignmentId).LearnerId;
    }

    [Fact]
    public async Task EachCommittedBatchIsAnnouncedPerCertificationWithTheLearnersItChanged()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 2, 20, 12), batchSize: 1);
        var ladders = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 3, 1));
        var ann = await bed.AssignNewLearnerAsync(ladders, "Ann Ladder");
        var bob = await bed.AssignNewLearnerAsync(ladders, "Bob Ladder");
        var seen = new List<PortalEvent>();
        using var _ = bed.Events.Subscribe(e =>
        {
            seen.Add(e);
            return Task.CompletedTask;
        });
        bed.SetNow(Utc(2026, 3, 1, 1));

        var run = await bed.Sweep.RunAsync(SweepTrigger.Schedule);

        Assert.Equal(
            [new AssignmentsChanged(ladders, [ann]).LearnerIds, new AssignmentsChanged(ladders, [bob]).LearnerIds],
            seen.OfType<AssignmentsChanged>().Select(e => e.LearnerIds));
        Assert.Equal(new SweepRunFinished(run.Id), seen[^1]);
    }

    [Fact]
    public async Task APreviewCountsWhatARunWouldChangeAndWritesNothing()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 2, 20, 12), batchSize: 2);
        var ladders = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 3, 1));
        var drill = await bed.AddCertificationAsync("Fire drill", new DateOnly(2026, 2, 1), DueOn(new DateOnly(2026, 3, 3)));
        await bed.AssignNewLearnerAsync(ladders, "Ann Ladder");
        await bed.AssignNewLearnerAsync(ladders, "Bob Ladder");
        await bed.AssignNewLearnerAsync(drill, "Cy Drill");
        await bed.AssignNewLearnerAsync(drill, "Di Drill");
        var before = await bed.SnapshotAsync();

        var preview = await bed.Sweep.PreviewAsync(Actor.System, Utc(2026, 3, 5));

        Assert.Equal(before, await bed.SnapshotAsync());
        Assert.Equal((4, 4), (preview.AssignmentsDue, preview.AssignmentsChanged));
        Assert.Equal([(TransitionKind.Started, 2), (TransitionKind.Overdue, 2)], preview.Kinds.Select(k => (k.Kind, k.Count)));
        Assert.Equal(["Ann Ladder", "Bob Ladder"], preview.Kinds[0].Sample.Select(s => s.Learner));
        Assert.All(preview.Kinds[1].Sample, s => Assert.Equal(("Fire drill", Utc(2026, 3, 4)), (s.Certification, s.EffectiveAt)));

        bed.SetNow(Utc(2026, 3, 5));
        var run = await bed.Sweep.RunAsync(SweepTrigger.RunNow);
        Assert.Equal((2, 2), (run.Transitions[TransitionKind.Started], run.Transitions[TransitionKind.Overdue]));
    }

    [Fact]
    public async Task OnlyAnAdminMayPreviewOrViewTheScheduler()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 2, 20, 12));
        var learner = new Actor("lena@example.com", 7, new HashSet<string> { PortalRoles.Learner });

        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Sweep.PreviewAsync(learner, Utc(2026, 3, 5)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Sweep.OverviewAsync(learner));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Sweep.AuthorizeRunNowAsync(learner));
    }

    [Fact]
    public async Task TheOverviewShowsTheRunsTheFailuresAndWhatIsWaiting()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 2, 20, 12));
        var ladders = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 3, 1));
        await bed.AssignNewLearnerAsync(ladders, "Ann Ladder");
        await using (var db = bed.Database.CreateContext())
        {
            // A run the process died in: no finish, no error.
            db.SweepRuns.Add(new SweepRun { Trigger = SweepTrigger.Schedule, StartedAt = Utc(2026, 2, 19) });
            await db.SaveChangesAsync();
        }

        var waiting = await bed.Sweep.OverviewAsync(Actor.System);
        bed.SetNow(Utc(2026, 3, 1, 6));
        Assert.Equal(1, (await bed.Sweep.OverviewAsync(Actor.System)).DueNow);
        bed.Time.Advance(TimeSpan.FromSeconds(3));
        var run = await bed.Sweep.RunAsync(SweepTrigger.StartUp);
        var overview = await bed.Sweep.OverviewAsync(Actor.System);

        Assert.Equal((0, Utc(2026, 3, 1)), (waiting.DueNow, waiting.NextTransitionAt));
        Assert.Equal(run.Id, overview.LastRun!.Id);
        Assert.True(overview.LastRun.Succeeded);
        Assert.Equal((0, null), (overview.DueNow, overview.NextTransitionAt));
        var interrupted = Assert.Single(overview.RecentFailures);
        Assert.Null(interrupted.FinishedAt);
        Assert.Contains("stopped", interrupted.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sweep reads only the results from each assignment's latest period, and not the grades of the periods before,
    /// which stand as recorded: every completed period keeps the grade it was completed with, through renewals.
    /// </summary>
    [Fact]
    public async Task EveryRecordedPeriodKeepsItsGradeThroughTheSweepsRenewals()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 1, 10, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), Monthly(RenewalAnchor.PreviousExpiry));
        var learnerId = await bed.AssignNewLearnerAsync(certificationId, "Bob Safety");
        var passes = new Dictionary<DateOnly, (DateTime At, decimal Score)>
        {
            [new DateOnly(2028, 1, 31)] = (Utc(2028, 1, 31, 10), 90m),
            [new DateOnly(2028, 2, 25)] = (Utc(2028, 2, 25, 9), 75m),
            [new DateOnly(2028, 3, 27)] = (Utc(2028, 3, 27, 9), 100m),
        };

        for (var day = new DateOnly(2028, 1, 11); day <= new DateOnly(2028, 5, 10); day = day.AddDays(1))
        {
            bed.SetNow(day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
            if (passes.TryGetValue(day, out var pass))
            {
                await bed.PassAsync(learnerId, pass.At, pass.Score);
            }

            await bed.Sweep.RunAsync(SweepTrigger.Schedule);
        }

        Assert.Equal([(1, 90m), (2, 75m), (3, 100m)], await CompletedGradesAsync(bed));
    }

    /// <summary>
    /// A period completed while the certification was one-time has no expiry. Should the sweep meet one after renewal
    /// was turned on (its recompute had not run), the rules place its expiry and the period is written again: with
    /// its grade, which the sweep therefore reads.
    /// </summary>
    [Fact]
    public async Task APeriodGivenItsExpiryByTheSweepKeepsItsGrade()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2026, 1, 10, 8));
        var certificationId = await bed.AddCertificationAsync("Ladders", new DateOnly(2026, 1, 1));
        var learnerId = await bed.AssignNewLearnerAsync(certificationId, "Ann Ladder");
        bed.SetNow(Utc(2026, 1, 10, 12));
        await bed.PassAsync(learnerId, Utc(2026, 1, 10, 9), 85m);
        Assert.Equal(AssignmentStatus.Completed, (await bed.AssignmentAsync(certificationId, learnerId)).Status);
        await using (var db = bed.Database.CreateContext())
        {
            await db.Certifications.Where(c => c.Id == certificationId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RenewalRequired, true)
                .SetProperty(c => c.RenewalPeriodMonths, 1)
                .SetProperty(c => c.RenewalWindowDays, 7)
                .SetProperty(c => c.DueDate, (DateOnly?)null));
            await db.Assignments.Where(a => a.CertificationId == certificationId).ExecuteUpdateAsync(s => s.SetProperty(a => a.NextTransitionAt, Utc(2026, 1, 11)));
        }

        // Past the window the new expiry opens (3 February): the sweep evaluates the renewal window from the results read.
        bed.SetNow(Utc(2026, 2, 5, 12));
        await bed.Sweep.RunAsync(SweepTrigger.Schedule);

        var assignment = await bed.AssignmentAsync(certificationId, learnerId);
        Assert.Equal(AssignmentStatus.ExpiringSoon, assignment.Status);
        Assert.Equal(Utc(2026, 2, 10, 9), assignment.Periods.Single(p => p.Number == 1).ExpiresAt);
        Assert.Equal([(1, 85m)], await CompletedGradesAsync(bed));
    }

    private static async Task<List<(int Number, decimal Grade)>> CompletedGradesAsync(SweepTestBed bed)
    {
        await using var db = bed.Database.CreateContext();
        return [.. (await db.PeriodCourseGrades.AsNoTracking()
                .Where(g => g.Period!.CompletedAt != null)
                .Select(g => new { g.Period!.Number, g.Grade })
                .ToListAsync())
            .OrderBy(g => g.Number)
            .Select(g => (g.Number, g.Grade))];
    }
}
