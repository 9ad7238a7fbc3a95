using Certifications.Core.Time;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Time;

public sealed class OrganisationCalendarTests
{
    [Fact]
    public void StartOfDayIsLocalMidnightInWinterAndInSummer()
    {
        Assert.Equal(Utc(2026, 1, 14, 23), Paris.StartOfDay(new DateOnly(2026, 1, 15)));
        Assert.Equal(Utc(2026, 7, 14, 22), Paris.StartOfDay(new DateOnly(2026, 7, 15)));
        Assert.Equal(Utc(2026, 10, 15, 4), NewYork.StartOfDay(new DateOnly(2026, 10, 15)));
    }

    [Fact]
    public void StartOfDayIsAUtcInstant()
    {
        Assert.Equal(DateTimeKind.Utc, Paris.StartOfDay(new DateOnly(2026, 1, 15)).Kind);
        Assert.Equal(DateTimeKind.Utc, OrganisationCalendar.Utc.StartOfDay(new DateOnly(2026, 1, 15)).Kind);
    }

    [Fact]
    public void EndOfDayIsTheStartOfTheNextLocalDay()
    {
        Assert.Equal(Utc(2026, 10, 16, 4), NewYork.EndOfDay(new DateOnly(2026, 10, 15)));

        // 25 October 2026 is 25 hours long in Paris.
        Assert.Equal(Utc(2026, 10, 25, 23), Paris.EndOfDay(new DateOnly(2026, 10, 25)));
        Assert.Equal(TimeSpan.FromHours(25), Paris.EndOfDay(new DateOnly(2026, 10, 25)) - Paris.StartOfDay(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void DateOfUsesTheOrganisationsZone()
    {
        Assert.Equal(new DateOnly(2026, 10, 15), NewYork.DateOf(Utc(2026, 10, 16, 3, 59)));
        Assert.Equal(new DateOnly(2026, 10, 16), NewYork.DateOf(Utc(2026, 10, 16, 4)));
        Assert.Equal(new DateOnly(2026, 1, 15), Paris.DateOf(Utc(2026, 1, 14, 23)));
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-03-29T02:30:00", "2026-03-29T01:30:00")]
    [InlineData("America/New_York", "2026-03-08T02:30:00", "2026-03-08T07:30:00")]
    [InlineData("Australia/Lord_Howe", "2026-10-04T02:15:00", "2026-10-03T15:45:00")]
    public void ATimeSkippedByTheSpringJumpMovesForwardByTheJump(string zone, string local, string expectedUtc)
    {
        var calendar = In(zone);
        var utc = calendar.ToUtc(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Fact]
    public void ADayWhoseMidnightIsSkippedStartsWhenTheClockResumes()
    {
        // Brazil moved its clocks from 00:00 to 01:00 on 4 November 2018.
        Assert.Equal(Utc(2018, 11, 4, 3), SaoPaulo.StartOfDay(new DateOnly(2018, 11, 4)));
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-10-25T02:30:00", "2026-10-25T00:30:00")]
    [InlineData("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00")]
    public void ATimeRepeatedByTheAutumnJumpTakesItsFirstOccurrence(string zone, string local, string expectedUtc)
    {
        var utc = In(zone).ToUtc(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), utc);
    }

    [Fact]
    public void ToLocalAcceptsAnInstantWhoseKindWasLostInStorage()
    {
        var unspecified = new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Unspecified);

        Assert.Equal(new DateTime(2026, 7, 1, 14, 0, 0), Paris.ToLocal(unspecified));
    }
}
