using Certifications.Core.Certifications;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Tests.Core.Renewals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Notifications;

/// <summary>
/// What is recorded when, walking the clock with the sweep as the portal runs it: each notification once, to the learner
/// and their manager, at the instant the rules put it, however often the sweep and the recompute run.
/// </summary>
public sealed class NotificationRecordingTests
{
    private static Action<Certification> DueOn(DateOnly due, int reminderDays = 7) => c =>
    {
        c.DueDate = due;
        c.ReminderDays = reminderDays;
    };

    private static readonly Action<Certification> Monthly = c =>
    {
        c.RenewalRequired = true;
        c.RenewalPeriodMonths = 1;
        c.RenewalWindowDays = 7;
    };

    /// <summary>Sweeps every day at noon from the day after now to <paramref name="last"/>, twice each day, as two overlapping runs would.</summary>
    private static async Task SweepDailyAsync(SweepTestBed bed, DateOnly last, Func<DateOnly, Task>? onDay = null)
    {
        for (var day = DateOnly.FromDateTime(bed.Now).AddDays(1); day <= last; day = day.AddDays(1))
        {
            bed.SetNow(day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
            if (onDay is not null)
            {
                await onDay(day);
            }

            await bed.Sweep.RunAsync(SweepTrigger.Schedule);
            await bed.Sweep.RunAsync(SweepTrigger.RunNow);
        }
    }

    [Fact]
    public async Task ADueDateWalksThroughTheReminderAndOverdueWithTheManagerCopiedEachOnce()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), DueOn(new DateOnly(2028, 3, 31)));
        var (bob, maria) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        // The reminder is an instant of its own: seven days before the due date ends, the sweep wakes the assignment.
        Assert.Equal(Utc(2028, 3, 25), (await bed.AssignmentAsync(certificationId, bob)).NextTransitionAt);
        Assert.Empty(await bed.NotificationsAsync());

        await SweepDailyAsync(bed, new DateOnly(2028, 4, 10));
        await bed.Recompute.RecomputeAllAsync();

        var dueEnd = Utc(2028, 4, 1);
        var due = NotificationRules.Instant(dueEnd);
        Assert.Equal(
        [
            (bob, NotificationKind.DueSoon, due, Utc(2028, 3, 25)),
            (maria, NotificationKind.DueSoon, due, Utc(2028, 3, 25)),
            (bob, NotificationKind.Overdue, due, dueEnd),
            (maria, NotificationKind.Overdue, due, dueEnd),
        ],
            await bed.NotificationsAsync());
    }

    [Fact]
    public async Task ARenewingCertificationWalksThroughWindowOpenRenewalDueAndRenewedEachOnce()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 1, 10, 8));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), Monthly);
        var (bob, maria) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");
        bed.SetNow(Utc(2028, 1, 10, 12));
        await bed.PassAsync(bob, Utc(2028, 1, 10, 10));

        // Expires 10 February at 10:00, its window opening on 3 February; renewed on 14 February, after it lapsed.
        await SweepDailyAsync(bed, new DateOnly(2028, 2, 20), async day =>
        {
            if (day == new DateOnly(2028, 2, 14))
            {
                await bed.PassAsync(bob, Utc(2028, 2, 14, 9));
            }
        });
        await bed.Recompute.RecomputeAllAsync();

        Assert.Equal(
        [
            (bob, NotificationKind.Completed, "period 1", Utc(2028, 1, 10, 10)),
            (maria, NotificationKind.Completed, "period 1", Utc(2028, 1, 10, 10)),
            (bob, NotificationKind.RenewalWindowOpen, "period 1", Utc(2028, 2, 3, 10)),
            (maria, NotificationKind.RenewalWindowOpen, "period 1", Utc(2028, 2, 3, 10)),
            (bob, NotificationKind.RenewalDue, "period 1", Utc(2028, 2, 10, 10)),
            (maria, NotificationKind.RenewalDue, "period 1", Utc(2028, 2, 10, 10)),
            (bob, NotificationKind.Renewed, "period 2", Utc(2028, 2, 14, 9)),
            (maria, NotificationKind.Renewed, "period 2", Utc(2028, 2, 14, 9)),
        ],
            await bed.NotificationsAsync());
    }

    [Fact]
    public async Task TwoNodesSweepingTheSameInstantRecordEachNotificationOnce()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), DueOn(new DateOnly(2028, 3, 31)));
        await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        // A second portal on the same database, with its own services and its own view of the assignments.
        var otherRecompute = new ProgressRecompute(bed.Database.Factory, bed.Time, global::Certifications.Core.Time.OrganisationCalendar.Utc, bed.Events);
        var otherSweep = new RenewalSweep(
            bed.Database.Factory, bed.Time, otherRecompute, new AccessGuard(bed.Database.Factory, bed.Time), bed.Events, new SweepSettings(), NullLogger<RenewalSweep>.Instance);
        bed.SetNow(Utc(2028, 3, 26, 12));

        // Both evaluate the same assignment from the same stored state, as two nodes do when neither has committed yet.
        await using (var first = bed.Database.CreateContext())
        await using (var second = bed.Database.CreateContext())
        {
            await using (var transaction = await first.Database.BeginTransactionAsync())
            {
                await bed.Recompute.RecomputeAsync(first, first.Assignments, bed.Now, knownTerms: null, transitions: null, notifications: null, ResultsToRead.All, default);
                await transaction.CommitAsync();
            }

            // The second node read before the first committed: it sees the old wake-up, so it finds the reminder too.
            await second.Assignments.ExecuteUpdateAsync(s => s.SetProperty(a => a.NextTransitionAt, new DateTime(2028, 3, 25, 0, 0, 0, DateTimeKind.Utc)));
            await using var again = await second.Database.BeginTransactionAsync();
            await otherRecompute.RecomputeAsync(second, second.Assignments, bed.Now, knownTerms: null, transitions: null, notifications: null, ResultsToRead.All, default);
            await again.CommitAsync();
        }

        await otherSweep.RunAsync(SweepTrigger.Schedule);
        await bed.Sweep.RunAsync(SweepTrigger.Schedule);
        Assert.Equal([NotificationKind.DueSoon, NotificationKind.DueSoon], (await bed.NotificationsAsync()).Select(n => n.Kind));
    }

    [Fact]
    public async Task AnInvisibleCertificationNeverNotifiesTheLearnerButStillTellsTheManager()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Audit trail", new DateOnly(2028, 1, 1), c =>
        {
            DueOn(new DateOnly(2028, 3, 31))(c);
            c.IsInvisible = true;
        });
        var (_, maria) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        await SweepDailyAsync(bed, new DateOnly(2028, 4, 2));

        Assert.Equal(
            [(maria, NotificationKind.DueSoon), (maria, NotificationKind.Overdue)],
            (await bed.NotificationsAsync()).Select(n => (n.Recipient, n.Kind)));
    }

    [Fact]
    public async Task AnEventTheCertificationTurnedOffIsNotRecorded()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), c =>
        {
            DueOn(new DateOnly(2028, 3, 31), reminderDays: 3)(c);
            c.NotificationEvents = NotificationEvents.All & ~NotificationEvents.Overdue;
        });
        var (bob, _) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        await SweepDailyAsync(bed, new DateOnly(2028, 4, 2));

        var notifications = await bed.NotificationsAsync();
        Assert.Equal([NotificationKind.DueSoon, NotificationKind.DueSoon], notifications.Select(n => n.Kind));
        Assert.Equal(Utc(2028, 3, 29), notifications[0].EffectiveAt);
        Assert.Equal(AssignmentStatus.Overdue, (await bed.AssignmentAsync(certificationId, bob)).Status);
    }

    [Fact]
    public async Task ACompletionBeforeTheReminderSendsNoReminder()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), DueOn(new DateOnly(2028, 3, 31)));
        var (bob, maria) = await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        await SweepDailyAsync(bed, new DateOnly(2028, 3, 10), async day =>
        {
            if (day == new DateOnly(2028, 3, 10))
            {
                await bed.PassAsync(bob, Utc(2028, 3, 10, 9));
            }
        });
        await SweepDailyAsync(bed, new DateOnly(2028, 4, 5));

        Assert.Equal(
            [(bob, NotificationKind.Completed), (maria, NotificationKind.Completed)],
            (await bed.NotificationsAsync()).Select(n => (n.Recipient, n.Kind)));
        Assert.Null((await bed.AssignmentAsync(certificationId, bob)).NextTransitionAt);
    }

    [Fact]
    public async Task ThePreviewOfASweepRecordsNoNotification()
    {
        await using var bed = await SweepTestBed.CreateAsync(Utc(2028, 3, 1, 12));
        var certificationId = await bed.AddCertificationAsync("Forklift", new DateOnly(2028, 1, 1), DueOn(new DateOnly(2028, 3, 31)));
        await bed.AssignLearnerWithManagerAsync(certificationId, "Bob Safety", "Maria Manager");

        var preview = await bed.Sweep.PreviewAsync(global::Certifications.Core.Auditing.Actor.System, Utc(2028, 4, 5));

        Assert.Equal(1, preview.AssignmentsDue);
        Assert.Empty(await bed.NotificationsAsync());
    }
}
