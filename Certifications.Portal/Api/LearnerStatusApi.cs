using System.ComponentModel;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Security;

namespace Certifications.Portal.Api;

/// <summary>
/// A learner's certifications as their profile panel shows them, read by the same service with the same rights: an API
/// key reads any learner; through the portal's sign-in a learner reads themselves, a manager the learners in their
/// reporting line, an admin anyone. Invisible certifications are listed, marked, to everyone but the learner themselves.
/// </summary>
internal static class LearnerStatusApi
{
    public static RouteGroupBuilder MapLearnerStatusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/learners/{learnerId:int}/certifications", GetAsync)
            .WithName("GetLearnerCertifications").WithTags("Learners")
            .WithSummary("Read a learner's certifications and their status")
            .WithDescription(
                "Every certification the learner holds now, as the rules see it at the time of the call: status with its explanation, courses satisfied "
                + "of those required, each course's grade against the minimum, and the completion, expiry and due dates (calendar dates in the "
                + "organisation's time zone). Takes an API key, or the portal's sign-in cookie: a learner reads only themselves and a manager only the "
                + "learners in their reporting line (403 otherwise).")
            .Produces<LearnerCertificationsResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> GetAsync([Description("The learner's id.")] int learnerId, HttpContext context, LearnerPanelService panels, CancellationToken ct)
    {
        try
        {
            return await panels.GetPanelAsync(ApiAuthentication.ActorOf(context), learnerId, ct) is { } panel
                ? Results.Ok(LearnerCertificationsResponse.From(panel))
                : ApiResults.NotFound("learner");
        }
        catch (AccessDeniedException ex)
        {
            return ApiResults.Denied(ex);
        }
    }
}

internal sealed record LearnerCertificationsResponse(int LearnerId, string Name, string Email, IReadOnlyList<LearnerCertificationResponse> Certifications)
{
    public static LearnerCertificationsResponse From(LearnerPanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return new(panel.LearnerId, panel.Name, panel.Email, [.. panel.Certifications.Select(LearnerCertificationResponse.From)]);
    }
}

internal sealed record LearnerCertificationResponse(
    int CertificationId,
    string Name,
    [property: Description("Learners are assigned and tracked but never see it; admins, managers and API clients do.")] bool Invisible,
    AssignmentStatus Status,
    [property: Description("The status in one sentence, as the learner's panel explains it.")] string Summary,
    int CoursesSatisfied,
    int CoursesRequired,
    decimal MinimumPassingGrade,
    [property: Description("Months between renewals; null for a one-time certification.")] int? RenewalPeriodMonths,
    DateOnly EffectiveFrom,
    [property: Description("The day results start counting toward the current period.")] DateOnly CountsFrom,
    [property: Description("One-time certifications only: the last day to complete it.")] DateOnly? DueDate,
    [property: Description("The day of the latest completion.")] DateOnly? CompletedOn,
    [property: Description("Renewing certifications: the day the current completion expires.")] DateOnly? ExpiresOn,
    [property: Description("Renewing certifications: the day replays start counting toward the next period.")] DateOnly? RenewalWindowOpensOn,
    IReadOnlyList<LearnerCourseResponse> Courses)
{
    public static LearnerCertificationResponse From(PanelCertification c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(
            c.CertificationId,
            c.Name,
            c.IsInvisible,
            c.Status,
            c.Summary,
            c.CoursesSatisfied,
            c.CoursesRequired,
            c.MinimumPassingGrade,
            c.RenewalPeriodMonths,
            c.EffectiveFrom,
            c.CountsFrom,
            c.DueDate,
            c.CompletedOn,
            c.ExpiresOn,
            c.RenewalWindowOpensOn,
            [.. c.Courses.Select(course => new LearnerCourseResponse(
                course.CourseId, course.Title, course.Grade, course.MinimumPassingGrade, course.IsSatisfied, course.GradedSteps, course.GradedStepsWithResult, course.Reason))]);
    }
}

internal sealed record LearnerCourseResponse(
    int CourseId,
    string Title,
    [property: Description("The mean of the best score of each graded step in the counting window; null while no graded step has a result there.")] decimal? Grade,
    decimal MinimumPassingGrade,
    bool Satisfied,
    int GradedSteps,
    int GradedStepsWithResult,
    [property: Description("Why the course is or is not satisfied.")] string Reason);
