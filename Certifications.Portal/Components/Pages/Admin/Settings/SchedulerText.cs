using System.Globalization;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;

namespace Certifications.Portal.Components.Pages.Admin.Settings;

/// <summary>The scheduler page's words for kinds, triggers, instants and durations.</summary>
internal static class SchedulerText
{
    public static string Kind(TransitionKind kind) => kind switch
    {
        TransitionKind.Started => "Scheduled → active",
        TransitionKind.ExpiringSoon => "Expiring soon",
        TransitionKind.RenewalDue => "Renewal due",
        TransitionKind.Overdue => "Overdue",
        TransitionKind.Expired => "Expired after withdrawal",
        _ => "Other",
    };

    public static string Trigger(SweepTrigger trigger) => trigger switch
    {
        SweepTrigger.StartUp => "Start-up",
        SweepTrigger.Schedule => "Schedule",
        SweepTrigger.RunNow => "Run now",
        _ => "Catch-up",
    };

    public static string Status(AssignmentStatus status) => status switch
    {
        AssignmentStatus.NotStarted => "Not started",
        AssignmentStatus.InProgress => "In progress",
        AssignmentStatus.ExpiringSoon => "Expiring soon",
        AssignmentStatus.RenewalDue => "Renewal due",
        _ => status.ToString(),
    };

    /// <summary>The kinds a run counts, in the order of the page's columns.</summary>
    public static IReadOnlyList<TransitionKind> Kinds { get; } =
        [TransitionKind.Started, TransitionKind.ExpiringSoon, TransitionKind.RenewalDue, TransitionKind.Overdue, TransitionKind.Expired];

    public static string When(DateTime instant) => instant.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 60
        ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
}
