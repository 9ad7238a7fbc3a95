using Certifications.Core.Enrollment;

namespace Certifications.Core.Progress;

/// <summary>
/// Which of an assignment's results an evaluation reads. Every evaluation that records a fact (results, a completion
/// record, a withdrawal, a change of terms) evaluates the assignments the fact touches and stores what the rules say
/// then. So when nothing but the clock moved since (the sweep), the periods recorded before the latest stand as they
/// are, and only the results from the latest period on are read: its window when it is open, from its completion when
/// it is complete (the next window opens there or later). When results came that all complete after the latest
/// period's window opened (ingestion), the periods before it stand as they are, and the results of its window on are
/// read. An evaluation that needs more (see <see cref="AssignmentStanding.NeedsEarlierResults"/>) reads them all.
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
    /// Results were just recorded, and nothing but the clock moved since before them: from the latest recorded period's
    /// window on for an assignment whose learner's new results all complete after it opened, every result for one whose
    /// learner has a new result at or before that (a result arriving late can change an earlier period). The latest
    /// period's window is read whole even when it is complete: the progress shown in it counts every result since it
    /// opened, and the rules would otherwise ask for them again.
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
        if (earliestNewResultOf is null)
        {
            return latest.CompletedAt ?? latest.WindowStart;
        }

        return earliestNewResultOf.TryGetValue(assignment.LearnerId, out var earliest) && earliest <= latest.WindowStart ? null : latest.WindowStart;
    }
}
