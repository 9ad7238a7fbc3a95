using System.Globalization;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Time;

namespace Certifications.Core.Notifications;

/// <summary>One event of one assignment that people are told about, before the recipients are worked out.</summary>
/// <param name="Occurrence">Which time this kind happens to the assignment (see <see cref="Notification.Occurrence"/>).</param>
public sealed record NotificationEvent(int LearnerId, int CertificationId, NotificationKind Kind, string Occurrence, DateTime EffectiveAt, DateTime? DeadlineAt)
{
    public NotificationEvents Flag => NotificationRules.FlagOf(Kind);

    /// <summary>Whether the learner's manager gets a copy: all but the assignment itself, which is the learner's to act on.</summary>
    public bool CopiesManager => Kind != NotificationKind.Assigned;
}

/// <summary>
/// Which notifications an evaluation of an assignment causes, as plain functions of what was stored before and what the
/// rules say now: status changes the learner is told about, and the "due in N days" reminder, an instant of its own at
/// which the scheduler must wake the assignment although its status does not change then.
/// </summary>
public static class NotificationRules
{
    /// <summary>
    /// How far back an event is still news. The first evaluation of old data (a certification published over months
    /// of results, the demo data) finds completions long past; they are history on the learner's panel, not news.
    /// </summary>
    public static readonly TimeSpan NewsFor = TimeSpan.FromDays(30);

    private static readonly AssignmentStatus[] Open = [AssignmentStatus.NotStarted, AssignmentStatus.InProgress];

    /// <summary>The instant "due in N days" is sent: N calendar days before the due date ends, in the organisation's zone.</summary>
    public static DateTime ReminderAt(DateOnly dueDate, int reminderDays, OrganisationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.EndOfDay(dueDate.AddDays(-reminderDays));
    }

    /// <summary>
    /// The standing with its next wake-up brought forward to the reminder while the reminder is still to come and the
    /// assignment is open: the scheduler then evaluates it at that instant, and <see cref="Events"/> notes the reminder.
    /// </summary>
    public static AssignmentStanding WakeForReminder(AssignmentStanding standing, DateTime? reminderAt, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(standing);
        if (reminderAt is not { } at || at <= now || !Open.Contains(standing.Status) || standing.DueAt is not { } due || at >= due)
        {
            return standing;
        }

        return standing.NextTransitionAt is { } next && next <= at ? standing : standing with { NextTransitionAt = at };
    }

    /// <summary>
    /// What the evaluation from <paramref name="stored"/> to <paramref name="standing"/> at <paramref name="now"/> tells:
    /// <list type="bullet">
    /// <item>due soon: the reminder instant has come, the due date has not ended, the assignment is open, and the last
    /// evaluation came before the reminder (the stored wake-up is at or before it, or there was none);</item>
    /// <item>overdue, renewal window open, renewal due: the status entered it;</item>
    /// <item>completed or renewed: a period was completed that was not (the latest only, when several were);</item>
    /// <item>withdrawn: an unfinished assignment's status became Withdrawn (a withdrawn certification that runs out is no news).</item>
    /// </list>
    /// Events that took effect before <paramref name="notBefore"/> are history, not news, and are left out. The same
    /// inputs always give the same events, and the outbox records each once whatever evaluates it again.
    /// </summary>
    public static IReadOnlyList<NotificationEvent> Events(Assignment stored, AssignmentStanding standing, DateTime? reminderAt, DateTime now, DateTime notBefore)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(standing);
        var found = new List<NotificationEvent>();
        void Add(NotificationKind kind, string occurrence, DateTime effectiveAt, DateTime? deadlineAt)
        {
            if (effectiveAt >= notBefore)
            {
                found.Add(new NotificationEvent(stored.LearnerId, stored.CertificationId, kind, occurrence, effectiveAt, deadlineAt));
            }
        }

        var entered = stored.Status != standing.Status;
        var lastCompleted = standing.Periods.LastOrDefault(p => p.CompletedAt is not null);
        if (standing.Status == AssignmentStatus.Withdrawn)
        {
            if (entered && stored.Status is not (AssignmentStatus.Certified or AssignmentStatus.Completed))
            {
                var at = stored.WithdrawnAt ?? now;
                Add(NotificationKind.Withdrawn, Instant(at), at, null);
            }

            return found;
        }

        if (reminderAt is { } reminder && standing.DueAt is { } due && Open.Contains(standing.Status)
            && reminder <= now && now < due && (stored.NextTransitionAt is null || stored.NextTransitionAt <= reminder))
        {
            Add(NotificationKind.DueSoon, Instant(due), reminder, due);
        }

        if (entered && standing.Status == AssignmentStatus.Overdue && standing.DueAt is { } overdue)
        {
            Add(NotificationKind.Overdue, Instant(overdue), overdue, overdue);
        }

        if (entered && standing.Status == AssignmentStatus.ExpiringSoon && lastCompleted is not null)
        {
            Add(NotificationKind.RenewalWindowOpen, Period(lastCompleted.Number), standing.WindowOpensAt ?? now, standing.ExpiresAt);
        }

        if (entered && standing.Status == AssignmentStatus.RenewalDue && lastCompleted is not null)
        {
            Add(NotificationKind.RenewalDue, Period(lastCompleted.Number), standing.ExpiresAt ?? now, standing.ExpiresAt);
        }

        if (lastCompleted is { CompletedAt: { } completedAt }
            && !stored.Periods.Exists(p => p.Number == lastCompleted.Number && p.CompletedAt is not null))
        {
            var kind = lastCompleted.Number == 1 ? NotificationKind.Completed : NotificationKind.Renewed;
            Add(kind, Period(lastCompleted.Number), completedAt, lastCompleted.ExpiresAt);
        }

        return found;
    }

    /// <summary>The learner was assigned (or assigned again after a withdrawal) at <paramref name="now"/>.</summary>
    public static NotificationEvent Assigned(int learnerId, int certificationId, DateTime now) =>
        new(learnerId, certificationId, NotificationKind.Assigned, Instant(now), now, null);

    public static NotificationEvents FlagOf(NotificationKind kind) => kind switch
    {
        NotificationKind.Assigned => NotificationEvents.Assigned,
        NotificationKind.DueSoon => NotificationEvents.DueSoon,
        NotificationKind.Overdue => NotificationEvents.Overdue,
        NotificationKind.RenewalWindowOpen => NotificationEvents.RenewalWindowOpen,
        NotificationKind.RenewalDue => NotificationEvents.RenewalDue,
        NotificationKind.Completed or NotificationKind.Renewed => NotificationEvents.Completed,
        NotificationKind.Withdrawn => NotificationEvents.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An occurrence named by an instant: a due date's end, a withdrawal, an assignment.</summary>
    public static string Instant(DateTime at) => "at " + at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>An occurrence named by the period it concerns.</summary>
    public static string Period(int number) => "period " + number.ToString(CultureInfo.InvariantCulture);
}
