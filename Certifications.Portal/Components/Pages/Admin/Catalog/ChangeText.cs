using System.Text.Json;

namespace Certifications.Portal.Components.Pages.Admin.Catalog;

/// <summary>An audit entry's changes as lines an admin reads: "Title: Old → New", "Added: Bob Stone".</summary>
internal static class ChangeText
{
    public static IReadOnlyList<string> Lines(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [json];
            }

            var lines = new List<string>();
            foreach (var field in document.RootElement.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("From", out var from) && field.Value.TryGetProperty("To", out var to))
                {
                    lines.Add($"{field.Name}: {Show(from)} \u2192 {Show(to)}");
                }
                else if (field.Value.ValueKind is not JsonValueKind.Array || field.Value.GetArrayLength() > 0)
                {
                    lines.Add($"{field.Name}: {Show(field.Value)}");
                }
            }

            return lines;
        }
        catch (JsonException)
        {
            return [json];
        }
    }

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : "(none)",
        JsonValueKind.Null => "(none)",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "(none)" : string.Join(", ", value.EnumerateArray().Select(Show)),
        _ => value.GetRawText(),
    };
}
