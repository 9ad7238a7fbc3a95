using Certifications.Core.Certifications;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Renewals;

public sealed class RenewalRulesTests
{
    private static readonly RenewalPolicy Monthly = new(1, 10, RenewalAnchor.PreviousExpiry);
    private static readonly RenewalPolicy Yearly = new(12, 30, RenewalAnchor.PreviousExpiry);

    [Fact]
    public void RenewalPeriodsAreOneThreeSixOrTwelveMonths()
    {
        Assert.Equal([1, 3, 6, 12], RenewalRules.AllowedPeriodMonths);
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(3, 45)]
    [InlineData(6, 90)]
    [InlineData(12, 180)]
    public void TheRenewalWindowIsAtMostHalfThePeriod(int months, int maxDays)
    {
        Assert.Equal(maxDays, RenewalRules.MaxWindowDays(months));
    }

    [Fact]
    public void AddingAMonthToTheLastDayOfJanuaryClampsToTheEndOfFebruary()
    {
        Assert.Equal(Utc(2027, 2, 28, 9), RenewalRules.AddCalendarMonths(Utc(2027, 1, 31, 9), 1, OrganisationCalendar.Utc));
        Assert.Equal(Utc(2028, 2, 29, 9), RenewalRules.AddCalendarMonths(Utc(2028, 1, 31, 9), 1, OrganisationCalendar.Utc));
        Assert.Equal(Utc(2029, 2, 28, 9), RenewalRules.AddCalendarMonths(Utc(2028, 2, 29, 9), 12, OrganisationCalendar.Utc));
    }

    [Theory]
    [InlineData(2027, 28)]
    [InlineData(2028, 29)]
    public void AMonthlyChainStartingOnJanuary31KeepsTheLastDayOfEachMonth(int year, int februaryDays)
    {
        var expiries = RenewInTime(Monthly, Utc(year, 1, 31, 9), renewals: 3, OrganisationCalendar.Utc).Select(p => p.ExpiresAt);

        Assert.Equal([Utc(year, 2, februaryDays, 9), Utc(year, 3, 31, 9), Utc(year, 4, 30, 9), Utc(year, 5, 31, 9)], expiries);
    }

    [Fact]
    public void TheFirstCompletionStartsAChainThatExpiresOnePeriodLater()
    {
        var placement = RenewalRules.PlaceExpiry(Yearly, Utc(2026, 3, 31, 10), previous: null, OrganisationCalendar.Utc);

        Assert.Equal(new ExpiryPlacement(Utc(2026, 3, 31, 10), 1, Utc(2027, 3, 31, 10)), placement);
    }

    [Fact]
    public void RenewingEarlyKeepsTheAnniversary()
    {
        var first = RenewalRules.PlaceExpiry(Yearly, Utc(2026, 3, 31, 10), previous: null, OrganisationCalendar.Utc);

        var renewal = RenewalRules.PlaceExpiry(Yearly, Utc(2027, 3, 10, 15), first, OrganisationCalendar.Utc);

        Assert.Equal(new ExpiryPlacement(Utc(2026, 3, 31, 10), 2, Utc(2028, 3, 31, 10)), renewal);
    }

    [Fact]
    public void RenewingAtTheInstantOfExpiryStillKeepsTheAnniversary()
    {
        var first = RenewalRules.PlaceExpiry(Yearly, Utc(2026, 3, 31, 10), previous: null, OrganisationCalendar.Utc);

        var renewal = RenewalRules.PlaceExpiry(Yearly, first.ExpiresAt, first, OrganisationCalendar.Utc);

        Assert.Equal(2, renewal.ChainIndex);
        Assert.Equal(Utc(2028, 3, 31, 10), renewal.ExpiresAt);
    }

    [Fact]
    public void RenewingAfterTheCertificationLapsedStartsANewChainAtTheCompletion()
    {
        var first = RenewalRules.PlaceExpiry(Yearly, Utc(2026, 3, 31, 10), previous: null, OrganisationCalendar.Utc);

        var renewal = RenewalRules.PlaceExpiry(Yearly, Utc(2027, 3, 31, 10, 0, 1), first, OrganisationCalendar.Utc);

        Assert.Equal(new ExpiryPlacement(Utc(2027, 3, 31, 10, 0, 1), 1, Utc(2028, 3, 31, 10, 0, 1)), renewal);
    }

