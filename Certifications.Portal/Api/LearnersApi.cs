using System.ComponentModel;
using Certifications.Core.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace Certifications.Portal.Api;

/// <summary>
/// Learners of the catalog, through the service of the admin's profile card: emails unique whatever their case, a
/// manager never closing a loop in the reporting line, and groups joined or left with the same effects on
/// certifications as from the portal.
/// </summary>
internal static class LearnersApi
{
    private const string Tag = "Learners";

    public static RouteGroupBuilder MapLearnersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/learners", FindAsync)
            .WithName("FindLearner").WithTags(Tag)
            .WithSummary("Find a learner by email")
            .WithDescription("The learner whose email is this one, compared without case: the way to learn a learner's id from another system's records.")
            .Produces<LearnerResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/learners/{learnerId:int}", GetAsync)
            .WithName("GetLearner").WithTags(Tag)
            .WithSummary("Read a learner")
            .WithDescription("The learner's profile, manager and groups, and their version in the ETag header.")
            .Produces<LearnerResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/learners", CreateAsync)
            .WithName("CreateLearner").WithTags(Tag)
            .WithSummary("Create a learner")
            .WithDescription(
                "Joining groups targeted by published certifications assigns them at once. Answers 201 with the learner, "
                + "their address in Location and their version in ETag.")
            .Produces<LearnerResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        api.MapPut("/learners/{learnerId:int}", UpdateAsync)
            .WithName("UpdateLearner").WithTags(Tag)
            .WithSummary("Change a learner's profile, manager and groups")
            .WithDescription(
                "Replaces the name, email, manager (null for none) and groups. Groups joined and left assign and withdraw certifications as from "
                + "the portal (completions are never removed). Needs If-Match.")
            .Produces<LearnerResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<IResult> FindAsync([Description("The learner's email address.")] string? email, HttpContext context, LearnerAdministration learners, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return ApiResults.MissingQuery("email", "email address", "name@example.com");
        }

        var actor = ApiAuthentication.ActorOf(context);
        return await learners.FindByEmailAsync(actor, email, ct) is { } id && await learners.GetForEditAsync(actor, id, ct) is { } learner
            ? ApiResults.Versioned(context, LearnerResponse.From(learner), learner.Draft.Version!.Value)
            : ApiResults.NotFound("learner", "email");
    }

    private static async Task<IResult> GetAsync([Description("The learner's id.")] int learnerId, HttpContext context, LearnerAdministration learners, CancellationToken ct) =>
        await learners.GetForEditAsync(ApiAuthentication.ActorOf(context), learnerId, ct) is { } learner
            ? ApiResults.Versioned(context, LearnerResponse.From(learner), learner.Draft.Version!.Value)
            : ApiResults.NotFound("learner");

    private static async Task<IResult> CreateAsync(LearnerRequest body, HttpContext context, LearnerAdministration learners, CancellationToken ct)
    {
        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await learners.CreateAsync(actor, body.ToDraft(id: null, version: null), ct);
        if (!outcome.Succeeded)
        {
            return ApiResults.Refused(outcome);
        }

        var learner = (await learners.GetForEditAsync(actor, outcome.Id!.Value, ct))!;
        return ApiResults.Versioned(context, LearnerResponse.From(learner), learner.Draft.Version!.Value, StatusCodes.Status201Created, $"/api/v1/learners/{outcome.Id}");
    }

    private static async Task<IResult> UpdateAsync(
        [Description("The learner's id.")] int learnerId,
        LearnerRequest body,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpContext context,
        LearnerAdministration learners,
        CancellationToken ct)
    {
        var (version, refusal) = ApiResults.VersionFrom(ifMatch);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await learners.UpdateAsync(actor, body.ToDraft(learnerId, version), ct);
        if (!outcome.Succeeded)
        {
            return ApiResults.Refused(outcome);
        }

        var learner = (await learners.GetForEditAsync(actor, learnerId, ct))!;
        return ApiResults.Versioned(context, LearnerResponse.From(learner), learner.Draft.Version!.Value);
    }
}

/// <summary>A learner to create, or what a learner's profile becomes.</summary>
internal sealed record LearnerRequest
{
    [Description("At most 200 characters.")]
    public required string Name { get; init; }

    [Description("Unique among learners, whatever its case; a plain address such as name@example.com.")]
    public required string Email { get; init; }

    [Description("The learner id of their manager, or null for none. Never themselves, never someone who reports to them.")]
    public required int? ManagerId { get; init; }

    [Description("Every group the learner is a member of: groups left out are left.")]
    public required IReadOnlyList<int> GroupIds { get; init; }

    public LearnerDraft ToDraft(int? id, Guid? version) => new()
    {
        Id = id,
        Version = version,
        Name = Name,
        Email = Email,
        ManagerId = ManagerId,
        GroupIds = [.. GroupIds],
    };
}

internal sealed record LearnerResponse(int Id, Guid Version, string Name, string Email, int? ManagerId, IReadOnlyList<int> GroupIds)
{
    public static LearnerResponse From(LearnerForEdit learner)
    {
        ArgumentNullException.ThrowIfNull(learner);
        var draft = learner.Draft;
        return new(draft.Id!.Value, draft.Version!.Value, draft.Name, draft.Email, draft.ManagerId, draft.GroupIds);
    }
}
