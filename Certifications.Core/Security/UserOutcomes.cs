using Certifications.Core.Certifications;

namespace Certifications.Core.Security;

/// <summary>One account in the admin's user list.</summary>
public sealed record UserRow(
    string Id,
    string DisplayName,
    string Email,
    IReadOnlyList<string> Roles,
    int? LearnerId,
    string? LearnerName,
    bool IsDisabled,
    DateTime? LockedOutUntil,
    bool MustChangePassword);

/// <summary>
/// A generated password, returned once to the admin who asked for it and never stored or recorded in clear. The
/// account is flagged to change it.
/// </summary>
public sealed record TemporaryPassword(string Value)
{
    public override string ToString() => "TemporaryPassword { Value = (hidden) }";
}

/// <summary>What a change to an account did, or why nothing was saved.</summary>
public sealed record UserOutcome(string? UserId, FailureKind Failure, IReadOnlyList<FieldError> Errors, TemporaryPassword? Password = null)
{
    public bool Succeeded => Failure == FailureKind.None;

    /// <summary>Every message in one sentence, for a snackbar.</summary>
    public string Message => string.Join(" ", Errors.Select(e => e.Message));

    public static UserOutcome Done(string userId, TemporaryPassword? password = null) => new(userId, FailureKind.None, [], password);

    public static UserOutcome Fail(FailureKind kind, string message, string field = "") => new(null, kind, [new FieldError(field, message)]);

    public static UserOutcome Invalid(IReadOnlyList<FieldError> errors) => new(null, FailureKind.Invalid, errors);
}