    [Fact]
    public void TheCompletionDateAnchorCountsEveryRenewalFromItsCompletion()
    {
        var policy = Yearly with { Anchor = RenewalAnchor.CompletionDate };
        var first = RenewalRules.PlaceExpiry(policy, Utc(2026, 3, 31, 10), previous: null, OrganisationCalendar.Utc);

        var renewal = RenewalRules.PlaceExpiry(policy, Utc(2027, 3, 10, 15), first, OrganisationCalendar.Utc);

        Assert.Equal(new ExpiryPlacement(Utc(2027, 3, 10, 15), 1, Utc(2028, 3, 10, 15)), renewal);
    }

    [Fact]
    public void MonthsAreCountedOnTheOrganisationsWallClockNotInUtc()
    {
        // 00:30 on 31 January in Paris is still 30 January in UTC; a month later in Paris is 28 February, not 1 March.
        var completedAt = Paris.ToUtc(new DateTime(2026, 1, 31, 0, 30, 0));

        var placement = RenewalRules.PlaceExpiry(Monthly, completedAt, previous: null, Paris);

        Assert.Equal(Utc(2026, 1, 30, 23, 30), completedAt);
        Assert.Equal(new DateTime(2026, 2, 28, 0, 30, 0), Paris.ToLocal(placement.ExpiresAt));
    }

    [Fact]
    public void AMonthlyChainInParisKeepsTheTimeOfDayAcrossTheSpringChange()
    {
        var chainStart = Paris.ToUtc(new DateTime(2026, 1, 31, 9, 0, 0));

        var expiries = RenewInTime(Monthly, chainStart, renewals: 3, Paris).Select(p => p.ExpiresAt).ToList();

        // Clocks went forward on 29 March: 09:00 is 08:00 UTC in winter and 07:00 UTC in summer.
        Assert.Equal([Utc(2026, 2, 28, 8), Utc(2026, 3, 31, 7), Utc(2026, 4, 30, 7), Utc(2026, 5, 31, 7)], expiries);
    }

    [Fact]
    public void AnExpiryInsideTheSpringGapMovesForwardWithoutShiftingTheRestOfTheChain()
    {
        // 02:30 on 8 March 2026 does not exist in New York; that expiry becomes 03:30 EDT, the next one is 02:30 again.
        var chainStart = NewYork.ToUtc(new DateTime(2026, 2, 8, 2, 30, 0));

        var expiries = RenewInTime(Monthly, chainStart, renewals: 1, NewYork).Select(p => NewYork.ToLocal(p.ExpiresAt));

        Assert.Equal([new DateTime(2026, 3, 8, 3, 30, 0), new DateTime(2026, 4, 8, 2, 30, 0)], expiries);
    }

    [Fact]
    public void TheWindowOpensTheGivenNumberOfDaysBeforeExpiry()
    {
        Assert.Equal(Utc(2027, 3, 1, 10), RenewalRules.WindowOpensAt(Utc(2027, 3, 31, 10), 30));
        Assert.Equal(Utc(2027, 3, 31, 10), RenewalRules.WindowOpensAt(Utc(2027, 3, 31, 10), 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(24)]
    public void APeriodOtherThanOneThreeSixOrTwelveMonthsIsRefused(int months)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            RenewalRules.PlaceExpiry(Monthly with { PeriodMonths = months }, Utc(2026, 1, 1), previous: null, OrganisationCalendar.Utc));
    }

    /// <summary>The first completion at <paramref name="chainStart"/>, then each renewal a day before the previous expiry.</summary>
    private static List<ExpiryPlacement> RenewInTime(RenewalPolicy policy, DateTime chainStart, int renewals, OrganisationCalendar calendar)
    {
        var placements = new List<ExpiryPlacement> { RenewalRules.PlaceExpiry(policy, chainStart, previous: null, calendar) };
        for (var i = 0; i < renewals; i++)
        {
            var previous = placements[^1];
            placements.Add(RenewalRules.PlaceExpiry(policy, previous.ExpiresAt.AddDays(-1), previous, calendar));
        }

        return placements;
    }
}
