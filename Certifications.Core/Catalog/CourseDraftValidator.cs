using FluentValidation;

namespace Certifications.Core.Catalog;

/// <summary>The facts about the stored catalog that a course's rules need, read by the service before it saves.</summary>
/// <param name="TitleInUse">Another course already has this title (compared without case or surrounding spaces).</param>
/// <param name="IncludedIn">Names of the certifications (not deleted) that include the course.</param>
/// <param name="StoredSteps">The course's steps as stored, by id, with how many results learners have on each.</param>
public sealed record CourseFacts(bool TitleInUse, IReadOnlyList<string> IncludedIn, IReadOnlyDictionary<int, StoredStep> StoredSteps)
{
    public static CourseFacts None { get; } = new(false, [], new Dictionary<int, StoredStep>());
}

public sealed record StoredStep(int Id, string Title, bool IsGraded, int ResultCount);

/// <summary>
/// Every rule of a course and its steps. The editor runs it field by field without the stored facts; the service runs
/// it whole with them before it saves.
/// </summary>
public sealed class CourseDraftValidator : AbstractValidator<CourseDraft>
{
    public const int TitleMaxLength = 200;
    public const int MaxSteps = 100;

    public CourseDraftValidator()
        : this(CourseFacts.None)
    {
    }

    public CourseDraftValidator(CourseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);

        RuleFor(d => d.Title)
            .Must(title => !string.IsNullOrWhiteSpace(title)).WithMessage("Enter the course title: admins find the course by it, and learners see it.")
            .DependentRules(() =>
            {
                RuleFor(d => d.Title)
                    .Must(title => title.Trim().Length <= TitleMaxLength).WithMessage($"The title can be at most {TitleMaxLength} characters long.")
                    .Must(_ => !facts.TitleInUse)
                    .WithMessage(d => $"Another course is already called \u201c{d.Title.Trim()}\u201d. Choose a different title so admins can tell them apart.");
            });

        RuleFor(d => d.IsTrigger)
            .Must((d, trigger) => !trigger || facts.IncludedIn.Count == 0)
            .WithMessage(_ =>
                $"This course is part of {CatalogVersions.Quoted(facts.IncludedIn)}: a trigger course is started by an event and can never be part of a certification. "
                + "Remove it from those certifications first.");

        RuleFor(d => d.Steps)
            .Must(steps => steps.Count <= MaxSteps).WithMessage($"A course can have at most {MaxSteps} steps.")
            .Must(steps => steps.Where(s => s.Id is not null).GroupBy(s => s.Id).All(g => g.Count() == 1)).WithMessage("A step is listed twice.")
            .Custom((steps, context) =>
            {
                if (context.InstanceToValidate.Id is null)
                {
                    return;
                }

                foreach (var step in steps.Where(s => s.Id is { } id && !facts.StoredSteps.ContainsKey(id)))
                {
                    context.AddFailure($"Step #{step.Id} is not part of this course any more: reload the course.");
                }

                var kept = steps.Where(s => s.Id is not null).Select(s => s.Id!.Value).ToHashSet();
                foreach (var removed in facts.StoredSteps.Values.Where(s => !kept.Contains(s.Id) && s.ResultCount > 0))
                {
                    context.AddFailure(
                        $"\u201c{removed.Title}\u201d has {CatalogVersions.Count(removed.ResultCount, "result")} from learners, so it cannot be removed: results are never deleted. "
                        + "Keep it, and make it ungraded if it should no longer count.");
                }
            });

        RuleForEach(d => d.Steps).SetValidator(new StepDraftValidator());
    }
}

/// <summary>The rules of one step: the editor checks each step's title with it as it is typed.</summary>
public sealed class StepDraftValidator : AbstractValidator<StepDraft>
{
    public const int TitleMaxLength = 200;

    public StepDraftValidator()
    {
        RuleFor(s => s.Title)
            .Must(title => !string.IsNullOrWhiteSpace(title)).WithMessage("Enter the step's title.")
            .Must(title => title is null || title.Trim().Length <= TitleMaxLength).WithMessage($"A step title can be at most {TitleMaxLength} characters long.");
    }
}
