using Certifications.Core.Progress;

namespace Certifications.Core.Exports;

/// <summary>
/// An export ready to be written: what it is of (the certification's or the learner's name, for the file name) and its
/// rows, read from the database as they are written. The rows can be enumerated once.
/// </summary>
public sealed record Export<TRow>(string Name, IAsyncEnumerable<TRow> Rows);

/// <summary>What a learner's standing rests on: their results, a completion record, or an admin's exemption.</summary>
public enum StandingSource
{
    /// <summary>Nothing completed yet, and not exempt.</summary>
    None,
    Results,
    Imported,
    AdminOverride,
    Exempt,
}

/// <summary>
/// One learner holding a certification, as its learners export lists them. The dates are calendar dates in the
/// organisation's zone: the start of the period under way (or of the last one completed when none is open), the last
/// completion and its expiry, and the due date (the learner's own, else a one-time certification's).
/// </summary>
public sealed record LearnerExportRow(
    int LearnerId,
    string Name,
    string Email,
    IReadOnlyList<string> Groups,
    bool AddedIndividually,
    bool SelfStarted,
    AssignmentStatus Status,
    DateOnly? PeriodStartedOn,
    DateOnly? CompletedOn,
    DateOnly? ExpiresOn,
    DateOnly? DueOn,
    StandingSource Source);

/// <summary>
/// One entry of an audit trail export: when (UTC), who, the action, whom or what it concerned (the learner of an entry of a
/// certification's trail, the certification of a learner's), and the recorded changes as JSON.
/// </summary>
public sealed record AuditExportRow(DateTime At, string Actor, string Action, string Concerning, string? Changes);
