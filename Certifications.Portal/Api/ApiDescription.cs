using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Certifications.Portal.Api;

/// <summary>
/// The OpenAPI document at <see cref="DocumentPath"/>: every <c>/api/v1</c> endpoint with its summary, parameters, bodies and
/// answers, and how callers authenticate (the X-Api-Key header; the sign-in cookie where a read takes it).
/// </summary>
internal static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    private const string KeySchemeId = "ApiKey";
    private const string SignInSchemeId = "PortalSignIn";

    public static IServiceCollection AddApiDescription(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // The portal's pages and its sign-in endpoints are not part of the API.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer(DescribeDocumentAsync);
            options.AddOperationTransformer(DescribeOperationAsync);
        });

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Certifications portal API",
            Version = DocumentName,
            Description =
                "Other systems send step results, read learners' certification status and keep the catalog (courses, groups, learners). "
                + $"Every call sends an API key in the {ApiAuthentication.HeaderName} header; admins create and revoke keys under Settings > API keys. "
                + "Changes are audited under the key's name. A read answers the entity's version in ETag; a change sends it back in If-Match and is "
                + "refused with 409, naming who changed the entity meanwhile, when it is stale. Every refusal has a problem+json body (RFC 9457). "
                + "Calls are limited per key and per minute (429 with Retry-After), so are calls without a valid key per client address, and a "
                + "request body to at most 4 MB by default (413).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[KeySchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiAuthentication.HeaderName,
            Description = "An active API key of this portal (cpk_ and 43 characters). A missing, unknown or revoked key answers 401.",
        };
        document.Components.SecuritySchemes[SignInSchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "certifications.auth",
            Description = "The portal's sign-in cookie, taken by reads of a learner's status only, with the signed-in user's own rights.",
        };
        return Task.CompletedTask;
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var callers = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiCallers>().LastOrDefault();
        operation.Security = callers?.SignedInUsers == true
            ? [Requirement(KeySchemeId, context.Document), Requirement(SignInSchemeId, context.Document)]
            : [Requirement(KeySchemeId, context.Document)];
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (string.Equals(parameter.Name, "If-Match", StringComparison.OrdinalIgnoreCase))
            {
                parameter.Required = true;
                parameter.Description = "The ETag a read of this resource answered, quotes included. Missing: 428; no longer the current version: 409.";
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string schemeId, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(schemeId, document)] = [] };
}
