using Certifications.Core.Certifications;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Certifications.Tests.Core.Time;
using CsCheck;

namespace Certifications.Tests.Core.Renewals;

public sealed class RenewalRulesProperties
{
    private const int Iterations = 10_000;

    // Zones whose clock changes happen away from midnight, so the local date of a wall-clock time never moves.
    private static readonly Gen<OrganisationCalendar> Calendars =
        Gen.OneOf(OrganisationCalendar.Utc, TestCalendars.Paris, TestCalendars.NewYork, TestCalendars.LordHowe);

    private static readonly Gen<DateTime> Instants =
        Gen.DateTime[new DateTime(2000, 1, 1), new DateTime(2040, 1, 1)].Select(d => DateTime.SpecifyKind(d, DateTimeKind.Utc));

    private static readonly Gen<int> Periods = Gen.OneOf([.. RenewalRules.AllowedPeriodMonths]);

    [Fact]
    public void TheNthExpiryOfAChainIsTheChainStartPlusNPeriods()
    {
        var gen = Gen.Select(Calendars, Instants, Periods, Gen.Int[1, 40], Gen.Int[0, 15]);

        gen.Sample((calendar, chainStart, months, n, daysEarly) =>
        {
            var policy = new RenewalPolicy(months, 0, RenewalAnchor.PreviousExpiry);
            var placement = RenewalRules.PlaceExpiry(policy, chainStart, previous: null, calendar);
            for (var i = 2; i <= n; i++)
            {
                // Renewed in time, up to fifteen days early: within a chain the anniversary must not move.
                placement = RenewalRules.PlaceExpiry(policy, placement.ExpiresAt.AddDays(-daysEarly), placement, calendar);
            }

            Assert.Equal(chainStart, placement.ChainStart);
            Assert.Equal(n, placement.ChainIndex);
            Assert.Equal(RenewalRules.AddCalendarMonths(chainStart, n * months, calendar), placement.ExpiresAt);

            // DateOnly.AddMonths clamps at month end too: an independent account of which day the chain lands on.
            var startDate = calendar.DateOf(chainStart);
            Assert.Equal(startDate.AddMonths(n * months), calendar.DateOf(placement.ExpiresAt));
        }, iter: Iterations);
    }

    [Fact]
    public void AnExpiryIsNeverBeforeItsCompletion()
    {
        var gen = Gen.Select(
            Calendars,
            Instants,
            Gen.Select(Periods, Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate), (m, a) => new RenewalPolicy(m, 0, a)),
            Gen.Int[0, 500].Array[1, 12]);

        gen.Sample((calendar, firstCompletion, policy, daysBetweenCompletions) =>
        {
            ExpiryPlacement? previous = null;
            var completedAt = firstCompletion;
            foreach (var days in daysBetweenCompletions)
            {
                completedAt = completedAt.AddDays(days);
                var placement = RenewalRules.PlaceExpiry(policy, completedAt, previous, calendar);

                Assert.True(placement.ExpiresAt > completedAt, $"expires {placement.ExpiresAt:o} for a completion at {completedAt:o}");
                var keepsChain = previous is not null && policy.Anchor == RenewalAnchor.PreviousExpiry && completedAt <= previous.ExpiresAt;
                Assert.Equal(keepsChain ? previous!.ChainIndex + 1 : 1, placement.ChainIndex);
                Assert.Equal(keepsChain ? previous!.ChainStart : completedAt, placement.ChainStart);
                previous = placement;
            }
        }, iter: Iterations);
    }
}
