using System.Net;
using System.Text.Json;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>The OpenAPI document and the admin's reference page describe every endpoint the portal maps under /api/v1.</summary>
public sealed class ApiDescriptionTests(ApiTestPortal fixture) : IClassFixture<ApiTestPortal>
{
    /// <summary>Every API endpoint the portal maps, as "METHOD /path", discovered rather than listed.</summary>
    private List<string> MappedEndpoints() =>
    [
        .. fixture.Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {e.RoutePattern.RawText!.Replace(":int", "", StringComparison.Ordinal)}"))
            .Order(StringComparer.Ordinal),
    ];

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.Client();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static IEnumerable<(string Endpoint, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => ($"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)));

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryApiEndpointWithItsAnswersAndNothingElse()
    {
        var document = await DocumentAsync();

        var described = Operations(document).ToList();
        Assert.Equal(MappedEndpoints(), described.Select(d => d.Endpoint).Order(StringComparer.Ordinal));
        Assert.True(MappedEndpoints().Count >= 14);
        Assert.All(described, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Operation.GetProperty("summary").GetString()), d.Endpoint);
            var responses = d.Operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out var unauthorized), d.Endpoint);
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _), d.Endpoint);
            Assert.True(responses.TryGetProperty("429", out _), d.Endpoint);
            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _));
        });
        var update = Operations(document).Single(d => d.Endpoint == "PUT /api/v1/courses/{id}").Operation;
        Assert.Equal("#/components/schemas/CourseRequest", update.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Contains(update.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("required").GetBoolean());
        Assert.True(update.GetProperty("responses").TryGetProperty("409", out _));
        var import = Operations(document).Single(d => d.Endpoint == "POST /api/v1/imports/completions").Operation;
        var bodies = import.GetProperty("requestBody").GetProperty("content");
        Assert.True(bodies.TryGetProperty("application/json", out _));
        Assert.True(bodies.TryGetProperty("text/csv", out _));
        Assert.Contains(import.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "dryRun");
    }

    [Fact]
    public async Task TheDocumentNamesTheApiKeyHeaderAndWhichReadsAlsoTakeTheSignInCookie()
    {
        var document = await DocumentAsync();

        var key = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (key.GetProperty("type").GetString(), key.GetProperty("in").GetString(), key.GetProperty("name").GetString()));
        var schemes = Operations(document).ToDictionary(
            d => d.Endpoint,
            d => string.Join(" ", d.Operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))));
        Assert.Equal("ApiKey PortalSignIn", schemes["GET /api/v1/learners/{learnerId}/certifications"]);
        Assert.All(schemes.Where(s => s.Key != "GET /api/v1/learners/{learnerId}/certifications"), s => Assert.Equal("ApiKey", s.Value));
    }

    [Fact]
    public async Task TheReferencePageListsEveryEndpointWithItsParametersBodiesAndAnswers()
    {
        var document = await DocumentAsync();
        using var admin = await fixture.SignedInAsync(await fixture.LearnerAsync("Reference Reader"), PortalRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/admin/settings/api-keys/reference", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        foreach (var (endpoint, operation) in Operations(document))
        {
            var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
            Assert.Contains($"data-path=\"{path}\" data-method=\"{method}\"", html, StringComparison.Ordinal);
            Assert.Contains(operation.GetProperty("summary").GetString()!, html, StringComparison.Ordinal);
        }

        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            Assert.Contains($"data-name=\"{schema.Name}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("If-Match", html, StringComparison.Ordinal);
        Assert.Contains("Precondition Required", html, StringComparison.Ordinal);
        Assert.Contains("array of StepRequest", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiKeysPageLeadsToTheReference()
    {
        using var admin = await fixture.SignedInAsync(await fixture.LearnerAsync("Key Keeper"), PortalRoles.Admin);

        var html = await admin.GetStringAsync(new Uri("/admin/settings/api-keys", UriKind.Relative));

        Assert.Contains("href=\"/admin/settings/api-keys/reference\"", html, StringComparison.Ordinal);
    }
}
