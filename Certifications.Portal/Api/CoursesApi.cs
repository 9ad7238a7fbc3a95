using System.ComponentModel;
using Certifications.Core.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace Certifications.Portal.Api;

/// <summary>
/// Courses and their steps, as the admin's course page edits them, through the same service: the same rules, the same
/// audit trail (under the key's name) and the same effects on certifications (progress recomputed when grading changes).
/// </summary>
internal static class CoursesApi
{
    private const string Tag = "Courses";

    public static RouteGroupBuilder MapCoursesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/courses", FindAsync)
            .WithName("FindCourse").WithTags(Tag)
            .WithSummary("Find a course by title")
            .WithDescription(
                "The course whose title is this one, compared without case or surrounding spaces (titles are unique so): the way to learn a "
                + "course's id, and its steps' ids for sending results, from another system's records.")
            .Produces<CourseResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/courses/{id:int}", GetAsync)
            .WithName("GetCourse").WithTags(Tag)
            .WithSummary("Read a course")
            .WithDescription("The course with its steps in order, and its version in the ETag header (send it back in If-Match to change the course).")
            .Produces<CourseResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/courses", CreateAsync)
            .WithName("CreateCourse").WithTags(Tag)
            .WithSummary("Create a course with its steps")
            .WithDescription("Titles are unique among courses whatever their case. Answers 201 with the course, its address in Location and its version in ETag.")
            .Produces<CourseResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        api.MapPut("/courses/{id:int}", UpdateAsync)
            .WithName("UpdateCourse").WithTags(Tag)
            .WithSummary("Change a course's title, switches and steps")
            .WithDescription(
                "Replaces the title, the published and trigger switches and the steps: a step with an id keeps its results and is renamed, "
                + "graded or moved; a step without an id is added; a stored step left out is removed, which is refused while learners have results on it. "
                + "Grading changes recompute the progress of the certifications that include the course. Needs If-Match.")
            .Produces<CourseResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<IResult> FindAsync([Description("The course's title.")] string? title, HttpContext context, CourseAdministration courses, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return ApiResults.MissingQuery("title", "title", "Safety%20101");
        }

        var actor = ApiAuthentication.ActorOf(context);
        return await courses.FindByTitleAsync(actor, title, ct) is { } id && await courses.GetForEditAsync(actor, id, ct) is { } course
            ? ApiResults.Versioned(context, CourseResponse.From(course), course.Draft.Version!.Value)
            : ApiResults.NotFound("course", "title");
    }

    private static async Task<IResult> GetAsync([Description("The course's id.")] int id, HttpContext context, CourseAdministration courses, CancellationToken ct) =>
        await courses.GetForEditAsync(ApiAuthentication.ActorOf(context), id, ct) is { } course
            ? ApiResults.Versioned(context, CourseResponse.From(course), course.Draft.Version!.Value)
            : ApiResults.NotFound("course");

    private static async Task<IResult> CreateAsync(CourseRequest body, HttpContext context, CourseAdministration courses, CancellationToken ct)
    {
        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await courses.CreateAsync(actor, body.ToDraft(id: null, version: null), ct);
        if (!outcome.Succeeded)
        {
            return ApiResults.Refused(outcome);
        }

        var course = (await courses.GetForEditAsync(actor, outcome.Id!.Value, ct))!;
        return ApiResults.Versioned(context, CourseResponse.From(course), course.Draft.Version!.Value, StatusCodes.Status201Created, $"/api/v1/courses/{outcome.Id}");
    }

    private static async Task<IResult> UpdateAsync(
        [Description("The course's id.")] int id,
        CourseRequest body,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpContext context,
        CourseAdministration courses,
        CancellationToken ct)
    {
        var (version, refusal) = ApiResults.VersionFrom(ifMatch);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await courses.UpdateAsync(actor, body.ToDraft(id, version), ct);
        if (!outcome.Succeeded)
        {
            return ApiResults.Refused(outcome);
        }

        var course = (await courses.GetForEditAsync(actor, id, ct))!;
        return ApiResults.Versioned(context, CourseResponse.From(course), course.Draft.Version!.Value);
    }
}

/// <summary>A course to create, or what a course becomes.</summary>
internal sealed record CourseRequest
{
    [Description("Unique among courses, whatever its case; at most 200 characters.")]
    public required string Title { get; init; }

    [Description("Published courses can be included in certifications and are offered to learners.")]
    public required bool Published { get; init; }

    [Description("A trigger course is started by an event and can never be part of a certification.")]
    public required bool Trigger { get; init; }

    [Description("Every step of the course, in the order learners play them (at most 100).")]
    public required IReadOnlyList<StepRequest> Steps { get; init; }

    public CourseDraft ToDraft(int? id, Guid? version) => new()
    {
        Id = id,
        Version = version,
        Title = Title,
        IsPublished = Published,
        IsTrigger = Trigger,
        Steps = [.. Steps.Select(s => new StepDraft { Id = s.Id, Title = s.Title, IsGraded = s.Graded })],
    };
}

internal sealed record StepRequest
{
    [Description("The id of a stored step of this course to keep; leave it out to add a step.")]
    public int? Id { get; init; }

    [Description("At most 200 characters.")]
    public required string Title { get; init; }

    [Description("Only graded steps count toward certifications.")]
    public required bool Graded { get; init; }
}

internal sealed record CourseResponse(int Id, Guid Version, string Title, bool Published, bool Trigger, IReadOnlyList<StepResponse> Steps)
{
    public static CourseResponse From(CourseForEdit course)
    {
        ArgumentNullException.ThrowIfNull(course);
        var draft = course.Draft;
        return new(
            draft.Id!.Value,
            draft.Version!.Value,
            draft.Title,
            draft.IsPublished,
            draft.IsTrigger,
            [.. draft.Steps.Select(s => new StepResponse(s.Id!.Value, s.Title, s.IsGraded, s.ResultCount))]);
    }
}

internal sealed record StepResponse(
    int Id,
    string Title,
    bool Graded,
    [property: Description("How many results learners have on the step: a step with results cannot be removed.")] int Results);
