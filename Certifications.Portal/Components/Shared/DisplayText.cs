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
}
