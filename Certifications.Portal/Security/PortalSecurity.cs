using System.Threading.RateLimiting;
using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Certifications.Portal.Security;

/// <summary>Sign-in, roles, and the hardening every response gets.</summary>
internal static class PortalSecurity
{
    public const string SignInPath = "/account/sign-in";
    public const string SignInRateLimit = "sign-in";

    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, IWebHostEnvironment environment)
    {
        // Sign-in cookies and antiforgery tokens are protected by keys kept in the portal's database: every instance
        // behind a load balancer reads the same keys, and a restart or a new machine keeps everyone signed in.
        services.AddDataProtection()
            .SetApplicationName("Certifications")
            .PersistKeysToDbContext<CertificationsDbContext>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<CurrentActor>();
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                AccountPolicy(options);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CertificationsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PortalClaimsFactory>();
        services.AddScoped<IUserConfirmation<PortalUser>, EnabledAccountConfirmation>();

        // Cookies and circuits are re-checked against the account every minute, so a disabled account loses access
        // within minutes. Settings are read when first used, after every configuration source is in.
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IConfiguration>((options, config) => options.ValidationInterval = RevalidationInterval(config));
        services.AddOptions<RevalidationOptions>()
            .Configure<IConfiguration>((options, config) => options.Interval = RevalidationInterval(config));
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = "/account/access-denied";
            options.Cookie.Name = "certifications.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.Events.OnRedirectToLogin = context => RefuseOrRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context =>
            {
                // A page answers 403 and the status pages render the access-denied page for it.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(SignInPath, StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Security:SignInAttemptsPerMinute", 20),
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                        })
                    : RateLimitPartition.GetNoLimiter("other"));
        });

        if (!environment.IsDevelopment())
        {
            services.AddHsts(options =>
            {
                options.MaxAge = TimeSpan.FromDays(365);
                options.IncludeSubDomains = true;
            });
        }

        return services;
    }

    /// <summary>The password, lockout and user rules of every account.</summary>
    public static void AccountPolicy(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.User.RequireUniqueEmail = true;

        // Length protects better than composition rules, which push people to predictable patterns.
        options.Password.RequiredLength = 12;
        options.Password.RequiredUniqueChars = 4;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
    }

    private static TimeSpan RevalidationInterval(IConfiguration configuration) =>
        TimeSpan.FromMinutes(configuration.GetValue("Security:RevalidationMinutes", 1.0));

    /// <summary>Headers every response carries: no framing, no sniffing, scripts only from this site.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            });
            await next();
        });

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/sign-out", async (SignInManager<PortalUser> signIn, IAntiforgery antiforgery, HttpContext context) =>
        {
            // The endpoint binds no form field, so the framework would not check the token by itself: a forged post
            // from another site must not sign anyone out.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem("The sign-out form has expired. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect(SignInPath);
        });

        // The portal's front door sends each person to their own home.
        endpoints.MapGet("/", (HttpContext context) =>
        {
            var actor = Actor.From(context.User);
            return Results.LocalRedirect(HomeOf(actor));
        }).AllowAnonymous();
        return endpoints;
    }

    public static string HomeOf(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return !actor.IsSignedIn ? SignInPath
            : actor.IsAdmin ? "/admin"
            : actor.IsManager ? "/manage"
            : "/me";
    }

    /// <summary>Only a path on this site may be returned to after sign-in; anything else goes home.</summary>
    public static bool IsLocalPath(string? path) =>
        !string.IsNullOrEmpty(path) && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'));

    private static Task RefuseOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
