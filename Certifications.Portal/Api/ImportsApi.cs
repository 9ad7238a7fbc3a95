using System.ComponentModel;
using System.Text.Json;
using Certifications.Core.History;

namespace Certifications.Portal.Api;

/// <summary>
/// <c>POST /api/v1/imports/completions</c>: historic completions from another system, as CSV (the columns of the import
/// page) or as JSON. The same checks and report as the page's: a dry run (the default) says row by row what applying
/// would do; applying stores all or nothing.
/// </summary>
internal static class ImportsApi
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports/completions", PostCompletionsAsync)
            .WithName("ImportCompletions").WithTags("Imports")
            .WithSummary("Import historic completions (dry run or apply)")
            .WithDescription(
                "A CSV body (text/csv: columns learner, certification, completed_at, and optionally expires_at and evidence) or a JSON body "
                + "({\"rows\": [...]}). Learners by email or id, certifications by name or id; dates as 2025-03-31 (the start of that day in the "
                + "organisation's zone) or with a time and zone. With dryRun=true (the default) nothing is stored and the report says what applying "
                + "would do; with dryRun=false the rows are stored and progress recomputed in one transaction, or nothing at all when a row is bad. "
                + "Importing the same rows again changes nothing.")
            .Accepts<CompletionsImportRequest>("application/json", "text/csv")
            .Produces<CompletionsImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> PostCompletionsAsync(HttpContext context, CompletionImport import, bool? dryRun, CancellationToken ct)
    {
        IReadOnlyList<ImportRow> rows;
        var contentType = context.Request.ContentType ?? "";
        if (contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                rows = await CompletionCsv.ReadAsync(context.Request.Body, ct);
            }
            catch (ImportFileException ex)
            {
                return Refused("The CSV cannot be read.", ex.Message);
            }
        }
        else
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, default, ct);
            }
            catch (JsonException ex)
            {
                return Refused("The body is not valid JSON.", ex.Message);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !ResultsApi.TryGetProperty(document.RootElement, "rows", out var items)
                    || items.ValueKind != JsonValueKind.Array)
                {
                    return Refused("The body has no rows.", """Send {"rows": [{"learner": "bob@example.com", "certification": "Workplace Safety", "completedAt": "2025-11-15"}]}, or CSV as text/csv.""");
                }

                rows = [.. items.EnumerateArray().Select((item, i) => new ImportRow(i + 1, Text(item, "learner"), Text(item, "certification"), Text(item, "completedAt"), Text(item, "expiresAt"), Text(item, "evidence")))];
            }
        }

        var report = await import.ImportAsync(ApiAuthentication.ActorOf(context), rows, dryRun ?? true, progress: null, ct);
        return Results.Ok(CompletionsImportResponse.From(report));
    }

    /// <summary>A field as text whatever its JSON type (an id may come as a number), null when absent or null.</summary>
    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && ResultsApi.TryGetProperty(item, name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => value.GetString(),
                _ => value.GetRawText(),
            }
            : null;

    private static IResult Refused(string title, string detail) =>
        Results.Problem(title: title, detail: $"{detail} Nothing was imported.", statusCode: StatusCodes.Status400BadRequest);
}

/// <summary>The JSON body of the import, for the API's description; the endpoint reads it field by field.</summary>
internal sealed record CompletionsImportRequest(IReadOnlyList<CompletionsImportRow> Rows);

internal sealed record CompletionsImportRow(
    [property: Description("The learner's email or id.")] string Learner,
    [property: Description("The certification's name or id.")] string Certification,
    [property: Description("2025-03-31, or with a time and zone: 2025-03-31T14:30:00Z.")] string CompletedAt,
    string? ExpiresAt,
    string? Evidence);

/// <summary>Whether the rows were stored, the totals, and one verdict per row in the order sent.</summary>
internal sealed record CompletionsImportResponse(
    bool Applied,
    int NewPeriods,
    int Earlier,
    int KeptAsHistory,
    int AlreadyRecorded,
    int Bad,
    IReadOnlyList<CompletionsImportRowResponse> Rows)
{
    public static CompletionsImportResponse From(ImportReport report) => new(
        report.Applied,
        report.NewPeriods,
        report.Earlier,
        report.KeptAsHistory,
        report.AlreadyRecorded,
        report.Bad,
        [.. report.Rows.Select(r => new CompletionsImportRowResponse(r.Line, r.Learner, r.Certification, r.CompletedAt, r.ExpiresAt, r.Verdict, r.IsBad, r.Reason))]);
}

internal sealed record CompletionsImportRowResponse(
    [property: Description("The CSV line, or the item's position from 1.")] int Line,
    string Learner,
    string Certification,
    DateTime? CompletedAt,
    DateTime? ExpiresAt,
    ImportVerdict Verdict,
    bool Bad,
    string Reason);
