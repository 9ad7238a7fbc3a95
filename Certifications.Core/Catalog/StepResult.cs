namespace Certifications.Core.Catalog;

/// <summary>One attempt of a learner at a step, as sent by the playing system.</summary>
public sealed class StepResult
{
    /// <summary>The longest external id stored.</summary>
    public const int ExternalIdMaxLength = 200;

    public long Id { get; set; }
    public int LearnerId { get; set; }
    public Learner? Learner { get; set; }
    public int StepId { get; set; }
    public Step? Step { get; set; }

    /// <summary>0 to 100, decimals allowed.</summary>
    public decimal Score { get; set; }

    /// <summary>UTC instant the learner finished the attempt.</summary>
    public DateTime CompletedAt { get; set; }

    /// <summary>The sender's id for the result; a repeated id is the same result.</summary>
    public required string ExternalId { get; set; }

    /// <summary>UTC instant the portal recorded it.</summary>
    public DateTime ReceivedAt { get; set; }
}
