using System.Globalization;
using Certifications.Core.Enrollment;
using Certifications.Portal.Components.Shared.Panel;

namespace Certifications.Portal.Components.Pages.Manage;

/// <summary>How a roster row's grades and dates read, on the page and in its CSV export alike.</summary>
internal static class RosterWords
{
    public static RosterGrade? GradeOf(RosterRow row, int courseId) => row.Grades.FirstOrDefault(g => g.CourseId == courseId);

    /// <summary>The rules' rounding (down to two decimals), without the percent sign: what a spreadsheet reads as a number.</summary>
    public static string Number(decimal value) => (Math.Floor(value * 100m) / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    public static string DateKind(RosterDateKind? kind) => kind switch
    {
        RosterDateKind.Due => "Due",
        RosterDateKind.Expires => "Expires",
        RosterDateKind.Expired => "Expired",
        RosterDateKind.Completed => "Completed",
        _ => "",
    };

    public static string Date(RosterRow row) => row.Date is { } date ? $"{DateKind(row.DateKind)} {PanelWords.Date(date)}" : "";
}
