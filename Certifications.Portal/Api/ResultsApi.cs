using System.Text.Json;
using Certifications.Core.Progress;

namespace Certifications.Portal.Api;

/// <summary>
/// <c>POST /api/v1/results</c>: other systems send step results in batches. The body is read here rather than bound by
/// the framework, so that every kind of bad input gets a reason: malformed JSON, a body without a <c>results</c>
/// array or an oversized batch is refused whole (400 or 413, problem+json, nothing recorded); an item of the wrong
/// shape or with a field of the wrong type is rejected on its own, beside the others, in the 200 report.
/// </summary>
internal static class ResultsApi
{
    public static RouteGroupBuilder MapResultsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/results", PostResultsAsync)
            .WithName("SendResults").WithTags("Results")
            .WithSummary("Send a batch of step results")
            .WithDescription(
                $"Up to {ResultIngestion.MaxBatchSize} results. Each item is accepted, a duplicate (its external id is already recorded, or repeated "
                + "in the batch) or rejected with its reason, beside the others; the progress they change is saved with them, so the learners' status "
                + "is current when the call returns. A body that is not JSON or has no results array answers 400, a larger batch 413, and nothing is recorded.")
            .Accepts<ResultsRequest>("application/json")
            .Produces<ResultsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> PostResultsAsync(HttpContext context, ResultIngestion ingestion, CancellationToken ct)
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
                || !TryGetProperty(document.RootElement, "results", out var results)
                || results.ValueKind != JsonValueKind.Array)
            {
                return Refused("The body has no results.", """Send a JSON object with a "results" array, such as {"results": [{"externalId": "…", "learnerId": 1, "stepId": 2, "score": 87.5, "completedAt": "2026-03-01T09:30:00Z"}]}.""");
            }

            var count = results.GetArrayLength();
            if (count > ResultIngestion.MaxBatchSize)
            {
                return Results.Problem(
                    title: "The batch is too large.",
                    detail: new ResultBatchTooLargeException(count).Message,
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            var parsed = results.EnumerateArray().Select(ResultItemReader.Read).ToList();
            var wellFormed = parsed.Where(p => p.Item is not null).Select(p => p.Item!).ToList();
            var report = await ingestion.IngestAsync(ApiAuthentication.ActorOf(context), wellFormed, ct);

            // The service numbers the well-formed items it was given; the sender numbers every item it sent.
            var outcomes = new List<ResultItemOutcome>(count);
            var next = 0;
            for (var index = 0; index < parsed.Count; index++)
            {
                outcomes.Add(parsed[index].Item is null
                    ? new ResultItemOutcome(index, parsed[index].ExternalId, ResultItemState.Rejected, parsed[index].Problem)
                    : report.Items[next++] with { Index = index });
            }

            return Results.Ok(ResultsResponse.From(new IngestionReport(outcomes)));
        }
    }

    private static IResult Refused(string title, string detail) =>
        Results.Problem(title: title, detail: $"{detail} Nothing was recorded.", statusCode: StatusCodes.Status400BadRequest);

    internal static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>The body of <c>POST /api/v1/results</c>, for the API's description; the endpoint reads it field by field.</summary>
internal sealed record ResultsRequest(IReadOnlyList<ResultsRequestItem> Results);

internal sealed record ResultsRequestItem(string ExternalId, int LearnerId, int StepId, decimal Score, DateTimeOffset CompletedAt);

/// <summary>One outcome per item sent, in the order sent, and how many of each.</summary>
internal sealed record ResultsResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<ResultsResponseItem> Items)
{
    public static ResultsResponse From(IngestionReport report) => new(
        report.Accepted,
        report.Duplicates,
        report.Rejected,
        [.. report.Items.Select(i => new ResultsResponseItem(i.Index, i.ExternalId, StateName(i.State), i.Reason))]);

    private static string StateName(ResultItemState state) => state switch
    {
        ResultItemState.Accepted => "accepted",
        ResultItemState.Duplicate => "duplicate",
        _ => "rejected",
    };
}

internal sealed record ResultsResponseItem(int Index, string? ExternalId, string State, string? Reason);
