using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Pages.Manage;

namespace Certifications.Tests.Portal.Manage;

/// <summary>The roster's CSV: one line per row, quoted where needed, and never a formula for a spreadsheet to run.</summary>
public sealed class RosterCsvTests
{
    private static readonly RosterCertification Forklift = new(
        3, "Forklift", false, CertificationState.Published, 12, null, 70m, [new RosterCourse(1, "=Driving, theory")]);

    private static RosterRow Row(string name, decimal? grade, RosterDateKind? kind = null, DateOnly? date = null) =>
        new(1, name, "x@example.com", AssignmentStatus.Certified, 1, 1, [new RosterGrade(1, grade, grade >= 70m)], kind, date);

    [Fact]
    public void TextThatASpreadsheetWouldRunAsAFormulaIsOpenedWithAnApostropheAndLineBreaksAreQuoted()
    {
        var csv = RosterCsv.Write(Forklift, [Row("=HYPERLINK(\"http://x\")", 69.999m), Row("Ann\nSecond line", null)]);

        Assert.Equal(
            "Learner,Email,Status,Courses satisfied,Courses required,\"'=Driving, theory grade\",\"'=Driving, theory satisfied\",Date,Date kind\r\n"
            + "\"'=HYPERLINK(\"\"http://x\"\")\",x@example.com,Certified,1,1,69.99,no,,\r\n"
            + "\"Ann\nSecond line\",x@example.com,Certified,1,1,,no,,\r\n",
            csv);
    }

    [Fact]
    public void DatesAreIsoWithTheirKindAndGradesArePlainNumbersRoundedDownLikeThePage()
    {
        var csv = RosterCsv.Write(Forklift, [Row("Ann", 91.756m, RosterDateKind.Expires, new DateOnly(2027, 3, 2))]);

        Assert.EndsWith("Ann,x@example.com,Certified,1,1,91.75,yes,2027-03-02,Expires\r\n", csv, StringComparison.Ordinal);
    }
}
