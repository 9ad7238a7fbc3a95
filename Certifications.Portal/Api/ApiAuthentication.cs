using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Certifications.Core.Auditing;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certifications.Portal.Api;

/// <summary>
/// Who may call the API, decided before an endpoint reads its body. Every endpoint takes an active key in the
/// <see cref="HeaderName"/> header; the read endpoints that show a learner's own status also take the portal's sign-in
/// cookie, with the signed-in user's own rights. A key sent is the only credential looked at, so a request carrying
/// both is the key's. Write endpoints never look at the cookie: a page of another site cannot act through a browser.
/// </summary>
internal static class ApiAuthentication
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The API key alone.</summary>
    public const string KeyScheme = "ApiKey";

    /// <summary>The API key when one is sent, otherwise the portal's sign-in cookie.</summary>
    public const string KeyOrSignInScheme = "ApiKeyOrSignIn";

    public const string KeyPolicy = "api-key";
    public const string KeyOrSignInPolicy = "api-key-or-sign-in";

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<UnauthenticatedCallLimiter>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(KeyScheme, "API key", null)
            .AddPolicyScheme(KeyOrSignInScheme, "API key or the portal's sign-in", options =>
            {
                options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(HeaderName) ? KeyScheme : IdentityConstants.ApplicationScheme;

                // Refusals always come from the key handler: a problem+json body, never the sign-in page.
                options.ForwardChallenge = KeyScheme;
                options.ForwardForbid = KeyScheme;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(KeyPolicy, policy => policy.AddAuthenticationSchemes(KeyScheme).RequireAuthenticatedUser())
            .AddPolicy(KeyOrSignInPolicy, policy => policy.AddAuthenticationSchemes(KeyOrSignInScheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The endpoint takes an API key only.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(KeyPolicy).WithMetadata(new ApiCallers(SignedInUsers: false));

    /// <summary>The endpoint takes an API key, or the portal's sign-in cookie with the user's own rights.</summary>
    public static TBuilder RequireApiKeyOrSignIn<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(KeyOrSignInPolicy).WithMetadata(new ApiCallers(SignedInUsers: true));

    /// <summary>The caller as the services take it: the key's API client, or the signed-in user.</summary>
    public static Actor ActorOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Actor.From(context.User);
    }
}

/// <summary>Who an endpoint lets in, for the API's description.</summary>
internal sealed record ApiCallers(bool SignedInUsers);

/// <summary>
/// Authenticates a request by its API key as the key's API client, named after the key. Its challenge answers 401 with
/// a problem+json body, or 429 once the caller's address has made too many calls without a valid key.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    UnauthenticatedCallLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiAuthentication.HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var actor = values.Count == 1 ? await keys.AuthenticateAsync(values[0], Context.RequestAborted) : null;
        if (actor is null)
        {
            return AuthenticateResult.Fail("The API key is not an active key of this portal.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, actor.Name), .. actor.Roles.Select(role => new Claim(ClaimTypes.Role, role))],
            ApiAuthentication.KeyScheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiAuthentication.KeyScheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        using var lease = limiter.Count(Context);
        if (!lease.IsAcquired)
        {
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await Results.Problem(
                title: "Too many requests.",
                detail: "Too many calls without a valid API key came from this address in the last minute. Wait, and send an active key.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(Context);
            return;
        }

        Response.Headers.WWWAuthenticate = ApiAuthentication.HeaderName;
        await Results.Problem(
            title: "An API key is required.",
            detail: $"Send an active API key in the {ApiAuthentication.HeaderName} header. Admins create and revoke keys in the portal's settings.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

/// <summary>
/// Counts, per client address, the API calls refused for want of a valid key or sign-in (no key, an unknown or revoked
/// key). Past <c>Api:UnauthenticatedRequestsPerMinute</c> in a minute the address is told to wait (429) instead, so a
/// flood of such calls, or a search for keys, is cut off; calls with a valid key are never counted.
/// </summary>
internal sealed class UnauthenticatedCallLimiter(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("Api:UnauthenticatedRequestsPerMinute", 60)),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Count(HttpContext context) =>
        limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    public void Dispose() => limiter.Dispose();
}
