using Certifications.Core.Enrollment;

namespace Certifications.Core.Progress;

/// <summary>
/// Which of an assignment's results an evaluation reads. Every evaluation that records a fact (results, a completion
/// record, a withdrawal, a change of terms) evaluates the assignments the fact touches and stores what the rules say
/// then. So when nothing but the clock moved since (the sweep), the periods recorded before the latest stand as they
/// are, and only the results from the latest period on are read: its window when it is open, from its completion when
/// it is complete (the next window opens there or later). An evaluation that needs more (see
/// <see cref="AssignmentStanding.NeedsEarlierResults"/>) reads them all.
/// </summary>
internal sealed class ResultsToRead
{
    private readonly bool fromLatestPeriod;

    private ResultsToRead(bool fromLatestPeriod) => this.fromLatestPeriod = fromLatestPeriod;

    /// <summary>Every result from the first window: facts may have changed (results came, a recompute, a repair, a change of terms).</summary>
    public static ResultsToRead All { get; } = new(fromLatestPeriod: false);

    /// <summary>Only the clock moved since each assignment was last evaluated: the sweep.</summary>
    public static ResultsToRead SinceLatestPeriod { get; } = new(fromLatestPeriod: true);

    /// <summary>The instant from which the assignment's results are to be read, or null for every one of them.</summary>
    public DateTime? From(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (!fromLatestPeriod || assignment.Periods.Count == 0)
        {
            return null;
        }

        var latest = assignment.Periods.MaxBy(p => p.Number)!;
        return latest.CompletedAt ?? latest.WindowStart;
    }
}
