using System.Globalization;
using Certifications.Core.Auditing;
using Certifications.Core.Exports;
using Certifications.Core.Security;
using Certifications.Core.Time;

namespace Certifications.Portal.Exports;

/// <summary>
/// The admins' CSV downloads behind the sign-in cookie: a certification's learners, and the audit trail of a certification
/// or of a learner. Whoever is not signed in is sent to sign in; whoever is not an admin gets 403 (and the refusal is
/// audited). The file is streamed as the rows are read.
/// </summary>
internal static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder endpoints)
    {
        var exports = endpoints.MapGroup("/exports").RequireAuthorization().ExcludeFromDescription();
        exports.MapGet("/certifications/{certificationId:int}/learners", CertificationLearnersAsync);
        exports.MapGet("/certifications/{certificationId:int}/audit-trail", CertificationAuditTrailAsync);
        exports.MapGet("/learners/{learnerId:int}/audit-trail", LearnerAuditTrailAsync);
        return endpoints;
    }

    public static string CertificationLearnersPath(int certificationId) =>
        string.Create(CultureInfo.InvariantCulture, $"/exports/certifications/{certificationId}/learners");

    public static string CertificationAuditTrailPath(int certificationId) =>
        string.Create(CultureInfo.InvariantCulture, $"/exports/certifications/{certificationId}/audit-trail");

    public static string LearnerAuditTrailPath(int learnerId) =>
        string.Create(CultureInfo.InvariantCulture, $"/exports/learners/{learnerId}/audit-trail");

    private static Task<IResult> CertificationLearnersAsync(int certificationId, HttpContext context, RecordExports exports) =>
        FileAsync(context, "learners", ct => exports.CertificationLearnersAsync(Actor.From(context.User), certificationId, ct), ExportCsv.WriteLearnersAsync);

    private static Task<IResult> CertificationAuditTrailAsync(int certificationId, HttpContext context, RecordExports exports) =>
        FileAsync(context, "audit trail", ct => exports.CertificationAuditTrailAsync(Actor.From(context.User), certificationId, ct), ExportCsv.WriteAuditTrailAsync);

    private static Task<IResult> LearnerAuditTrailAsync(int learnerId, HttpContext context, RecordExports exports) =>
        FileAsync(context, "audit trail", ct => exports.LearnerAuditTrailAsync(Actor.From(context.User), learnerId, ct), ExportCsv.WriteAuditTrailAsync);

    /// <summary>Checks access and finds the subject before the response starts, so a refusal is a plain 403 or 404.</summary>
    private static async Task<IResult> FileAsync<TRow>(
        HttpContext context,
        string what,
        Func<CancellationToken, Task<Export<TRow>?>> open,
        Func<Stream, IAsyncEnumerable<TRow>, CancellationToken, Task> write)
    {
        var ct = context.RequestAborted;
        Export<TRow>? export;
        try
        {
            export = await open(ct);
        }
        catch (AccessDeniedException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (export is null)
        {
            return Results.NotFound();
        }

        // The rows name people: no cache keeps a copy.
        context.Response.Headers.CacheControl = "no-store";
        var services = context.RequestServices;
        var today = services.GetRequiredService<OrganisationCalendar>().DateOf(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        return Results.Stream(body => write(body, export.Rows, ct), "text/csv; charset=utf-8", FileName(export.Name, what, today));
    }

    internal static string FileName(string name, string what, DateOnly today)
    {
        var safe = string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) ? '-' : c));
        return string.Create(CultureInfo.InvariantCulture, $"{safe} - {what} {today:yyyy-MM-dd}.csv");
    }
}
