using Certifications.Core.Certifications;

namespace Certifications.Core.Catalog;

/// <summary>What a change to a course, group or learner did: its id and new version, or why nothing was saved.</summary>
public sealed record CatalogOutcome(int? Id, Guid? Version, FailureKind Failure, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Failure == FailureKind.None;

    public bool IsConflict => Failure == FailureKind.Conflict;

    /// <summary>Every message in one sentence, for a snackbar or an alert.</summary>
    public string Message => string.Join(" ", Errors.Select(e => e.Message));

    public static CatalogOutcome Saved(int id, Guid version) => new(id, version, FailureKind.None, []);

    public static CatalogOutcome Fail(FailureKind kind, string message, string field = "") => new(null, null, kind, [new FieldError(field, message)]);

    public static CatalogOutcome Invalid(IReadOnlyList<FieldError> errors) => new(null, null, FailureKind.Invalid, errors);

    public static CatalogOutcome NotFound(FieldError error) => new(null, null, FailureKind.NotFound, [error]);
}

public enum ImpactKind
{
    /// <summary>A course included in published certifications stops being offered.</summary>
    CourseUnpublished,

    /// <summary>Which steps count toward certifications changes: progress is recomputed.</summary>
    GradingChanged,

    /// <summary>A group targeted by published certifications no longer has all their courses.</summary>
    GroupLosesCourse,

    /// <summary>Learners get a certification through a group they join.</summary>
    Assigned,

    /// <summary>Learners lose an unfinished certification with the last group that gave it to them.</summary>
    Withdrawn,
}

/// <summary>
/// One consequence of a change for certifications and the learners holding them, in words the admin reads before
/// confirming, with the facts behind it.
/// </summary>
public sealed record ImpactNote(
    ImpactKind Kind,
    string Headline,
    string Effect,
    IReadOnlyList<string> Certifications,
    int Learners = 0,
    IReadOnlyList<string>? LearnerNames = null);

/// <summary>
/// What a change would do, computed before it is made: the consequences to confirm, and the reasons it would be
/// refused (then nothing can be confirmed).
/// </summary>
public sealed record ChangeImpact(IReadOnlyList<ImpactNote> Notes, IReadOnlyList<FieldError> Refusals)
{
    public static ChangeImpact None { get; } = new([], []);

    public bool IsRefused => Refusals.Count > 0;

    public bool NeedsConfirmation => Notes.Count > 0;
}

/// <summary>One recorded change of a course, group or learner.</summary>
public sealed record CatalogChange(DateTime At, string Actor, string Action, string? Changes);
