using System.Globalization;
using System.Threading.RateLimiting;
using Certifications.Core.Auditing;
using Certifications.Core.Certificates;
using Certifications.Core.Security;

namespace Certifications.Portal.Api;

/// <summary>
/// Certificates over HTTP: the PDF download behind the sign-in cookie (a learner their own, a manager their reports', an
/// admin anyone's, as <see cref="AccessGuard.RequireLearnerAccessAsync"/> decides), and the per-address limit of the
/// public verification page, which anyone may open and which must not become a way to try codes in bulk.
/// </summary>
internal static class CertificateEndpoints
{
    public const string VerifyRateLimit = "verify";

    public static IServiceCollection AddCertificateEndpoints(this IServiceCollection services) =>
        services.AddRateLimiter(options => options.AddPolicy(VerifyRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            "verify:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Certificates:VerificationsPerMinute", 30)),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));

    public static IEndpointRouteBuilder MapCertificateDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/certificates/{learnerId:int}/{certificationId:int}/{number:int}", DownloadAsync)
            .RequireAuthorization()
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Where the certificate of period <paramref name="number"/> (1 = the completion) is downloaded.</summary>
    public static string DownloadPath(int learnerId, int certificationId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"/certificates/{learnerId}/{certificationId}/{number}");

    private static async Task<IResult> DownloadAsync(int learnerId, int certificationId, int number, HttpContext context, CertificateService certificates, CancellationToken ct)
    {
        try
        {
            return await certificates.GetDocumentAsync(Actor.From(context.User), learnerId, certificationId, number, ct) is { } file
                ? Results.File(file.Content, "application/pdf", file.FileName)
                : Results.NotFound();
        }
        catch (AccessDeniedException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}
