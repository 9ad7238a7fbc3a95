using System.Security.Cryptography;
using Microsoft.AspNetCore.Diagnostics;

namespace Certifications.Portal.Errors;

/// <summary>
/// An unexpected error is logged with an id that the error page shows, so that what a user quotes leads to the entry
/// in the log: the request's trace identifier for a plain request, a new id for an error inside an interactive page.
/// </summary>
internal static class UnexpectedErrors
{
    /// <summary>The id of an error inside an interactive page: short enough to read out, unique enough to find.</summary>
    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6));

    public static IServiceCollection AddUnexpectedErrorLog(this IServiceCollection services) =>
        services.AddExceptionHandler<RequestErrorLog>();

    /// <summary>Logs the failed request under its trace identifier; the exception handler then shows /Error, which quotes it.</summary>
    private sealed class RequestErrorLog(ILogger<RequestErrorLog> logger) : IExceptionHandler
    {
        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            // The handler runs with the request already pointed at /Error: the feature keeps the path that failed.
            var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value;
            PortalLog.UnexpectedError(logger, httpContext.TraceIdentifier, $"{httpContext.Request.Method} {path}", exception);
            return ValueTask.FromResult(false);
        }
    }
}
