using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Certifications.Portal.Api;

/// <summary>
/// The API's reference as the portal's page shows it, read from the OpenAPI document the portal serves, so that the page
/// and the document never disagree: every operation with its parameters, body and answers, and every schema they name.
/// </summary>
public sealed record ApiReference(
    string Title,
    string Description,
    IReadOnlyList<ApiSecurityScheme> SecuritySchemes,
    IReadOnlyList<ApiOperation> Operations,
    IReadOnlyList<ApiSchema> Schemas)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <summary>The document as served, generated afresh.</summary>
    public static async Task<ApiReference> LoadAsync(IOpenApiDocumentProvider provider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct);
        using var parsed = JsonDocument.Parse(json);
        return Read(parsed.RootElement);
    }

    public static ApiReference Read(JsonElement root)
    {
        var info = root.GetProperty("info");
        var components = Child(root, "components");
        var schemes = Child(components, "securitySchemes") is { } s
            ? s.EnumerateObject().Select(p => new ApiSecurityScheme(p.Name, Text(p.Value, "name"), Text(p.Value, "in"), Text(p.Value, "description"))).ToList()
            : [];
        var operations = new List<ApiOperation>();
        foreach (var path in Child(root, "paths")?.EnumerateObject() ?? default)
        {
            foreach (var method in Methods)
            {
                if (Child(path.Value, method) is { } operation)
                {
                    operations.Add(ReadOperation(method, path.Name, operation));
                }
            }
        }

        var schemas = Child(components, "schemas") is { } all
            ? all.EnumerateObject().Select(p => ReadSchema(p.Name, p.Value)).ToList()
            : [];
        return new ApiReference(Text(info, "title"), Text(info, "description"), schemes, operations, schemas);
    }

    private static ApiOperation ReadOperation(string method, string path, JsonElement operation)
    {
        var parameters = Child(operation, "parameters")?.EnumerateArray()
            .Select(p => new ApiParameter(Text(p, "name"), Text(p, "in"), Flag(p, "required"), ApiType.Of(Child(p, "schema")), Text(p, "description")))
            .ToList() ?? [];
        var body = Child(operation, "requestBody") is { } request && FirstContent(request) is var (bodyType, bodySchema)
            ? new ApiBody(bodyType, ApiType.Of(bodySchema), Flag(request, "required"))
            : null;
        var responses = Child(operation, "responses")?.EnumerateObject()
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => FirstContent(r.Value) is var (type, schema)
                ? new ApiResponse(r.Name, Text(r.Value, "description"), type, ApiType.Of(schema))
                : new ApiResponse(r.Name, Text(r.Value, "description"), null, null))
            .ToList() ?? [];
        var security = Child(operation, "security")?.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList() ?? [];
        var tags = Child(operation, "tags")?.EnumerateArray().Select(t => t.GetString() ?? "").ToList() ?? [];
        return new ApiOperation(
            method.ToUpperInvariant(), path, Text(operation, "operationId"), tags.FirstOrDefault() ?? "", Text(operation, "summary"), Text(operation, "description"),
            security, parameters, body, responses);
    }

    private static ApiSchema ReadSchema(string name, JsonElement schema)
    {
        var required = Child(schema, "required")?.EnumerateArray().Select(r => r.GetString()).ToHashSet() ?? [];
        var properties = Child(schema, "properties")?.EnumerateObject()
            .Select(p => new ApiProperty(p.Name, ApiType.Of(p.Value), required.Contains(p.Name), Text(p.Value, "description")))
            .ToList() ?? [];
        var values = Child(schema, "enum")?.EnumerateArray().Select(v => v.ToString()).ToList() ?? [];
        return new ApiSchema(name, Text(schema, "description"), values, properties);
    }

    /// <summary>The first media type of a body or an answer, with its schema.</summary>
    private static (string Type, JsonElement? Schema)? FirstContent(JsonElement element) =>
        Child(element, "content")?.EnumerateObject().Select(c => (c.Name, Child(c.Value, "schema"))).FirstOrDefault() is { Name: not null } first
            ? (first.Name, first.Item2)
            : null;

    internal static JsonElement? Child(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    internal static string Text(JsonElement element, string name) => Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";

    private static bool Flag(JsonElement element, string name) => Child(element, name)?.ValueKind == JsonValueKind.True;
}

public sealed record ApiSecurityScheme(string Id, string Name, string In, string Description);

public sealed record ApiOperation(
    string Method,
    string Path,
    string Id,
    string Tag,
    string Summary,
    string Description,
    IReadOnlyList<string> Security,
    IReadOnlyList<ApiParameter> Parameters,
    ApiBody? Body,
    IReadOnlyList<ApiResponse> Responses);

public sealed record ApiParameter(string Name, string In, bool Required, ApiType Type, string Description);

public sealed record ApiBody(string ContentType, ApiType Type, bool Required);

public sealed record ApiResponse(string Status, string Description, string? ContentType, ApiType? Type);

public sealed record ApiSchema(string Name, string Description, IReadOnlyList<string> Values, IReadOnlyList<ApiProperty> Properties);

public sealed record ApiProperty(string Name, ApiType Type, bool Required, string Description);

/// <summary>A schema in words ("array of StepRequest", "string (date) or null"), naming the schema it refers to, if any.</summary>
public sealed record ApiType(string Text, string? SchemaName)
{
    public static ApiType Of(JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } s)
        {
            return new ApiType("any", null);
        }

        if (ApiReference.Child(s, "$ref") is { ValueKind: JsonValueKind.String } reference)
        {
            var name = reference.GetString()!.Split('/')[^1];
            return new ApiType(name, name);
        }

        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (ApiReference.Child(s, choice) is { ValueKind: JsonValueKind.Array } options)
            {
                var types = options.EnumerateArray().Select(o => Of(o)).ToList();
                return new ApiType(string.Join(" or ", types.Select(t => t.Text)), types.Select(t => t.SchemaName).FirstOrDefault(n => n is not null));
            }
        }

        var names = ApiReference.Child(s, "type") switch
        {
            { ValueKind: JsonValueKind.String } one => [one.GetString()!],
            { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Select(t => t.GetString()!).ToList(),
            _ => new List<string>(),
        };
        var nullable = names.Remove("null");
        var format = ApiReference.Text(s, "format");
        ApiType type;
        if (names is ["array"])
        {
            var items = Of(ApiReference.Child(s, "items"));
            type = new ApiType($"array of {items.Text}", items.SchemaName);
        }
        else if (names is ["object"] && ApiReference.Child(s, "additionalProperties") is { } values)
        {
            var value = Of(values);
            type = new ApiType($"map of {value.Text}", value.SchemaName);
        }
        else
        {
            type = new ApiType(names.Count == 0 ? "any" : string.Join(" or ", names) + (format.Length > 0 ? $" ({format})" : ""), null);
        }

        if (ApiReference.Child(s, "enum") is { ValueKind: JsonValueKind.Array } allowed)
        {
            type = type with { Text = $"{type.Text}: {string.Join(", ", allowed.EnumerateArray().Select(v => v.ToString()))}" };
        }

        return nullable ? type with { Text = type.Text + " or null" } : type;
    }
}
