using Certifications.Core.Certifications;
using Certifications.Core.Time;

namespace Certifications.Core.Renewals;

public static class RenewalRules
{
    public static readonly IReadOnlyList<int> AllowedPeriodMonths = Array.AsReadOnly([1, 3, 6, 12]);

    /// <summary>Half the period, counting a month as 30 days, so a renewal window never reaches back over the completion it renews.</summary>
    public static int MaxWindowDays(int periodMonths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(periodMonths);
        return periodMonths * 15;
    }

    /// <summary>
    /// Calendar months on the organisation's wall clock, clamped at month end (31 January + 1 month = 28 or 29
    /// February). Working on the wall clock keeps the time of day across daylight-saving changes.
    /// </summary>
    public static DateTime AddCalendarMonths(DateTime utc, int months, OrganisationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.ToUtc(calendar.ToLocal(utc).AddMonths(months));
    }

    /// <summary>
    /// The expiry of a completion. Within a chain the n-th expiry is the chain start plus n periods, never the
    /// previous (possibly clamped) expiry plus one period, so 31 January renews to 28 February and then back to 31 March.
    /// </summary>
    public static ExpiryPlacement PlaceExpiry(RenewalPolicy policy, DateTime completedAt, ExpiryPlacement? previous, OrganisationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(calendar);
        EnsurePeriodAllowed(policy.PeriodMonths);

        var keepsChain = previous is not null
            && policy.Anchor == RenewalAnchor.PreviousExpiry
            && completedAt <= previous.ExpiresAt;
        if (!keepsChain)
        {
            var start = DateTime.SpecifyKind(completedAt, DateTimeKind.Utc);
            return new ExpiryPlacement(start, 1, AddCalendarMonths(start, policy.PeriodMonths, calendar));
        }

        var index = previous!.ChainIndex + 1;
        return new ExpiryPlacement(previous.ChainStart, index, AddCalendarMonths(previous.ChainStart, index * policy.PeriodMonths, calendar));
    }

    /// <summary>The instant from which replays count toward the next period: whole days of 24 hours before expiry.</summary>
    public static DateTime WindowOpensAt(DateTime expiresAt, int windowDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowDays);
        return DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc).AddDays(-windowDays);
    }

    /// <summary>Refuses a policy the rules cannot schedule; the certification validator gives the admin the same answer earlier.</summary>
    internal static void EnsureValid(RenewalPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        EnsurePeriodAllowed(policy.PeriodMonths);
        if (policy.WindowDays < 0 || policy.WindowDays > MaxWindowDays(policy.PeriodMonths))
        {
            throw new ArgumentOutOfRangeException(
                nameof(policy),
                policy.WindowDays,
                $"A renewal window is 0 to {MaxWindowDays(policy.PeriodMonths)} days for a period of {policy.PeriodMonths} months.");
        }
    }

    private static void EnsurePeriodAllowed(int periodMonths)
    {
        if (!AllowedPeriodMonths.Contains(periodMonths))
        {
            throw new ArgumentOutOfRangeException(nameof(periodMonths), periodMonths, "A renewal period is 1, 3, 6 or 12 months.");
        }
    }
}
