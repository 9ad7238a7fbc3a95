using Certifications.Core.Enrollment;

namespace Certifications.Core.Progress;

/// <summary>
/// Which of an assignment's results an evaluation reads. Every evaluation that records a fact (results, a completion
/// record, a withdrawal, a change of terms) evaluates the assignments the fact touches and stores what the rules say
/// then. So when nothing but the clock moved since (the sweep), or results came that all complete after the latest
/// recorded period's start (ingestion), the periods recorded before the latest stand as they are, and only the results
/// from the latest period on are read: its window when it is open, from its completion when it is complete (the next
/// window opens there or later, and a complete period's grades are those at its completion). An evaluation that needs
/// more (see <see cref="AssignmentStanding.NeedsEarlierResults"/>) reads them all.
/// </summary>
internal sealed class ResultsToRead
{
    private readonly bool fromLatestPeriod;
    private readonly IReadOnlyDictionary<int, DateTime>? earliestNewResultOf;

    private ResultsToRead(bool fromLatestPeriod, IReadOnlyDictionary<int, DateTime>? earliestNewResultOf = null)
    {
        this.fromLatestPeriod = fromLatestPeriod;
        this.earliestNewResultOf = earliestNewResultOf;
    }

    /// <summary>Every result from the first window: facts may have changed (a recompute, a repair, a change of terms, a completion record).</summary>
    public static ResultsToRead All { get; } = new(fromLatestPeriod: false);

    /// <summary>Only the clock moved since each assignment was last evaluated: the sweep.</summary>
    public static ResultsToRead SinceLatestPeriod { get; } = new(fromLatestPeriod: true);

    /// <summary>
    /// Results were just recorded, and nothing but the clock moved since before them: from the latest recorded period on
    /// for an assignment whose learner's new results all complete after that period's start (its completion when it is
    /// complete), every result for one whose learner has a new result at or before it (a result arriving late can
    /// change an earlier period).
    /// </summary>
    /// <param name="earliestNewResultOf">The earliest completed-at of the new results, by learner.</param>
    public static ResultsToRead AfterNewResults(IReadOnlyDictionary<int, DateTime> earliestNewResultOf)
    {
        ArgumentNullException.ThrowIfNull(earliestNewResultOf);
        return new(fromLatestPeriod: true, earliestNewResultOf);
    }

    /// <summary>The instant from which the assignment's results are to be read, or null for every one of them.</summary>
    public DateTime? From(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (!fromLatestPeriod || assignment.Periods.Count == 0)
        {
            return null;
        }

        var latest = assignment.Periods.MaxBy(p => p.Number)!;
        var from = latest.CompletedAt ?? latest.WindowStart;
        return earliestNewResultOf is not null && earliestNewResultOf.TryGetValue(assignment.LearnerId, out var earliest) && earliest <= from
            ? null
            : from;
    }
}
