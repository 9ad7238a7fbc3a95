using CsCheck;
using Certifications.Core.Time;

namespace Certifications.Tests.Core.Time;

public sealed class OrganisationCalendarProperties
{
    private static readonly OrganisationCalendar[] Zones =
        [TestCalendars.Paris, TestCalendars.NewYork, TestCalendars.LordHowe, TestCalendars.SaoPaulo, OrganisationCalendar.Utc];

    private static readonly DateTime From = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, DateTime[]> TransitionsByZone =
        Zones.ToDictionary(z => z.TimeZone.Id, z => FindClockChanges(z.TimeZone));

    private static readonly Gen<DateTime> Uniform = Gen.DateTime[From, To].Select(d => DateTime.SpecifyKind(d, DateTimeKind.Utc));

    /// <summary>
    /// Instants spread over forty years, half of them within three hours of one of the zone's clock changes, where
    /// conversions go wrong; uniform instants alone would almost never hit a repeated hour.
    /// </summary>
    private static readonly Gen<(OrganisationCalendar Calendar, DateTime Utc)> ZonedInstants =
        from calendar in Gen.OneOf(Zones)
        let transitions = TransitionsByZone[calendar.TimeZone.Id]
        from utc in transitions.Length == 0
            ? Uniform
            : Gen.OneOf<DateTime>(Uniform, Gen.Select(Gen.OneOf(transitions), Gen.Int[-180, 180], (t, minutes) => t.AddMinutes(minutes)))
        select (calendar, utc);

    [Fact]
    public void ToUtcGivesBackTheInstantExceptTheSecondPassOfARepeatedHour()
    {
        ZonedInstants.Sample(sample =>
        {
            var (calendar, utc) = sample;
            var local = calendar.ToLocal(utc);
            var back = calendar.ToUtc(local);

            Assert.Equal(local, calendar.ToLocal(back));
            if (calendar.TimeZone.IsAmbiguousTime(local))
            {
                Assert.True(back <= utc);
            }
            else
            {
                Assert.Equal(utc, back);
            }
        }, iter: 10_000);
    }

    private static DateTime[] FindClockChanges(TimeZoneInfo zone)
    {
        var changes = new List<DateTime>();
        for (var day = From; day < To; day = day.AddDays(1))
        {
            var next = day.AddDays(1);
            if (zone.GetUtcOffset(day) == zone.GetUtcOffset(next))
            {
                continue;
            }

            // Narrow the day down to the minute the offset changes.
            var (low, high) = (day, next);
            while (high - low > TimeSpan.FromMinutes(1))
            {
                var middle = low.AddTicks((high - low).Ticks / 2);
                (low, high) = zone.GetUtcOffset(middle) == zone.GetUtcOffset(day) ? (middle, high) : (low, middle);
            }

            changes.Add(high);
        }

        return [.. changes];
    }
}
