namespace Certifications.Core.Progress;

/// <summary>Where a period's completion comes from.</summary>
public enum CompletionSource
{
    /// <summary>The learner's step results met the certification's terms.</summary>
    Results,

    /// <summary>A completion brought in from another system's history.</summary>
    Imported,

    /// <summary>An admin marked the certification complete, with evidence.</summary>
    AdminOverride,
}

/// <summary>
/// A completion the portal did not derive from results: history imported from another system, or an admin's override with
/// evidence. It is a fact about a learner and a certification, kept whether or not the learner holds the certification
/// now, which the rules take next to the results: a recompute can never derive it away, only a revocation (itself
/// reversible) takes it out of the rules' view. Unique by learner, certification and completion instant, which is what
/// makes importing the same history twice change nothing.
/// </summary>
public sealed class CompletionRecord
{
    public const int EvidenceMaxLength = 2000;
    public const int ReasonMaxLength = 500;

    public long Id { get; set; }
    public int LearnerId { get; set; }
    public int CertificationId { get; set; }
    public CompletionSource Source { get; set; }

    /// <summary>UTC instant the certification was completed.</summary>
    public DateTime CompletedAt { get; set; }

    /// <summary>The expiry the other system gave, when it gave one; otherwise the certification's renewal terms place it.</summary>
    public DateTime? ExpiresAt { get; set; }
    public string? Evidence { get; set; }
    public string? EvidenceFileName { get; set; }
    public string? EvidenceContentType { get; set; }

    /// <summary>The evidence file itself, capped in size by whoever stores it; read only when downloaded.</summary>
    public byte[]? EvidenceFile { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokedReason { get; set; }
}

/// <summary>
/// A completion record as the rules take it: it completes the period whose window it falls in (the first period takes
/// one from before the assignment too: history from before the learner came to the portal) unless the results complete
/// that period earlier. <paramref name="ExpiresAt"/> is the expiry the record gives, if any.
/// </summary>
public sealed record CompletionFact(long Id, CompletionSource Source, DateTime CompletedAt, DateTime? ExpiresAt, string? Evidence);

/// <summary>An admin's exemption of one learner from a certification: not required from <paramref name="Since"/> to the end of <paramref name="Until"/>, if given.</summary>
public sealed record Exemption(DateTime Since, DateOnly? Until, string Reason, string By);
