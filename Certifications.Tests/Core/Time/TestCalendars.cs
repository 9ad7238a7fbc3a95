using Certifications.Core.Time;

namespace Certifications.Tests.Core.Time;

/// <summary>Organisation calendars in zones with daylight saving; Linux resolves the IANA ids.</summary>
internal static class TestCalendars
{
    public static OrganisationCalendar Paris { get; } = In("Europe/Paris");
    public static OrganisationCalendar NewYork { get; } = In("America/New_York");
    public static OrganisationCalendar LordHowe { get; } = In("Australia/Lord_Howe");
    public static OrganisationCalendar SaoPaulo { get; } = In("America/Sao_Paulo");

    public static OrganisationCalendar In(string zoneId) => new(TimeZoneInfo.FindSystemTimeZoneById(zoneId));

    public static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);
}
