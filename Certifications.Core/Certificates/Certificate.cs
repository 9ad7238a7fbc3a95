using Certifications.Core.Progress;

namespace Certifications.Core.Certificates;

/// <summary>
/// The certificate of one completed period (period 1 = the completion, later ones = renewals), known by its verification
/// code. It points at the period rather than copying its dates: a period re-derived by a late result keeps its row and
/// gets new dates, and the certificate then vouches for those. When the period itself goes (its results were deleted,
/// or its assignment was removed) the link is cleared by the database and the certificate reads as revoked.
/// </summary>
public sealed class Certificate
{
    /// <summary>Characters of a stored code: 16 Crockford base32 digits, 80 random bits.</summary>
    public const int CodeLength = 16;
    public const int RevokedReasonMaxLength = 200;

    public int Id { get; set; }

    /// <summary>The code without separators, upper case (see <see cref="VerificationCode"/>).</summary>
    public required string Code { get; set; }

    /// <summary>The period it certifies; null once that period no longer exists.</summary>
    public int? PeriodId { get; set; }
    public Period? Period { get; set; }

    /// <summary>UTC instant the code was given out.</summary>
    public DateTime IssuedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}
