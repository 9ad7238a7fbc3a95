using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;

namespace Certifications.Portal.Api;

/// <summary>
/// The HTTP API under <c>/api/v1</c>: results, a learner's status, the catalog, and its OpenAPI description. Settings
/// live under <c>Api</c> in appsettings.json and are read when first needed.
/// </summary>
internal static class PortalApi
{
    public const string RateLimitPolicy = "api";

    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddApiAuthentication();
        services.AddApiDescription();
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;

            // A field sent as null where the API needs a value is refused as unreadable, naming the field.
            options.SerializerOptions.RespectNullableAnnotations = true;
        });

        // A body the framework cannot read is reported by ApiRequestGuard with its reason, rather than answered 400 silently.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddRateLimiter(options =>
        {
            // Per key when one is sent (whether valid or not: UnauthenticatedCallLimiter counts the failures per address),
            // otherwise per client address.
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Request.Headers.TryGetValue(ApiAuthentication.HeaderName, out var key)
                    ? "key:" + key
                    : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Api:RequestsPerMinute", 120)),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                if (!ApiRequestGuard.IsApi(http))
                {
                    return;
                }

                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await Results.Problem(
                    title: "Too many requests.",
                    detail: "This API key, or this address without a key, has sent more requests than allowed in a minute. Wait and send again.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>Body limit, readable refusals and problem+json answers for every request under <c>/api</c>.</summary>
    public static IApplicationBuilder UsePortalApi(this IApplicationBuilder app) =>
        app.UseWhen(ApiRequestGuard.IsApi, api => api.UseMiddleware<ApiRequestGuard>());

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        // Public, like the reference of any API; generating it costs some work, so it is limited like a call without a key.
        endpoints.MapOpenApi().RequireRateLimiting(RateLimitPolicy);
        Group(endpoints).RequireApiKey()
            .MapResultsApi()
            .MapImportsApi()
            .MapLearnersApi()
            .MapCoursesApi()
            .MapGroupsApi();
        Group(endpoints).RequireApiKeyOrSignIn()
            .MapLearnerStatusApi();
        return endpoints;
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/api/v1")
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
