namespace Certifications.Core.Certifications;

/// <summary>A message for one field of the wizard; an empty field name is a message for the whole form.</summary>
public sealed record FieldError(string Field, string Message);

public enum FailureKind
{
    None,
    Invalid,
    NotFound,
    Conflict,
    NotAllowed,
}

/// <summary>What a save or a change of state did: the new id and version, or why nothing was saved.</summary>
public sealed record CertificationOutcome(int? Id, Guid? Version, FailureKind Failure, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Failure == FailureKind.None;

    public static CertificationOutcome Saved(int id, Guid version) => new(id, version, FailureKind.None, []);

    public static CertificationOutcome Fail(FailureKind kind, string message, string field = "") => new(null, null, kind, [new FieldError(field, message)]);

    public static CertificationOutcome Invalid(IReadOnlyList<FieldError> errors) => new(null, null, FailureKind.Invalid, errors);
}

public sealed record CertificationListItem(
    int Id,
    string Name,
    CertificationState State,
    bool IsInvisible,
    bool RenewalRequired,
    int? RenewalPeriodMonths,
    DateOnly EffectiveFrom,
    int CourseCount,
    int GroupCount,
    int LearnerCount,
    int CompletedCount,
    DateTime UpdatedAt);

public sealed record CertificationListQuery(string? Search = null, CertificationState? State = null, int Page = 0, int PageSize = 25);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageIndex, int PageSize);

/// <summary>A certification as the wizard opens it, with the catalog facts its rules need and what needs the admin's attention.</summary>
public sealed record CertificationForEdit(CertificationDraft Draft, CertificationState State, int ActiveLearners, IReadOnlyList<string> Warnings, CatalogFacts Facts);

/// <summary>One recorded change of a certification, newest first in the trail.</summary>
public sealed record AuditRecord(DateTime At, string Actor, string Action, string? Changes);

/// <summary>
/// Who a change of state would touch: members of targeted groups a publish would assign, learners holding it, those a
/// retirement would withdraw, those who keep a completion.
/// </summary>
public sealed record CertificationImpact(int WouldBeAssigned, int Holding, int WouldBeWithdrawn, int Completed);

/// <summary>What a change of a published certification's targeted groups would do to learners.</summary>
/// <param name="GroupNames">Names of the groups targeted now and of those asked about.</param>
public sealed record TargetChangeImpact(int WouldBeAssigned, int WouldBeWithdrawn, IReadOnlyDictionary<int, string> GroupNames);
