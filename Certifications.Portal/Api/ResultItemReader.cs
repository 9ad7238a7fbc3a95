using System.Text.Json;
using Certifications.Core.Progress;

namespace Certifications.Portal.Api;

/// <summary>
/// Reads one item of a results batch. A field that is absent or null is passed on as missing, for the service to name;
/// a field of the wrong type makes the item malformed, rejected with the fields at fault.
/// </summary>
internal static class ResultItemReader
{
    /// <summary>The item, or why it could not be read (with its external id when that much could be).</summary>
    public readonly record struct ParsedItem(ResultItem? Item, string? ExternalId, string? Problem);

    public static ParsedItem Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ParsedItem(null, null, $"The item is malformed: a JSON object was expected, not {Describe(element.ValueKind)}.");
        }

        var wrong = new List<string>();
        string? externalId = null;
        int? learnerId = null;
        int? stepId = null;
        decimal? score = null;
        DateTime? completedAt = null;
        if (Field(element, "externalId") is { } id)
        {
            if (id.ValueKind == JsonValueKind.String)
            {
                externalId = id.GetString();
            }
            else
            {
                wrong.Add("externalId must be a string");
            }
        }

        if (Field(element, "learnerId") is { } learner)
        {
            learnerId = learner.ValueKind == JsonValueKind.Number && learner.TryGetInt32(out var value) ? value : Wrong<int>(wrong, "learnerId must be a whole number");
        }

        if (Field(element, "stepId") is { } step)
        {
            stepId = step.ValueKind == JsonValueKind.Number && step.TryGetInt32(out var value) ? value : Wrong<int>(wrong, "stepId must be a whole number");
        }

        if (Field(element, "score") is { } points)
        {
            score = points.ValueKind == JsonValueKind.Number && points.TryGetDecimal(out var value) ? value : Wrong<decimal>(wrong, "score must be a number");
        }

        if (Field(element, "completedAt") is { } completed)
        {
            completedAt = ReadInstant(completed) ?? Wrong<DateTime>(wrong, "completedAt must be an ISO 8601 instant such as 2026-03-01T09:30:00Z");
        }

        return wrong.Count == 0
            ? new ParsedItem(new ResultItem(externalId, learnerId, stepId, score, completedAt), externalId, null)
            : new ParsedItem(null, externalId, $"The item is malformed: {string.Join("; ", wrong)}.");
    }

    /// <summary>
    /// An instant with its zone becomes UTC; one without a zone keeps no kind, so the service refuses it with its own
    /// reason rather than the portal guessing the zone.
    /// </summary>
    private static DateTime? ReadInstant(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String || !element.TryGetDateTime(out var local))
        {
            return null;
        }

        return local.Kind == DateTimeKind.Unspecified ? local
            : element.TryGetDateTimeOffset(out var instant) ? instant.UtcDateTime
            : null;
    }

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    private static JsonElement? Field(JsonElement item, string name) =>
        ResultsApi.TryGetProperty(item, name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static T? Wrong<T>(List<string> wrong, string problem)
        where T : struct
    {
        wrong.Add(problem);
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
