using System.Globalization;
using System.Text;
using System.Text.Json;
using Certifications.Core.Exports;
using Certifications.Portal.Components.Pages.Admin.Catalog;
using Certifications.Portal.Components.Shared;
using CsvHelper;

namespace Certifications.Portal.Exports;

/// <summary>
/// The exports as CSV (RFC 4180, UTF-8 with a byte order mark so that spreadsheets read accents right), written record by
/// record as the rows are read. Text that a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return
/// first) is opened with an apostrophe. Dates are ISO 8601 calendar dates in the organisation's zone; audit instants are UTC.
/// </summary>
internal static class ExportCsv
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    public static readonly string[] LearnerColumns =
        ["Learner", "Email", "Assigned through", "Status", "Period started", "Completed", "Expires", "Due", "Standing from"];

    public static readonly string[] AuditColumns = ["When (UTC)", "Who", "Action", "Concerning", "What", "Reason"];

    public static async Task WriteLearnersAsync(Stream destination, IAsyncEnumerable<LearnerExportRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await csv.WriteRecordAsync(LearnerColumns, ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            await csv.WriteRecordAsync(
                [
                    row.Name,
                    row.Email,
                    AssignedThrough(row),
                    DisplayText.Status(row.Status),
                    Date(row.PeriodStartedOn),
                    Date(row.CompletedOn),
                    Date(row.ExpiresOn),
                    Date(row.DueOn),
                    Source(row.Source),
                ],
                ct);
        }

        await csv.FlushAsync(ct);
    }

    public static async Task WriteAuditTrailAsync(Stream destination, IAsyncEnumerable<AuditExportRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await csv.WriteRecordAsync(AuditColumns, ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            var reason = ReasonOf(row.Changes);
            var what = ChangeText.Lines(row.Changes).Where(line => reason is null || !line.StartsWith("Reason: ", StringComparison.Ordinal));
            await csv.WriteRecordAsync(
                [
                    row.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    row.Actor,
                    Words(row.Action),
                    row.Concerning,
                    string.Join("; ", what),
                    reason ?? "",
                ],
                ct);
        }

        await csv.FlushAsync(ct);
    }

    private static string AssignedThrough(LearnerExportRow row) => string.Join("; ", [
        .. row.Groups,
        .. row.AddedIndividually ? new[] { "added individually" } : [],
        .. row.SelfStarted ? new[] { "started by the learner" } : [],
    ]);

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Source(StandingSource source) => source switch
    {
        StandingSource.Results => "Results",
        StandingSource.Imported => "Imported",
        StandingSource.AdminOverride => "Admin override",
        StandingSource.Exempt => "Exempt",
        _ => "",
    };

    /// <summary>The reason an admin gave, which the corrections record with their changes.</summary>
    private static string? ReasonOf(string? changes)
    {
        if (string.IsNullOrWhiteSpace(changes))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(changes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Reason", out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An action as recorded ("MarkedComplete") in words ("Marked complete").</summary>
    private static string Words(string action)
    {
        var words = new StringBuilder(action.Length + 4);
        for (var i = 0; i < action.Length; i++)
        {
            var c = action[i];
            words.Append(i > 0 && char.IsUpper(c) && !char.IsUpper(action[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString());
        }

        return words.ToString();
    }
}
