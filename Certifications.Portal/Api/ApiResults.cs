using System.Text.Json;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Security;
using Microsoft.Net.Http.Headers;

namespace Certifications.Portal.Api;

/// <summary>
/// The answers the catalog endpoints share. Concurrency works with HTTP's own headers: a read answers the entity's
/// version in <c>ETag</c>; a change sends it back in <c>If-Match</c> and is refused with 409, naming who changed the
/// entity meanwhile, when it is no longer the current one.
/// </summary>
internal static class ApiResults
{
    /// <summary>Names of the core's draft fields that the API spells differently.</summary>
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        [nameof(CourseDraft.IsPublished)] = "published",
        [nameof(CourseDraft.IsTrigger)] = "trigger",
        [nameof(StepDraft.IsGraded)] = "graded",
    };

    public static string ETagOf(Guid version) => $"\"{version:D}\"";

    /// <summary>The entity with its version in the ETag header.</summary>
    public static IResult Versioned<T>(HttpContext context, T body, Guid version, int status = StatusCodes.Status200OK, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = ETagOf(version);
        return status == StatusCodes.Status201Created ? Results.Created(location, body) : Results.Ok(body);
    }

    /// <summary>The version an If-Match header names, or the problem to answer when it names none.</summary>
    public static (Guid Version, IResult? Refusal) VersionFrom(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return (Guid.Empty, Results.Problem(
                title: "If-Match is required.",
                detail: "Send the ETag of the version you changed, as a GET of this resource answered it, in the If-Match header, so that nobody's change is overwritten unseen.",
                statusCode: StatusCodes.Status428PreconditionRequired));
        }

        var tag = EntityTagHeaderValue.TryParse(ifMatch.Trim(), out var parsed) ? parsed.Tag.ToString().Trim('"') : ifMatch.Trim();
        return Guid.TryParse(tag, out var version)
            ? (version, null)
            : (Guid.Empty, Results.Problem(
                title: "If-Match is not a version of this portal.",
                detail: "Send the ETag header a GET of this resource answered, quotes included, such as \"6f1c2a4e-0b7d-4c59-9a51-3d2f0e8b1c77\".",
                statusCode: StatusCodes.Status400BadRequest));
    }

    /// <summary>404: no <paramref name="what"/> has the id (or the <paramref name="key"/>) asked for.</summary>
    public static IResult NotFound(string what, string key = "id") =>
        Results.Problem(title: $"No such {what}.", detail: $"No {what} has this {key}.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>400: a look-up sent without the query parameter it looks for (<c>?email=</c>, <c>?title=</c>).</summary>
    /// <param name="described">The value in words ("email address"); <paramref name="example"/> one, as it is written in a URL.</param>
    public static IResult MissingQuery(string parameter, string described, string example) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [parameter] = [$"Send the {described} to look for, as ?{parameter}={example}."] },
            title: $"The {parameter} is missing.");

    public static IResult Denied(AccessDeniedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return Results.Problem(title: "Access denied.", detail: ex.Message, statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>A change that saved nothing: 400 with the messages per field, 404, or 409 with who changed it first.</summary>
    public static IResult Refused(CatalogOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Failure switch
        {
            FailureKind.Conflict => Results.Problem(title: "Changed by someone else.", detail: outcome.Message, statusCode: StatusCodes.Status409Conflict),
            FailureKind.NotFound => Results.Problem(title: "Not found.", detail: outcome.Message, statusCode: StatusCodes.Status404NotFound),
            _ => Results.ValidationProblem(
                outcome.Errors.GroupBy(e => FieldPath(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                detail: "Nothing was saved. Each message names the field at fault; an empty field name is about the whole request.",
                title: "The request breaks the catalog's rules."),
        };
    }

    /// <summary>"Steps[2].IsGraded" as the request spells it: "steps[2].graded".</summary>
    public static string FieldPath(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return string.Join('.', field.Split('.').Select(segment =>
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var (name, index) = bracket < 0 ? (segment, "") : (segment[..bracket], segment[bracket..]);
            return (FieldNames.TryGetValue(name, out var renamed) ? renamed : JsonNamingPolicy.CamelCase.ConvertName(name)) + index;
        }));
    }
}
