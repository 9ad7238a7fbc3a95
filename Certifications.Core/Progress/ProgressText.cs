using System.Globalization;
using Certifications.Core.Time;

namespace Certifications.Core.Progress;

/// <summary>How the rules write numbers and dates into their explanations: the same words on every page and in the API.</summary>
internal static class ProgressText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Rounds down to two decimals so that a grade just under the minimum never reads as equal to it
    /// ("69.999 %" shows as 69.99 %, not 70 %).
    /// </summary>
    public static string Percent(decimal value) =>
        (Math.Floor(value * 100m) / 100m).ToString("0.##", Invariant) + " %";

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);

    public static string Date(DateTime utc, OrganisationCalendar calendar) => Date(calendar.DateOf(utc));

    /// <summary>Date and wall-clock time in the organisation's zone; seconds only when they matter.</summary>
    public static string Instant(DateTime utc, OrganisationCalendar calendar)
    {
        var local = calendar.ToLocal(utc);
        var format = local.Second == 0 && local.Millisecond == 0 ? "d MMM yyyy HH:mm" : "d MMM yyyy HH:mm:ss";
        return local.ToString(format, Invariant);
    }

    public static string Courses(int count) => count == 1 ? "1 course" : $"{count} courses";
}
