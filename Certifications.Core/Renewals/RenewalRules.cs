namespace Certifications.Core.Renewals;

// Placeholder until the renewal rules land; replaced by the full implementation.
public static class RenewalRules
{
    public static readonly IReadOnlyList<int> AllowedPeriodMonths = [1, 3, 6, 12];

    public static int MaxWindowDays(int periodMonths) => periodMonths * 15;
}
