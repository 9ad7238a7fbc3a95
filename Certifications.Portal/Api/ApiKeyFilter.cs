using Certifications.Core.Auditing;
using Certifications.Core.Security;

namespace Certifications.Portal.Api;

/// <summary>
/// Lets a request through only with an active key in the <see cref="HeaderName"/> header, and makes its API client the
/// actor of what follows. The API never looks at the sign-in cookie, so a signed-in browser has no access through it
/// and a request from another site cannot act on its behalf.
/// </summary>
internal sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private static readonly object ActorKey = new();

    /// <summary>The API client the request's key stands for; only endpoints behind this filter may ask.</summary>
    public static Actor ActorOf(HttpContext context) =>
        context.Items[ActorKey] as Actor ?? throw new InvalidOperationException("The endpoint is not behind the API key filter.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var actor = http.Request.Headers.TryGetValue(HeaderName, out var values) && values.Count == 1
            ? await keys.AuthenticateAsync(values[0], http.RequestAborted)
            : null;
        if (actor is null)
        {
            http.Response.Headers.WWWAuthenticate = HeaderName;
            return Results.Problem(
                title: "An API key is required.",
                detail: $"Send an active API key in the {HeaderName} header. Admins create and revoke keys in the portal's settings.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[ActorKey] = actor;
        return await next(context);
    }
}
