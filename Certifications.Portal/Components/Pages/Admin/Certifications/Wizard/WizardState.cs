using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using FluentValidation;

namespace Certifications.Portal.Components.Pages.Admin.Certifications.Wizard;

/// <summary>
/// One admin's copy of a certification while the wizard is open: the draft as edited, the catalog facts its rules need,
/// and which step each problem belongs to. Every save still goes through the service, which validates again.
/// </summary>
/// <param name="notificationDefaults">The portal's notification settings: a new certification starts with them.</param>
public sealed class WizardState(CertificationService certifications, Actor actor, NotificationSettings? notificationDefaults = null)
{
    public static readonly string[] StepTitles = ["Details", "Timing and Renewal", "Course Requirements", "Enrolment Requirements"];

    private static readonly Dictionary<string, int> StepOfField = new()
    {
        [nameof(CertificationDraft.Name)] = 0,
        [nameof(CertificationDraft.Description)] = 0,
        [nameof(CertificationDraft.IsInvisible)] = 0,
        [nameof(CertificationDraft.EffectiveFrom)] = 1,
        [nameof(CertificationDraft.DueDate)] = 1,
        [nameof(CertificationDraft.GraceDays)] = 1,
        [nameof(CertificationDraft.RenewalRequired)] = 1,
        [nameof(CertificationDraft.RenewalPeriodMonths)] = 1,
        [nameof(CertificationDraft.RenewalWindowDays)] = 1,
        [nameof(CertificationDraft.RenewalAnchor)] = 1,
        [nameof(CertificationDraft.ReminderDays)] = 1,
        [nameof(CertificationDraft.NotificationEvents)] = 1,
        [nameof(CertificationDraft.CourseIds)] = 2,
        [nameof(CertificationDraft.MinimumPassingGrade)] = 2,
        [nameof(CertificationDraft.GroupIds)] = 3,
    };

    public CertificationDraft Draft { get; private set; } = new();

    /// <summary>The certification as it was loaded or last saved, to say what a change will do.</summary>
    public CertificationDraft Saved { get; private set; } = new();

    public CatalogFacts Facts { get; private set; } = CatalogFacts.Empty;

    public CertificationState State { get; private set; } = CertificationState.Draft;

    public int ActiveLearners { get; private set; }

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public bool IsConflict { get; private set; }

    public bool IsNew => Draft.Id is null;

    public Actor Actor => actor;

    public IValidator<CertificationDraft> Validator =>
        new CertificationValidator(Facts, State == CertificationState.Published ? ValidationPurpose.Publish : ValidationPurpose.Save);

    /// <summary>Loads a certification, or starts a new one effective today; false when it no longer exists.</summary>
    public async Task<bool> LoadAsync(int? id, DateOnly today)
    {
        IsConflict = false;
        Errors = [];
        if (id is null)
        {
            Draft = new CertificationDraft { EffectiveFrom = today };
            if (notificationDefaults is not null)
            {
                (Draft.ReminderDays, Draft.NotificationEvents) = (notificationDefaults.ReminderDays, notificationDefaults.Events);
            }

            Saved = Copy(Draft);
            await RefreshFactsAsync();
            return true;
        }

        var edit = await certifications.GetForEditAsync(actor, id.Value);
        if (edit is null)
        {
            return false;
        }

        (Draft, Saved, State, ActiveLearners, Warnings, Facts) = (edit.Draft, Copy(edit.Draft), edit.State, edit.ActiveLearners, edit.Warnings, edit.Facts);
        return true;
    }

    public async Task RefreshFactsAsync() => Facts = await certifications.GetFactsAsync(actor, Draft);

    public IEnumerable<FieldError> ErrorsOfStep(int step) => Errors.Where(e => StepOf(e.Field) == step);

    public bool StepHasErrors(int step) => ErrorsOfStep(step).Any();

