using System.Globalization;
using System.Text;
using Certifications.Core.Enrollment;
using Certifications.Portal.Components.Shared;

namespace Certifications.Portal.Components.Pages.Manage;

/// <summary>
/// A roster as CSV (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, quote or line break), with the
/// page's columns in the page's order; where a spreadsheet needs the parts of a cell apart, the cell becomes two columns
/// (courses satisfied and required; each course's grade and whether it is satisfied; the kind of date and the date). Grades
/// are plain numbers, dates ISO 8601.
/// </summary>
internal static class RosterCsv
{
    public static string Write(RosterCertification certification, IEnumerable<RosterRow> rows)
    {
        ArgumentNullException.ThrowIfNull(certification);
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        Line(csv, [
            "Learner", "Email", "Status", "Courses satisfied", "Courses required",
            .. certification.Courses.SelectMany(c => new[] { Text($"{c.Title} grade"), Text($"{c.Title} satisfied") }),
            "Date", "Date kind",
        ]);
        foreach (var row in rows)
        {
            Line(csv, [
                Text(row.Name),
                Text(row.Email),
                DisplayText.Status(row.Status),
                row.CoursesSatisfied.ToString(CultureInfo.InvariantCulture),
                row.CoursesRequired.ToString(CultureInfo.InvariantCulture),
                .. certification.Courses.SelectMany(c => RosterWords.GradeOf(row, c.CourseId) is { } grade
                    ? new[] { grade.Grade is { } value ? RosterWords.Number(value) : "", grade.IsSatisfied ? "yes" : "no" }
                    : ["", ""]),
                row.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                RosterWords.DateKind(row.DateKind),
            ]);
        }

        return csv.ToString();
    }

    private static void Line(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Quoted));
        csv.Append("\r\n");
    }

    private static string Quoted(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    /// <summary>
    /// Text typed by people: one that a spreadsheet would take for a formula (=, +, -, @, or a tab or carriage return first)
    /// is opened with an apostrophe, so that opening the file never runs anything.
    /// </summary>
    private static string Text(string value) => value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
}
