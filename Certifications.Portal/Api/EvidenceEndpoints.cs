using System.Globalization;
using Certifications.Core.Auditing;
using Certifications.Core.History;
using Certifications.Core.Security;

namespace Certifications.Portal.Api;

/// <summary>
/// The file an admin attached as evidence when marking a learner's certification complete, behind the sign-in cookie:
/// an admin, or the learner themself, as <see cref="RecordCorrections.GetEvidenceFileAsync"/> decides. Always a download
/// (never shown in the portal's own origin), of the content type it was accepted with.
/// </summary>
internal static class EvidenceEndpoints
{
    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/evidence/{recordId:long}", DownloadAsync)
            .RequireAuthorization()
            .ExcludeFromDescription();
        return endpoints;
    }

    public static string DownloadPath(long recordId) => string.Create(CultureInfo.InvariantCulture, $"/evidence/{recordId}");

    private static async Task<IResult> DownloadAsync(long recordId, HttpContext context, RecordCorrections corrections, CancellationToken ct)
    {
        try
        {
            if (await corrections.GetEvidenceFileAsync(Actor.From(context.User), recordId, ct) is not { } file)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.File(file.Content, file.ContentType, file.FileName);
        }
        catch (AccessDeniedException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}
