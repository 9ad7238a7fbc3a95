using System.ComponentModel;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Microsoft.AspNetCore.Mvc;

namespace Certifications.Portal.Api;

/// <summary>
/// Groups and their members, through the service the admin's group page uses: members joining a group targeted by
/// published certifications are assigned them, and those leaving lose unfinished ones held through it alone, in the
/// same transaction as the change.
/// </summary>
internal static class GroupsApi
{
    private const string Tag = "Groups";

    public static RouteGroupBuilder MapGroupsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/groups/{id:int}", GetAsync)
            .WithName("GetGroup").WithTags(Tag)
            .WithSummary("Read a group")
            .WithDescription("The group's name, member count, courses and the certifications targeting it, and its version in the ETag header.")
            .Produces<GroupResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/groups/{id:int}/members", MembersAsync)
            .WithName("ListGroupMembers").WithTags(Tag)
            .WithSummary("List a group's members")
            .WithDescription("One page of members in name order, optionally those whose name or email contains the search text.")
            .Produces<GroupMembersResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/groups", CreateAsync)
            .WithName("CreateGroup").WithTags(Tag)
            .WithSummary("Create a group")
            .WithDescription("Names are unique among groups whatever their case. Answers 201 with the group, its address in Location and its version in ETag.")
            .Produces<GroupResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        api.MapPut("/groups/{id:int}", RenameAsync)
            .WithName("RenameGroup").WithTags(Tag)
            .WithSummary("Rename a group")
            .WithDescription("Needs If-Match.")
            .Produces<GroupResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/groups/{id:int}/members", ChangeMembersAsync)
            .WithName("ChangeGroupMembers").WithTags(Tag)
            .WithSummary("Add and remove members")
            .WithDescription(
                $"Adds and removes up to {GroupAdministration.MaxMembersPerChange} learners in one change. Adding a member or removing a non-member changes nothing. "
                + "Joining a group targeted by published certifications assigns them; leaving withdraws unfinished assignments held through this group alone "
                + "(completions are never removed). Needs If-Match; the learners' own versions change too.")
            .Produces<GroupResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<IResult> GetAsync([Description("The group's id.")] int id, HttpContext context, GroupAdministration groups, CancellationToken ct) =>
        await groups.GetForEditAsync(ApiAuthentication.ActorOf(context), id, ct) is { } group
            ? ApiResults.Versioned(context, GroupResponse.From(group), group.Version)
            : ApiResults.NotFound("group");

    private static async Task<IResult> MembersAsync(
        [Description("The group's id.")] int id,
        [Description("Only members whose name or email contains this text.")] string? search,
        [Description("The page, from 0.")] int? page,
        [Description("Members per page, at most 100 (default 50).")] int? pageSize,
        HttpContext context,
        GroupAdministration groups,
        CancellationToken ct)
    {
        var actor = ApiAuthentication.ActorOf(context);
        if (await groups.GetForEditAsync(actor, id, ct) is null)
        {
            return ApiResults.NotFound("group");
        }

        var members = await groups.MembersAsync(actor, id, search, Math.Max(0, page ?? 0), pageSize ?? 50, ct);
        return Results.Ok(new GroupMembersResponse(
            [.. members.Items.Select(m => new GroupMemberResponse(m.LearnerId, m.Name, m.Email, DateTime.SpecifyKind(m.JoinedAt, DateTimeKind.Utc)))], members.Total, members.PageIndex, members.PageSize));
    }

    private static async Task<IResult> CreateAsync(GroupRequest body, HttpContext context, GroupAdministration groups, CancellationToken ct)
    {
        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await groups.CreateAsync(actor, new GroupDraft { Name = body.Name }, ct);
        return outcome.Succeeded
            ? await AnswerAsync(context, groups, actor, outcome.Id!.Value, StatusCodes.Status201Created, ct)
            : ApiResults.Refused(outcome);
    }

    private static async Task<IResult> RenameAsync(
        [Description("The group's id.")] int id,
        GroupRequest body,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpContext context,
        GroupAdministration groups,
        CancellationToken ct)
    {
        var (version, refusal) = ApiResults.VersionFrom(ifMatch);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await groups.RenameAsync(actor, id, version, new GroupDraft { Name = body.Name }, ct);
        return outcome.Succeeded ? await AnswerAsync(context, groups, actor, id, StatusCodes.Status200OK, ct) : ApiResults.Refused(outcome);
    }

    private static async Task<IResult> ChangeMembersAsync(
        [Description("The group's id.")] int id,
        MembersRequest body,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpContext context,
        GroupAdministration groups,
        CancellationToken ct)
    {
        var (version, refusal) = ApiResults.VersionFrom(ifMatch);
        if (refusal is not null)
        {
            return refusal;
        }

        var actor = ApiAuthentication.ActorOf(context);
        var outcome = await groups.ChangeMembersAsync(actor, id, version, body.Add ?? [], body.Remove ?? [], ct);
        return outcome.Succeeded ? await AnswerAsync(context, groups, actor, id, StatusCodes.Status200OK, ct) : ApiResults.Refused(outcome);
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, GroupAdministration groups, Core.Auditing.Actor actor, int id, int status, CancellationToken ct)
    {
        var group = (await groups.GetForEditAsync(actor, id, ct))!;
        return ApiResults.Versioned(context, GroupResponse.From(group), group.Version, status, $"/api/v1/groups/{id}");
    }
}

/// <summary>A group to create, or its new name.</summary>
internal sealed record GroupRequest
{
    [Description("Unique among groups, whatever its case; at most 100 characters.")]
    public required string Name { get; init; }
}

/// <summary>Learners to add to the group and learners to remove from it, by learner id.</summary>
internal sealed record MembersRequest
{
    public IReadOnlyList<int>? Add { get; init; }

    public IReadOnlyList<int>? Remove { get; init; }
}

internal sealed record GroupResponse(
    int Id,
    Guid Version,
    string Name,
    int MemberCount,
    IReadOnlyList<GroupCourseResponse> Courses,
    IReadOnlyList<TargetingCertificationResponse> TargetedBy)
{
    public static GroupResponse From(GroupForEdit group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new(
            group.Id,
            group.Version,
            group.Name,
            group.MemberCount,
            [.. group.Courses.Select(c => new GroupCourseResponse(c.CourseId, c.Title, c.IsPublished, c.IsTrigger))],
            [.. group.TargetedBy.Select(t => new TargetingCertificationResponse(t.Id, t.Name, t.State))]);
    }
}

internal sealed record GroupCourseResponse(int Id, string Title, bool Published, bool Trigger);

internal sealed record TargetingCertificationResponse(int Id, string Name, CertificationState State);

internal sealed record GroupMembersResponse(IReadOnlyList<GroupMemberResponse> Items, int Total, int Page, int PageSize);

internal sealed record GroupMemberResponse(int LearnerId, string Name, string Email, [property: Description("When the learner joined the group, in UTC.")] DateTime JoinedAt);