    /// <summary>
    /// One field checked as the admin types, with the same validator the service runs on save, plus the message the
    /// server gave that field on the last save until its value is corrected.
    /// </summary>
    public async Task<IEnumerable<string>> ValidateFieldAsync(string path)
    {
        // The form names a field by the whole expression that reaches it (State.Draft.Name); the draft is flat.
        path = path.Split('.')[^1];
        var result = await Validator.ValidateAsync(ValidationContext<CertificationDraft>.CreateWithOptions(Draft, o => o.IncludeProperties(path)));
        var messages = result.Errors.Select(e => e.ErrorMessage).ToList();
        Errors = [.. Errors.Where(e => e.Field != path || messages.Contains(e.Message))];
        return messages;
    }

    /// <summary>Runs every rule on the whole draft, as the service will, and keeps the problems by step.</summary>
    public async Task<bool> ValidateAllAsync(ValidationPurpose purpose)
    {
        await RefreshFactsAsync();
        var result = await new CertificationValidator(Facts, purpose).ValidateAsync(Draft);
        Errors = [.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))];
        return result.IsValid;
    }

    /// <summary>Adds a course unless a targeted group is not assigned it; the refusal names the group and the course.</summary>
    public async Task<string?> AddCourseAsync(CourseOption course)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (Draft.CourseIds.Contains(course.Id))
        {
            return $"\u201c{course.Title}\u201d is already included.";
        }

        var trial = Copy(Draft);
        trial.CourseIds.Add(course.Id);
        var facts = await certifications.GetFactsAsync(actor, trial);
        var lacking = Draft.GroupIds.Where(g => facts.MissingCourses(g, [course.Id]).Count > 0).Select(g => facts.Groups[g].Name).ToList();
        if (lacking.Count > 0)
        {
            return $"\u201c{course.Title}\u201d cannot be added: the targeted group{(lacking.Count == 1 ? "" : "s")} "
                + string.Join(", ", lacking.Select(n => $"\u201c{n}\u201d")) + " " + (lacking.Count == 1 ? "is" : "are")
                + " not assigned it. Assign the course to the group first, or remove the group.";
        }

        Draft.CourseIds.Add(course.Id);
        Facts = facts;
        return null;
    }

    public async Task RemoveCourseAsync(int courseId)
    {
        Draft.CourseIds.Remove(courseId);
        await RefreshFactsAsync();
    }

    public async Task AddGroupAsync(int groupId)
    {
        if (!Draft.GroupIds.Contains(groupId))
        {
            Draft.GroupIds.Add(groupId);
            await RefreshFactsAsync();
        }
    }

    public async Task RemoveGroupAsync(int groupId)
    {
        Draft.GroupIds.Remove(groupId);
        await RefreshFactsAsync();
    }

    /// <summary>What saving the edits to a published certification will do, in the admin's words.</summary>
    public async Task<IReadOnlyList<string>> ConsequencesOfSavingAsync()
    {
        if (State != CertificationState.Published)
        {
            return [];
        }

        var notes = new List<string>();
        if (!Draft.GroupIds.ToHashSet().SetEquals(Saved.GroupIds))
        {
            var impact = await certifications.GetTargetChangeImpactAsync(actor, Draft.Id!.Value, Draft.GroupIds);
            var added = string.Join(", ", Draft.GroupIds.Except(Saved.GroupIds).Select(g => GroupName(impact, g)));
            var removed = string.Join(", ", Saved.GroupIds.Except(Draft.GroupIds).Select(g => GroupName(impact, g)));
            if (added.Length > 0)
            {
                notes.Add($"Targeting {added}: {impact.WouldBeAssigned:N0} learner{(impact.WouldBeAssigned == 1 ? " is" : "s are")} assigned at once.");
            }

            if (removed.Length > 0)
            {
                notes.Add($"No longer targeting {removed}: {impact.WouldBeWithdrawn:N0} learner{(impact.WouldBeWithdrawn == 1 ? "" : "s")} holding it only through "
                    + $"{(Saved.GroupIds.Except(Draft.GroupIds).Count() == 1 ? "that group" : "those groups")} will be withdrawn; completions stay on their profiles, "
                    + "and learners also in a remaining group, enrolled individually or who started it themselves keep it.");
            }
        }

        if (Draft.GraceDays != Saved.GraceDays)
        {
            notes.Add($"The grace period changes from {Saved.GraceDays} to {Draft.GraceDays} days for new assignments only: the {ActiveLearners:N0} learners already assigned keep the grace they were given.");
        }

        foreach (var added in Draft.CourseIds.Except(Saved.CourseIds))
        {
            notes.Add($"Adding \u201c{Title(added)}\u201d: every learner must also pass it; completions already recorded stay as they are.");
        }

        foreach (var removed in Saved.CourseIds.Except(Draft.CourseIds))
        {
            notes.Add($"Removing \u201c{Title(removed)}\u201d: it no longer counts toward this certification.");
        }

        if (Draft.MinimumPassingGrade != Saved.MinimumPassingGrade)
        {
            notes.Add($"The minimum passing grade changes from {Saved.MinimumPassingGrade:0.##} % to {Draft.MinimumPassingGrade:0.##} %; completions already recorded stay as they are.");
        }

        if (Draft.RenewalRequired != Saved.RenewalRequired || Draft.RenewalPeriodMonths != Saved.RenewalPeriodMonths)
        {
            notes.Add("The renewal settings change: expiry dates already recorded stay as they are; the next renewals follow the new settings.");
        }

        return notes;
    }

    /// <summary>Saves the draft (creating it the first time); on failure the messages are kept for their steps.</summary>
    public async Task<bool> SaveAsync()
    {
        var outcome = IsNew ? await certifications.CreateAsync(Draft, actor) : await certifications.UpdateAsync(Draft, actor);
        return await AfterAsync(outcome);
    }

    /// <param name="progress">Told how far working out the assigned learners' progress has got.</param>
    public async Task<bool> PublishAsync(IProgress<OperationProgress>? progress = null)
    {
        if (!await SaveAsync())
        {
            return false;
        }

        // Off the circuit: publishing to thousands of learners takes a while, and the page shows how far it has got.
        var (id, version) = (Draft.Id!.Value, Draft.Version!.Value);
        return await AfterAsync(await Task.Run(() => certifications.PublishAsync(id, version, actor, progress)));
    }

    private async Task<bool> AfterAsync(CertificationOutcome outcome)
    {
        IsConflict = outcome.Failure == FailureKind.Conflict;
        Errors = outcome.Errors;
        if (!outcome.Succeeded)
        {
            return false;
        }

        await LoadAsync(outcome.Id, Draft.EffectiveFrom ?? default);
        return true;
    }

    private static string GroupName(TargetChangeImpact impact, int groupId) =>
        impact.GroupNames.TryGetValue(groupId, out var name) ? $"\u201c{name}\u201d" : $"group #{groupId}";

    private string Title(int courseId) => Facts.Courses.TryGetValue(courseId, out var course) ? course.Title : $"course #{courseId}";

    private static int StepOf(string field) => StepOfField.TryGetValue(field.Split('[')[0], out var step) ? step : -1;

    private static CertificationDraft Copy(CertificationDraft d) => new()
    {
        Id = d.Id,
        Version = d.Version,
        Name = d.Name,
        Description = d.Description,
        IsInvisible = d.IsInvisible,
        EffectiveFrom = d.EffectiveFrom,
        DueDate = d.DueDate,
        GraceDays = d.GraceDays,
        RenewalRequired = d.RenewalRequired,
        RenewalPeriodMonths = d.RenewalPeriodMonths,
        RenewalWindowDays = d.RenewalWindowDays,
        RenewalAnchor = d.RenewalAnchor,
        MinimumPassingGrade = d.MinimumPassingGrade,
        ReminderDays = d.ReminderDays,
        NotificationEvents = d.NotificationEvents,
        CourseIds = [.. d.CourseIds],
        GroupIds = [.. d.GroupIds],
    };
}
