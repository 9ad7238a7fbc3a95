namespace Certifications.Core.Time;

/// <summary>
/// Calendar dates (Effective From, due dates) are days in the organisation's time zone; instants are UTC.
/// This turns one into the other.
/// </summary>
public sealed class OrganisationCalendar(TimeZoneInfo timeZone)
{
    public static OrganisationCalendar Utc { get; } = new(TimeZoneInfo.Utc);

    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>The UTC instant the given day starts in the organisation's zone.</summary>
    public DateTime StartOfDay(DateOnly date) => ToUtc(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>The UTC instant the given day is over in the organisation's zone (the start of the next day): a due date ends there.</summary>
    public DateTime EndOfDay(DateOnly date) => StartOfDay(date.AddDays(1));

    /// <summary>The organisation's calendar date at a UTC instant.</summary>
    public DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(ToLocal(utc));

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);

    /// <summary>
    /// The UTC instant of a local wall-clock time. A time skipped by a daylight-saving jump is moved forward by the
    /// jump; an ambiguous time takes its first (daylight) occurrence.
    /// </summary>
    public DateTime ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            // Read a skipped time with the offset in force before the gap, which lands the same distance past the
            // gap's end. The offsets a day either side are used rather than the adjustment rules because rule date
            // ranges do not always cover the day of the transition, and the offset before a gap is the smaller one.
            var before = TimeZone.GetUtcOffset(local.AddDays(-1));
            var after = TimeZone.GetUtcOffset(local.AddDays(1));
            return DateTime.SpecifyKind(local - (before < after ? before : after), DateTimeKind.Utc);
        }

        if (TimeZone.IsAmbiguousTime(local))
        {
            var offsets = TimeZone.GetAmbiguousTimeOffsets(local);
            var daylight = offsets.Max();
            return DateTime.SpecifyKind(local - daylight, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, TimeZone);
    }
}
