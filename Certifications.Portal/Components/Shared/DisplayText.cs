using Certifications.Core.Progress;

namespace Certifications.Portal.Components.Shared;

/// <summary>Words the portal uses the same way on every page.</summary>
internal static class DisplayText
{
    public static string RenewalPeriod(int? months) => months switch
    {
        null => "One-time",
        1 => "Every month",
        12 => "Every year",
        { } m => $"Every {m} months",
    };

    public static string Status(AssignmentStatus status) => status switch
    {
        AssignmentStatus.NotStarted => "Not started",
        AssignmentStatus.InProgress => "In progress",
        AssignmentStatus.ExpiringSoon => "Expiring soon",
        AssignmentStatus.RenewalDue => "Renewal due",
        _ => status.ToString(),
    };
}
