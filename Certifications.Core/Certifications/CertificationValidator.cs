using Certifications.Core.Renewals;
using FluentValidation;

namespace Certifications.Core.Certifications;

public enum ValidationPurpose
{
    /// <summary>Saving a draft: every field must be valid, but the certification may still be incomplete.</summary>
    Save,

    /// <summary>Publishing, or saving a published certification: it must also be complete enough to assign.</summary>
    Publish,
}

/// <summary>
/// Every rule of a certification. The wizard runs it field by field as the admin types; the service runs it whole
/// before every save and publish, so the server never trusts the UI.
/// </summary>
public sealed class CertificationValidator : AbstractValidator<CertificationDraft>
{
    public const int NameMinLength = 3;
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 2000;
    public const int MaxGraceDays = 365;

    public CertificationValidator(CatalogFacts facts, ValidationPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(facts);

        RuleFor(d => d.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter a name: learners see it on their profile.")
            .DependentRules(() =>
            {
                RuleFor(d => d.Name)
                    .Must(name => name.Trim().Length is >= NameMinLength and <= NameMaxLength)
                    .WithMessage($"The name must be {NameMinLength} to {NameMaxLength} characters long.")
                    .Must(name => !facts.NamesInUse.Contains(CertificationDraft.NormalizeName(name)))
                    .WithMessage(d => $"Another certification is already called \u201c{d.Name.Trim()}\u201d. Choose a different name.");
            });

        RuleFor(d => d.Description)
            .Must(text => text is null || text.Length <= DescriptionMaxLength)
            .WithMessage(d => $"The description can be at most {DescriptionMaxLength:N0} characters; it has {d.Description!.Length:N0}.");

        RuleFor(d => d.EffectiveFrom)
            .NotNull().WithMessage("Choose the date the certification officially starts.");

        RuleFor(d => d.DueDate)
            .Must((d, due) => due is null || d.EffectiveFrom is null || due >= d.EffectiveFrom)
            .WithMessage(d => $"The due date cannot be before Effective From ({d.EffectiveFrom:d MMM yyyy}).")
            .Must((d, due) => due is null || !d.RenewalRequired)
            .WithMessage("A due date applies only to one-time certifications: clear it, or turn renewal off.");

        RuleFor(d => d.GraceDays)
            .InclusiveBetween(0, MaxGraceDays).WithMessage($"The grace period must be between 0 and {MaxGraceDays} days.");

        RuleFor(d => d.RenewalPeriodMonths)
            .Must((d, months) => !d.RenewalRequired || (months is { } m && RenewalRules.AllowedPeriodMonths.Contains(m)))
            .WithMessage("Choose how often it must be renewed: every 1, 3, 6 or 12 months.")
            .Must((d, months) => d.RenewalRequired || months is null)
            .WithMessage("A renewal period applies only when renewal is required.");

        RuleFor(d => d.RenewalWindowDays)
            .Must((d, days) => !d.RenewalRequired || d.RenewalPeriodMonths is not { } m || !RenewalRules.AllowedPeriodMonths.Contains(m)
                || (days >= 0 && days <= RenewalRules.MaxWindowDays(m)))
            .WithMessage(d => $"The renewal window must be between 0 and {RenewalRules.MaxWindowDays(d.RenewalPeriodMonths ?? 0)} days: at most half the renewal period.");

        RuleFor(d => d.ReminderDays)
            .InclusiveBetween(1, Notifications.NotificationSettings.MaxReminderDays)
            .WithMessage($"Reminders go between 1 and {Notifications.NotificationSettings.MaxReminderDays} days before the due date.");

        RuleFor(d => d.MinimumPassingGrade)
            .InclusiveBetween(0m, 100m).WithMessage("The minimum passing grade must be between 0 and 100 %.");

        RuleFor(d => d.CourseIds)
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("A course is included twice.")
            .Custom((ids, context) =>
            {
                foreach (var id in ids.Distinct())
                {
                    if (!facts.Courses.TryGetValue(id, out var course))
                    {
                        context.AddFailure($"Course #{id} no longer exists; remove it from this certification.");
                    }
                    else if (course.IsTrigger)
                    {
                        context.AddFailure($"\u201c{course.Title}\u201d is a trigger course: it is started by an event and cannot be part of a certification.");
                    }
                    else if (!course.IsPublished)
                    {
                        context.AddFailure($"\u201c{course.Title}\u201d is not published: publish it, or remove it from this certification.");
                    }
                }
            });

        if (purpose == ValidationPurpose.Publish)
        {
            RuleFor(d => d.CourseIds)
                .Must(ids => ids.Any(id => facts.Courses.TryGetValue(id, out var c) && c.GradedStepCount > 0))
                .WithMessage("Include at least one course with a graded step before publishing: learners complete a certification through graded steps.");
        }

        RuleFor(d => d.GroupIds)
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("A group is targeted twice.")
            .Custom((ids, context) =>
            {
                foreach (var id in ids.Distinct())
                {
                    if (!facts.Groups.TryGetValue(id, out var group))
                    {
                        context.AddFailure($"Group #{id} no longer exists; remove it from the targeted groups.");
                        continue;
                    }

                    var missing = facts.MissingCourses(id, context.InstanceToValidate.CourseIds.Distinct());
                    if (missing.Count > 0)
                    {
                        context.AddFailure(
                            $"Group \u201c{group.Name}\u201d is not assigned {JoinTitles(missing)}: a group can be targeted only when it is assigned every included course. "
                            + "Assign the course to the group, or remove the group.");
                    }
                }
            });
    }

    internal static string JoinTitles(IReadOnlyList<CourseFact> courses)
    {
        var titles = courses.Select(c => $"\u201c{c.Title}\u201d").ToList();
        return titles.Count == 1 ? titles[0] : string.Join(", ", titles[..^1]) + " and " + titles[^1];
    }
}
