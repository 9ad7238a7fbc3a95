using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Certifications.Portal.Api;

/// <summary>
/// What every request under <c>/api</c> goes through: a body larger than <c>Api:MaxRequestBodyBytes</c> is refused
/// with 413 before anything reads it, a request the framework cannot read (malformed JSON, a missing field) becomes a
/// 400 with its reason, and every error without a body of its own (404, 405, 415, ...) gets a problem+json body
/// instead of the portal's HTML status pages. A fault of the portal's own is logged under an error id and answered with
/// a problem+json 500 that names it, never with an HTML error page or a stack trace.
/// </summary>
internal sealed class ApiRequestGuard(RequestDelegate next, IConfiguration configuration, ILogger<ApiRequestGuard> logger)
{
    public const long DefaultMaxRequestBodyBytes = 4 * 1024 * 1024;

    private readonly long maxBodyBytes = Math.Max(1, configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes));

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        // A declared length over the limit is refused before anything is read; a body without one is stopped at the limit
        // while it is read, by the server where it can (Kestrel) and by the body's own count wherever it runs.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBodyBytes;
        }

        if (context.Request.ContentLength > maxBodyBytes)
        {
            await TooLarge().ExecuteAsync(context);
            return;
        }

        if (context.Request.ContentLength is null)
        {
            context.Request.Body = new CappedBody(context.Request.Body, maxBodyBytes);
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var problem = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : Results.Problem(title: "The request could not be read.", detail: Reason(ex), statusCode: ex.StatusCode);
            await problem.ExecuteAsync(context);
            return;
        }
#pragma warning disable CA1031 // The caller gets a problem+json answer naming the logged fault; the host would send an HTML page.
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            var errorId = context.TraceIdentifier;
            PortalLog.ApiRequestFailed(logger, context.Request.Method, context.Request.Path, errorId, ex);
            context.Response.Clear();
            await Results.Problem(
                title: "The portal could not complete the request.",
                detail: $"Every change is saved whole or not at all, so check the state and try again. If it happens again, quote error id {errorId} to your administrator.",
                statusCode: StatusCodes.Status500InternalServerError,
                extensions: new Dictionary<string, object?> { ["errorId"] = errorId }).ExecuteAsync(context);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null or 0)
        {
            var status = context.Response.StatusCode;
            await (status == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : Results.Problem(title: ReasonPhrases.GetReasonPhrase(status), detail: Detail(status), statusCode: status)).ExecuteAsync(context);
        }
    }

    private IResult TooLarge() => Results.Problem(
        title: "The request body is too large.",
        detail: string.Create(CultureInfo.InvariantCulture, $"A request to the API can carry at most {maxBodyBytes:N0} bytes. Nothing was recorded: send smaller batches."),
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The framework's reason, with the JSON reader's (which names the field and the position) when there is one.</summary>
    private static string Reason(BadHttpRequestException ex) =>
        ex.InnerException is System.Text.Json.JsonException json ? $"{ex.Message} {json.Message}" : ex.Message;

    private static string Detail(int status) => status switch
    {
        StatusCodes.Status404NotFound => "There is no such endpoint. The OpenAPI document at /openapi/v1.json lists every one.",
        StatusCodes.Status405MethodNotAllowed => "This endpoint does not take this HTTP method. The OpenAPI document at /openapi/v1.json lists what it takes.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with Content-Type: application/json.",
        _ => "The request was refused.",
    };
}

/// <summary>A request body that refuses to be read past the limit, as Kestrel refuses one (413).</summary>
internal sealed class CappedBody(Stream inner, long limit) : Stream
{
    private long read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int bytes)
    {
        read += bytes;
        return read > limit
            ? throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge)
            : bytes;
    }
}
