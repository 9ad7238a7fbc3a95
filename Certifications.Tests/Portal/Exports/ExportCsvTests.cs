using System.Text;
using Certifications.Core.Exports;
using Certifications.Core.Progress;
using Certifications.Portal.Exports;

namespace Certifications.Tests.Portal.Exports;

/// <summary>The exports' CSV: RFC 4180 with a byte order mark, and never a formula for a spreadsheet to run.</summary>
public sealed class ExportCsvTests
{
    private static async IAsyncEnumerable<T> Rows<T>(params T[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static async Task<string> WrittenAsync(Func<Stream, Task> write)
    {
        using var stream = new MemoryStream();
        await write(stream);
        var bytes = stream.ToArray();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    /// <summary>The apostrophe goes inside quotes: a spreadsheet then shows the text as it was, without running it.</summary>
    [Fact]
    public async Task TextStartingWithAFormulaCharacterIsOpenedWithAnApostropheAndDatesAreIso()
    {
        var csv = await WrittenAsync(stream => ExportCsv.WriteLearnersAsync(stream, Rows(
            new LearnerExportRow(1, "=HYPERLINK(\"http://x\")", "@evil.example.com", ["+Warehouse", "-Night shift"], true, false,
                AssignmentStatus.ExpiringSoon, new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1), new DateOnly(2027, 3, 1), null, StandingSource.AdminOverride),
            new LearnerExportRow(2, "Ann, Smith", "ann@example.com", [], false, true,
                AssignmentStatus.NotStarted, new DateOnly(2026, 3, 2), null, null, new DateOnly(2026, 4, 30), StandingSource.None)), default));

        Assert.Equal(
            "Learner,Email,Assigned through,Status,Period started,Completed,Expires,Due,Standing from\r\n"
            + "\"'=HYPERLINK(\"\"http://x\"\")\",\"'@evil.example.com\",\"'+Warehouse; -Night shift; added individually\",Expiring soon,2026-02-01,2026-03-01,2027-03-01,,Admin override\r\n"
            + "\"Ann, Smith\",ann@example.com,started by the learner,Not started,2026-03-02,,,2026-04-30,\r\n",
            csv);
    }

    [Fact]
    public async Task AnAuditEntryReadsAsWhenWhoActionWhatAndTheReasonApart()
    {
        var csv = await WrittenAsync(stream => ExportCsv.WriteAuditTrailAsync(stream, Rows(
            new AuditExportRow(new DateTime(2026, 3, 10, 9, 5, 0, DateTimeKind.Utc), "admin@example.com", "DueDateSet", "Bob Safety <bob@example.com>",
                """{"From":null,"To":"2026-04-30","Reason":"=cmd|' /C calc'!A0"}"""),
            new AuditExportRow(new DateTime(2026, 3, 10, 9, 6, 0, DateTimeKind.Utc), "system", "Updated", "Workplace Safety",
                """{"Name":{"From":"Safety","To":"-Workplace Safety"}}""")), default));

        Assert.Equal(
            "When (UTC),Who,Action,Concerning,What,Reason\r\n"
            + "2026-03-10T09:05:00Z,admin@example.com,Due date set,Bob Safety <bob@example.com>,From: (none); To: 2026-04-30,\"'=cmd|' /C calc'!A0\"\r\n"
            + "2026-03-10T09:06:00Z,system,Updated,Workplace Safety,Name: Safety \u2192 -Workplace Safety,\r\n",
            csv);
    }
}
